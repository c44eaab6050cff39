from django import template
from django.utils.safestring import SafeString

from servicedesk.markdown import render_markdown
from tickets import selectors
from tickets.rendering import requester_html, requester_label, ticket_rows_html

register = template.Library()


@register.filter
def highlight(text: str, q: str) -> SafeString:
    return selectors.highlight(text, q)


@register.filter
def get_count(counts: dict, key: str) -> int:
    return counts.get(key, 0)


@register.filter
def markdown(text: str) -> SafeString:
    return render_markdown(text)


@register.simple_tag
def ticket_rows(rows, q="", selectable=False, sla=False) -> SafeString:

    return ticket_rows_html(rows, q=q or "", selectable=bool(selectable), sla=bool(sla))


@register.filter
def requester(ticket) -> str:
    """Who raised the ticket: a person, "Name (contact)", or "Deleted user"."""
    return requester_label(ticket)


@register.filter
def requester_by_mail(ticket, email: bool = False) -> SafeString:
    """Who raised the ticket, with "contact, by email" for someone without an account."""
    return requester_html(ticket, email=bool(email))

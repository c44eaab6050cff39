from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from servicedesk.markdown import render_markdown
from tickets import selectors
from tickets.rendering import requester_html, requester_label
from tickets.saved.columns import columns_for, rows_html

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
def ticket_rows(rows, q="", selectable=False, columns=None, link_query="") -> SafeString:
    """The rows of a ticket table, in ``columns`` (a saved view's; by default the list's as
    anyone may see it); each ticket's link carries ``link_query``."""
    return rows_html(
        rows,
        columns or columns_for(None),
        q=q or "",
        selectable=bool(selectable),
        link_query=link_query or "",
    )


@register.simple_tag
def ticket_head(columns=None) -> SafeString:
    return format_html_join(
        "", '<th scope="col">{}</th>', ((c.label,) for c in columns or columns_for(None))
    )


@register.filter
def requester(ticket) -> str:
    """Who raised the ticket: a person, "Name (contact)", or "Deleted user"."""
    return requester_label(ticket)


@register.filter
def requester_by_mail(ticket, email: bool = False) -> SafeString:
    """Who raised the ticket, with "contact, by email" for someone without an account."""
    return requester_html(ticket, email=bool(email))

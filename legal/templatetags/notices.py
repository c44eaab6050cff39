from django import template
from django.utils.safestring import SafeString

from servicedesk.markdown import render_markdown

register = template.Library()


@register.filter
def notice_markdown(text: str) -> SafeString:
    """A notice's or an update's Markdown, rendered and sanitised."""
    return render_markdown(text)

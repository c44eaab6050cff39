"""Markdown to HTML that is safe to show: rendered, then sanitised with nh3."""

import re
import threading

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead",
    "tr", "ul",
}  # fmt: skip


# A bare URL (not already inside a Markdown link, an autolink or an HTML attribute).
_BARE_URL = re.compile(r"(?<![<(\[\"'=])\bhttps?://[^\s<>()\[\]\"']+[^\s<>()\[\]\"'.,;:!?]")


def _autolink(text: str) -> str:
    return _BARE_URL.sub(lambda m: f"<{m.group(0)}>", text)


_local = threading.local()


def _parser() -> md.Markdown:
    # Building a parser costs more than using one; each thread keeps its own.
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = md.Markdown(
            extensions=["extra", "sane_lists"], output_format="html"
        )
    return parser


def render_markdown(text: str) -> SafeString:
    html = _parser().reset().convert(_autolink(text))
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes={"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}},
        link_rel="nofollow noopener noreferrer",
        url_schemes={"http", "https", "mailto"},
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above

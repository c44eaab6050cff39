"""Markdown to HTML that is safe to show: rendered by a CommonMark parser, then sanitised
with nh3.

markdown-it-py parses in time linear in the text (Python-Markdown, used before, took
minutes on a few thousand ``[``), and every text people write is capped at
``MAX_MARKDOWN_CHARS``, so one message costs at most a few hundred milliseconds.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager

import nh3
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

# The longest description, reply or note anyone may write (and that mail may bring).
MAX_MARKDOWN_CHARS = 64 * 1024
# Operators' own documents (terms, privacy policy) are trusted but still bounded.
MAX_DOCUMENT_CHARS = 512 * 1024

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead",
    "tr", "ul",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}

# A bare http(s) URL in plain text. Once ``https?://`` matched, the match can only fail on
# a run of closing punctuation, which holds no other URL: the scan stays linear.
_BARE_URL = re.compile(r"\bhttps?://[^\s<>()\[\]\"']+[^\s<>()\[\]\"'.,;:!?]")


def _bare_urls(state: StateCore) -> None:
    """Turn bare URLs in text (never in code, never inside a link) into links."""
    for block in state.tokens:
        if block.type in {"th_open", "td_open"}:
            _align(block)
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        in_link = 0
        for token in block.children:
            if token.type == "link_open":
                in_link += 1
            elif token.type == "link_close":
                in_link -= 1
            if token.type in {"s_open", "s_close"}:
                token.tag = "del"  # the tag the allow-list has had for ~~struck~~ text
            if token.type != "text" or in_link or "://" not in token.content:
                children.append(token)
                continue
            children.extend(_split_urls(state, token))
        block.children = children


def _align(cell: Token) -> None:
    # The parser aligns cells with a style attribute, which the sanitiser drops; ``align``
    # is the attribute the allow-list keeps.
    style = str(cell.attrs.pop("style", ""))
    if style.startswith("text-align:"):
        cell.attrs["align"] = style.removeprefix("text-align:")


def _split_urls(state: StateCore, token: Token) -> list[Token]:
    parts: list[Token] = []
    text, start = token.content, 0
    for match in _BARE_URL.finditer(text):
        url = state.md.normalizeLink(match.group(0))
        if not state.md.validateLink(url):
            continue
        if match.start() > start:
            parts.append(_text(text[start : match.start()], token.level))
        opening = Token("link_open", "a", 1, level=token.level, markup="linkify", info="auto")
        opening.attrs = {"href": url}
        parts.append(opening)
        parts.append(_text(state.md.normalizeLinkText(match.group(0)), token.level + 1))
        parts.append(Token("link_close", "a", -1, level=token.level, markup="linkify"))
        start = match.end()
    if not parts:
        return [token]
    if start < len(text):
        parts.append(_text(text[start:], token.level))
    return parts


def _text(content: str, level: int) -> Token:
    return Token("text", "", 0, content=content, level=level)


def _parser(max_nesting: int) -> MarkdownIt:
    # CommonMark plus GitHub's tables and ~~strikethrough~~. Raw HTML stays text. Images
    # are off: the sanitiser drops <img> (no third-party requests from our pages), so
    # ``![alt](url)`` had better show as a link than as nothing.
    options = {"html": False, "xhtmlOut": False, "maxNesting": max_nesting}
    return MarkdownIt("commonmark", options).enable(["table", "strikethrough"]).disable("image")


# Blocks may nest deep (lists in quotes in lists); past the limit the parser drops the rest
# of the text, so it is generous. Inline parsing is another matter: at every bracket it
# looks ahead as many levels as its limit allows, and that limit is what 64 KB of ``[``
# costs (the preset's 20 levels: ~0.6 s; 8: ~0.35 s). Eight nested brackets is plenty.
_PARSER = _parser(100)
_INLINE = _parser(8)


def _inline(state: StateCore) -> None:
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            _INLINE.inline.parse(token.content, _INLINE, state.env, token.children)


_PARSER.core.ruler.at("inline", _inline)
_PARSER.core.ruler.push("bare_urls", _bare_urls)


def markdown_too_long(length: int, limit: int = MAX_MARKDOWN_CHARS) -> str:
    return _(
        "This text is too long: at most %(limit)s characters (%(size)s KB), and it has "
        "%(length)s. Shorten it, or attach the rest as a file."
    ) % {
        "limit": number_format(limit, force_grouping=True),
        "size": limit // 1024,
        "length": number_format(length, force_grouping=True),
    }


def markdown_check_length(*, field: str, text: str, limit: int = MAX_MARKDOWN_CHARS) -> None:
    """Refuse, keyed by ``field``, a text longer than ``limit``; for services that write one."""
    if len(text) > limit:
        raise ValidationError({field: markdown_too_long(len(text), limit)})


@contextmanager
def _cyclic_collector_paused() -> Iterator[None]:
    # A parse makes a few objects per character, all alive until it ends and none in a
    # cycle (reference counting frees them). Left on, the cyclic collector walks them and
    # the process's whole heap again and again: 60-70% more time on 64 KB of ``*_`` in a
    # Django process. Turned back on only if it was on, so nested or concurrent renders
    # leave it as they found it.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def render_markdown(text: str, *, limit: int = MAX_MARKDOWN_CHARS) -> SafeString:
    """Safe HTML for ``text``. What passes ``limit`` is cut off, never rendered: writers
    check the limit first, this is the backstop for anything stored before or elsewhere."""
    cut = len(text) > limit
    with _cyclic_collector_paused():
        html = _PARSER.render(text[:limit] if cut else text)
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        link_rel="nofollow noopener noreferrer",
        url_schemes={"http", "https", "mailto"},
    )
    if cut:
        clean += f"<p><em>The rest of this text, past {limit:,} characters, is not shown.</em></p>"
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above

"""HTML mail → readable text (for search and the reply parser), and → HTML safe to display.

The text keeps what a reader needs: paragraphs, line breaks, list items ("- " and "1. "), links
as "text (url)", table cells side by side, and <blockquote> as "> " lines so quoted history in
HTML-only replies folds away like quoted plain text does.
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

import nh3

_BLOCK = frozenset(
    {
        *("address", "article", "aside", "center", "dd", "div", "dl", "dt", "fieldset"),
        *("figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6"),
        *("header", "hr", "legend", "main", "nav", "ol", "p", "pre", "section", "table"),
        *("tbody", "thead", "tfoot", "tr", "ul"),
    }
)
_SKIP = frozenset({"script", "style", "head", "title", "template", "noscript", "object", "svg"})
_MAX_QUOTE = 20  # deeper quoting adds nothing a reader sees, and costs quadratic output
# The sanitiser's time grows with the square of nesting depth; real mail stays far below this.
_MAX_TAGS = 20_000
_SPACES = re.compile(r"[ \t\r\n\f\u200b]+")


class _TextWriter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.quote = 0
        self.pre = 0
        self.skip = 0
        self.lists: list[list[int]] = []  # per open list: [is_ordered, counter]
        self.links: list[tuple[str, int]] = []  # href, text length when the link opened
        self.pending_break = 0

    # Output helpers: text goes to the last line; breaks are collected and applied lazily so
    # nested blocks don't pile up blank lines.
    def _break(self, count: int) -> None:
        self.pending_break = max(self.pending_break, count)

    def _write(self, text: str) -> None:
        if not text:
            return
        if self.pending_break:
            if self.lines[-1].strip(" >"):
                self.lines.extend([""] * self.pending_break)
            self.pending_break = 0
        line = self.lines[-1]
        if not line:
            line = "> " * min(self.quote, _MAX_QUOTE)
        if not self.pre and (not line.strip(" >") or line.endswith(" ")):
            text = text.lstrip(" ")
        if text:
            self.lines[-1] = line + text

    def _newline(self) -> None:
        self.pending_break = 0
        self.lines.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
            return
        if self.skip:
            return
        values = dict(attrs)
        if tag == "br":
            self._newline()
        elif tag == "blockquote":
            self._break(1)
            self.quote += 1
        elif tag in ("ul", "ol"):
            self._break(1)
            self.lists.append([tag == "ol", 0])
        elif tag == "li":
            self._break(1)
            depth = max(len(self.lists) - 1, 0)
            if self.lists and self.lists[-1][0]:
                self.lists[-1][1] += 1
                self._write("  " * depth + f"{self.lists[-1][1]}. ")
            else:
                self._write("  " * depth + "- ")
        elif tag == "a":
            self.links.append((values.get("href") or "", len(self.lines[-1])))
        elif tag == "img":
            alt = (values.get("alt") or "").strip()
            if alt:
                self._write(f"[{alt}]")
        elif tag in ("td", "th"):
            if self.lines[-1].strip(" >"):
                self._write(" ")
        elif tag == "hr":
            self._break(1)
            self._write("---")
            self._break(1)
        elif tag == "pre":
            self._break(2)
            self.pre += 1
        elif tag in _BLOCK:
            self._break(2 if tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6") else 1)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(self.skip - 1, 0)
            return
        if self.skip:
            return
        if tag == "blockquote":
            self.quote = max(self.quote - 1, 0)
            self._break(1)
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self._break(1)
        elif tag == "a" and self.links:
            href, _start = self.links.pop()
            self._link(href)
        elif tag == "pre":
            self.pre = max(self.pre - 1, 0)
            self._break(2)
        elif tag in _BLOCK:
            self._break(2 if tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6") else 1)

    def _link(self, href: str) -> None:
        href = href.strip()
        if not href or href.startswith(("#", "cid:", "javascript:")):
            return
        label = href.removeprefix("mailto:")
        shown = self.lines[-1]
        if label.rstrip("/") in shown[-len(label) - 1 :] or not shown.strip(" >"):
            return
        self._write(f" ({label})")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.pre:
            for number, part in enumerate(data.split("\n")):
                if number:
                    self._newline()
                self._write(part)
            return
        self._write(_SPACES.sub(" ", data))

    def text(self) -> str:
        text = "\n".join(line.rstrip() for line in self.lines)
        return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def html_to_text(html: str) -> str:
    """Readable plain text for an HTML body; never raises."""
    writer = _TextWriter()
    try:
        writer.feed(html)
        writer.close()
    except Exception:  # noqa: BLE001, S110 - HTMLParser is lenient; keep what was read so far
        pass
    return writer.text()


_URL_SCHEMES = {"http", "https", "mailto", "tel", "cid"}
_ATTRIBUTES = {
    **{tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan", "align", "valign"},
    "th": {"colspan", "rowspan", "align", "valign"},
    "a": {"href", "title"},
}


def too_complex(html: str) -> bool:
    """Whether sanitising this HTML could take seconds (thousands of nested tags)."""
    return html.count("<") > _MAX_TAGS


def sanitize_html(html: str) -> str:
    """HTML safe to show inside our page: no script, style, event handlers or javascript: URLs.

    Images keep ``cid:`` sources (the display layer maps them to the message's attachments);
    remote images keep their http(s) source and it is the display layer's choice to block them.
    """
    try:
        return nh3.clean(
            html,
            tags=nh3.ALLOWED_TAGS | {"font"},
            attributes=_ATTRIBUTES,
            url_schemes=_URL_SCHEMES,
            clean_content_tags={"script", "style", "title"},
            link_rel="noopener noreferrer nofollow",
        ).strip()
    except Exception:  # noqa: BLE001 - a sanitizer failure shows the text, never raw HTML
        return ""


def text_to_html(text: str) -> str:
    """A plain-text part shown beside HTML ones, escaped, line breaks kept."""
    return "<p>" + escape(text).replace("\n", "<br>\n") + "</p>"

"""Read a page's <nav> elements as a person sees them: their links and top-level items."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Link:
    text: str
    href: str
    current: str | None  # its aria-current, if any


@dataclass
class Nav:
    # Items of the nav's outermost list (what a person reads as "the menu's entries").
    items: int = 0
    links: list[Link] = field(default_factory=list)

    def link(self, text: str) -> Link:
        found = [link for link in self.links if link.text == text]
        assert len(found) == 1, f"{len(found)} links named {text!r} in {self.links}"
        return found[0]

    @property
    def texts(self) -> list[str]:
        return [link.text for link in self.links]

    @property
    def current(self) -> list[Link]:
        return [link for link in self.links if link.current]


class _NavReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.navs: dict[str, Nav] = {}
        self._nav: Nav | None = None
        self._lists = 0
        self._link: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "nav":
            self._nav = self.navs.setdefault(attr.get("aria-label") or "", Nav())
            self._lists = 0
        elif self._nav is None:
            return
        elif tag == "ul":
            self._lists += 1
        elif tag == "li" and self._lists == 1:
            self._nav.items += 1
        elif tag == "a":
            self._link, self._text = attr, []

    def handle_endtag(self, tag: str) -> None:
        if self._nav is None:
            return
        if tag == "nav":
            self._nav = None
        elif tag == "ul":
            self._lists -= 1
        elif tag == "a" and self._link is not None:
            text = " ".join("".join(self._text).split())
            self._nav.links.append(
                Link(text, self._link.get("href") or "", self._link.get("aria-current"))
            )
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._text.append(data)


def navs(response) -> dict[str, Nav]:
    """The page's navs by their aria-label ("Main", "Settings", ...)."""
    assert response.status_code == 200, response.status_code
    reader = _NavReader()
    reader.feed(response.content.decode())
    return reader.navs

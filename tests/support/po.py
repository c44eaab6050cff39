"""Reading our message catalogs without gettext tools: the .po entries (to find untranslated
or fuzzy ones) and what the compiled .mo answers (to prove it was compiled from the .po)."""

from __future__ import annotations

import ast
import gettext
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

LOCALE_DIRS = [Path(path) for path in settings.LOCALE_PATHS]
LOCALE_DIR = LOCALE_DIRS[0]  # ours; `make messages` writes it


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False
    obsolete: bool = False
    line: int = 0

    @property
    def key(self) -> str:
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid


def po_entries(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    entry, target = Entry(), None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            if target is not None:
                entries.append(entry)
            entry, target = Entry(), None
            continue
        if line.startswith("#~"):
            entry.obsolete = True
            continue
        if line.startswith("#,"):
            entry.fuzzy = entry.fuzzy or "fuzzy" in line
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            keyword, rest = None, line
        text = ast.literal_eval(rest) if rest else ""
        if keyword is not None:
            entry.line = entry.line or number
            target = keyword
            if keyword.startswith("msgstr["):
                index = int(keyword[7:-1])
                entry.msgstr[index] = text
                continue
            if keyword == "msgstr":
                entry.msgstr[0] = text
                continue
            setattr(entry, keyword, text)
            continue
        if target and target.startswith("msgstr"):
            index = int(target[7:-1]) if "[" in target else 0
            entry.msgstr[index] += text
        elif target:
            setattr(entry, target, getattr(entry, target) + text)
    if target is not None:
        entries.append(entry)
    return [e for e in entries if not e.obsolete]


def catalog(language: str, domain: str = "django", *, root: Path = LOCALE_DIR) -> dict:
    """What the committed .mo answers: ``{msgid or (msgid, n): msgstr}``."""
    path = root / language / "LC_MESSAGES" / f"{domain}.mo"
    with path.open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]

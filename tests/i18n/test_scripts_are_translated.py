"""The scripts' words (static/js) are translated too: each goes through the gettext() of
Django's JavaScriptCatalog (accounts.urls_language), and the committed djangojs catalog has
Vietnamese for each."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.i18n.marking import ROOT, _has_words
from tests.support.po import catalog
from tests.support.tenancy import client_for

SCRIPTS = sorted((ROOT / "static" / "js").glob("*.js"))
STRING = r'"((?:[^"\\]|\\.)*)"'
CALL = re.compile(rf"\b(gettext|ngettext)\(\s*{STRING}(?:\s*,\s*{STRING})?")
# What a reader sees or hears of an element: its text, its tooltip, its accessible name.
SHOWN = re.compile(
    r"\.(?:textContent|innerText|innerHTML|title|placeholder|ariaLabel)\s*=\s*(?P<value>[^;]+);"
    r'|setAttribute\(\s*"(?:aria-label|aria-description|title|placeholder)"\s*,'
    r"\s*(?P<attribute>[^;]+);"
)
LITERAL = re.compile(rf"{STRING}|'((?:[^'\\]|\\.)*)'|`((?:[^`\\]|\\.)*)`")


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _unescaped(text: str) -> str:
    return json.loads(f'"{text}"')


def script_messages(source: str) -> list[object]:
    """The catalog keys the script asks for: a msgid, or (msgid, 0) for a plural."""
    keys: list[object] = []
    for name, singular, plural in CALL.findall(source):
        if name == "ngettext" and plural:
            keys.append((_unescaped(singular), 0))
        else:
            keys.append(_unescaped(singular))
    return keys


def unwrapped_text(source: str) -> list[str]:
    """String literals with words put where a reader sees them, not through gettext."""
    found = []
    for match in SHOWN.finditer(source):
        value = CALL.sub("", match.group("value") or match.group("attribute"))
        for literal in LITERAL.finditer(value):
            text = next(group for group in literal.groups() if group is not None)
            text = re.sub(r"\$\{[^}]*\}", " ", text)  # a template literal's values
            if _has_words(text):
                found.append(f"{match.group(0).strip()[:80]}")
    return found


def test_the_heuristic_finds_english_put_on_the_page():
    source = (
        'label.textContent = "Link an article";\n'
        "button.title = `Insert a link to “${article.title}”`;\n"
        'list.setAttribute("aria-label", "People to mention");\n'
        'ok.textContent = gettext("Link an article");\n'
        "size.textContent = `${file.name} (${size} KB)`;\n"
    )

    assert len(unwrapped_text(source)) == 3
    assert script_messages(source) == ["Link an article"]


@pytest.mark.parametrize("path", SCRIPTS, ids=[_name(p) for p in SCRIPTS])
def test_script_text_goes_through_gettext(path):
    found = unwrapped_text(path.read_text(encoding="utf-8"))

    assert not found, f"{_name(path)}: text shown without gettext():\n" + "\n".join(found)


@pytest.fixture(scope="module")
def vietnamese():
    return catalog("vi", "djangojs")


@pytest.mark.parametrize("path", SCRIPTS, ids=[_name(p) for p in SCRIPTS])
def test_script_strings_have_a_vietnamese_translation(path, vietnamese):
    keys = script_messages(path.read_text(encoding="utf-8"))
    missing = sorted({str(key) for key in keys if not vietnamese.get(key)})

    assert not missing, f"{_name(path)}: no Vietnamese in djangojs.mo for {missing}"


def test_the_catalog_answers_a_vietnamese_reader_in_vietnamese(system_a, vietnamese):
    client = client_for(system_a)
    client.cookies["language"] = "vi"

    response = client.get(reverse("javascript_catalog"), {"v": "vi"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "private" in response["Cache-Control"]
    assert "max-age=86400" in response["Cache-Control"]
    body = response.content.decode()
    assert json.dumps(vietnamese["Link an article"])[1:-1] in body


def test_the_catalog_answers_an_english_reader_in_english(public_client, vietnamese):
    response = public_client.get(reverse("javascript_catalog"), {"v": "en"})

    assert response.status_code == 200
    assert json.dumps(vietnamese["Link an article"])[1:-1] not in response.content.decode()

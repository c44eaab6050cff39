"""Every word a person reads is in the Vietnamese catalog: templates and mails mark their
text, code marks what it shows, and the committed catalog translates each marked string."""

from __future__ import annotations

import pytest

from tests.i18n.marking import (
    ROOT,
    python_files,
    python_messages,
    template_messages,
    templates,
    unmarked_python_text,
    unmarked_text,
)
from tests.support.po import LOCALE_DIRS, catalog, po_entries

TEMPLATES = templates()
PYTHON = python_files()
CATALOGS = [
    (root, root / "vi" / "LC_MESSAGES" / name)
    for root in LOCALE_DIRS
    for name in ("django.po", "djangojs.po")
    if (root / "vi" / "LC_MESSAGES" / name).exists()
]


def _name(path) -> str:
    return str(path.relative_to(ROOT))


@pytest.fixture(scope="module")
def vietnamese():
    return catalog("vi")


@pytest.mark.parametrize("path", TEMPLATES, ids=[_name(p) for p in TEMPLATES])
def test_template_text_is_marked_for_translation(path):
    found = unmarked_text(path)

    assert not found, "\n".join(f"{_name(path)}:{line}: {text}" for line, text in found)


@pytest.mark.parametrize("path", TEMPLATES, ids=[_name(p) for p in TEMPLATES])
def test_template_strings_have_a_vietnamese_translation(path, vietnamese):
    missing = sorted({key for key in template_messages(path) if not vietnamese.get(key)}, key=str)

    assert not missing, f"{_name(path)}: no Vietnamese for {missing}"


@pytest.mark.parametrize("path", PYTHON, ids=[_name(p) for p in PYTHON])
def test_code_text_is_marked_and_has_a_vietnamese_translation(path, vietnamese):
    unmarked = list(unmarked_python_text(path))
    not_constant = [line for line, key in python_messages(path) if key is None]
    missing = sorted(
        {
            f"{line}: {key!r}"
            for line, key in python_messages(path)
            if key and not vietnamese.get(key)
        }
    )

    assert not unmarked, "\n".join(f"{_name(path)}:{line}: {text}" for line, text in unmarked)
    assert not not_constant, f"{_name(path)}: gettext of a non-constant at lines {not_constant}"
    assert not missing, f"{_name(path)}: no Vietnamese for\n" + "\n".join(missing)


@pytest.mark.parametrize(("root", "po"), CATALOGS, ids=[_name(po) for _root, po in CATALOGS])
def test_the_catalog_has_no_untranslated_or_fuzzy_entry(root, po):
    entries = [entry for entry in po_entries(po) if entry.msgid]

    untranslated = [e.msgid for e in entries if not all(e.msgstr.values()) or not e.msgstr]
    fuzzy = [e.msgid for e in entries if e.fuzzy]
    assert entries
    assert not untranslated, f"{len(untranslated)} untranslated, e.g. {untranslated[:10]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:10]}"


@pytest.mark.parametrize(("root", "po"), CATALOGS, ids=[_name(po) for _root, po in CATALOGS])
def test_the_compiled_catalog_is_the_committed_po_file(root, po):
    compiled = catalog("vi", po.stem, root=root)
    stale = []
    for entry in po_entries(po):
        if not entry.msgid or not all(entry.msgstr.values()):
            continue  # untranslated: the test above names it
        if entry.msgid_plural is None:
            if compiled.get(entry.key) != entry.msgstr.get(0):
                stale.append(entry.msgid)
        elif compiled.get((entry.key, 0)) != entry.msgstr.get(0):
            stale.append(entry.msgid)

    assert not stale, f"{po.stem}.mo is older than {po.name} (run `make messages`): {stale[:10]}"

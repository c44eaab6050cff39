"""parse() over every corpus message: it never raises (but on what is not mail) and reads what
each message's manifest entry expects."""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Mapping

import pytest

from tests.mail.corpus import DEFAULTS, SAMPLES, fill
from tickets.mail.parsing import Unparseable, parse


def _filled(value: object) -> object:
    if isinstance(value, str):
        return fill(value.encode(), DEFAULTS).decode()
    if isinstance(value, list | tuple):
        return [_filled(item) for item in value]
    return value


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def check(parsed: object, expect: Mapping[str, object]) -> None:
    for key, wanted in expect.items():
        wanted = _filled(wanted)
        if key in ("text_has", "full_has", "html_has"):
            field = {"text_has": "text", "full_has": "full_text", "html_has": "html"}[key]
            for snippet in wanted:  # type: ignore[attr-defined]
                assert _nfc(snippet) in getattr(parsed, field), f"{field} lacks {snippet!r}"
        elif key in ("text_lacks", "html_lacks"):
            field = "text" if key == "text_lacks" else "html"
            for snippet in wanted:  # type: ignore[attr-defined]
                assert snippet not in getattr(parsed, field), f"{field} has {snippet!r}"
        elif key == "attachments":
            got = [(a.filename, a.content_type, a.inline) for a in parsed.attachments]  # type: ignore[attr-defined]
            assert got == [tuple(item) for item in wanted]  # type: ignore[attr-defined]
        elif key == "in_reply_to":
            assert parsed.in_reply_to == ((wanted,) if wanted else ())  # type: ignore[attr-defined]
        elif key == "auto_reason":
            reason = parsed.auto_reason  # type: ignore[attr-defined]
            assert reason.startswith(wanted) if wanted else reason == "", reason  # type: ignore[arg-type]
        elif key == "bounce":
            bounce = parsed.bounce  # type: ignore[attr-defined]
            if wanted is None:
                assert bounce is None
                continue
            assert bounce is not None
            for name, value in wanted.items():  # type: ignore[attr-defined]
                value = _filled(value)
                got = getattr(bounce, name)
                assert (list(got) if isinstance(got, tuple) else got) == value, name
        elif key == "unparseable":
            continue
        else:
            assert getattr(parsed, key) == wanted, key


SMALL = [s for s in SAMPLES if not s.large]


@pytest.mark.parametrize("sample", SMALL, ids=[s.name for s in SMALL])
def test_each_corpus_message_parses_as_its_manifest_expects(sample):
    raw = sample.raw()
    if sample.expect.get("unparseable"):
        with pytest.raises(Unparseable):
            parse(raw)
        return
    check(parse(raw), sample.expect)


def test_the_corpus_has_every_shape_the_issue_asks_for():
    names = {s.name for s in SAMPLES}
    outcomes = {s.outcome for s in SAMPLES}
    assert len(SAMPLES) >= 45
    assert outcomes == {"ticket", "reply", "held", "ignored-auto", "bounce", "failed", "duplicate"}
    for prefix in ("outlook", "gmail", "apple", "thunderbird", "iphone", "bounce", "mailing-list"):
        assert any(name.startswith(prefix) for name in names), prefix
    for sample in SAMPLES:
        if sample.outcome == "reply":
            assert sample.thread_by in ("in-reply-to", "references", "subject")
        if sample.outcome == "duplicate":
            original = next(s for s in SAMPLES if s.name == sample.duplicate_of)
            assert parse(original.raw()).message_id == parse(sample.raw()).message_id


def test_placeholders_are_all_filled():
    for sample in SMALL:
        raw = sample.raw()
        for key in DEFAULTS:
            assert b"{" + key.encode() + b"}" not in raw, (sample.name, key)


def test_the_20_mb_attachment_arrives_whole():
    sample = next(s for s in SAMPLES if s.large)
    raw = sample.raw()
    assert len(raw) > 20 * 1024 * 1024
    parsed = parse(raw)
    check(parsed, sample.expect)
    assert len(parsed.attachments[0].content) == 20 * 1024 * 1024 + len(b"%PDF-1.7\n")


def test_no_corpus_message_makes_parse_raise_even_cut_short():
    # A message cut off mid-transfer must still parse (or be refused as not mail).
    for sample in SMALL:
        raw = sample.raw()
        for cut in (len(raw) // 3, len(raw) // 2, len(raw) - 7):
            with contextlib.suppress(Unparseable):
                parse(raw[:cut])

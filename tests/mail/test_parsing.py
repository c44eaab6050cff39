"""parse(): what it reads from the shapes mail comes in, and that it never raises on mail."""

from __future__ import annotations

import base64
import random

import pytest

from tests.mail.corpus import SAMPLES
from tickets.mail import parsing
from tickets.mail.charsets import decode_bytes, decode_header_value
from tickets.mail.htmltext import html_to_text, sanitize_html
from tickets.mail.invites import invite_summary
from tickets.mail.names import clean_filename
from tickets.mail.parsed import ParsedMessage
from tickets.mail.parsing import Unparseable, parse


def mail(head: str, body: bytes | str = b"") -> bytes:
    body = body.encode() if isinstance(body, str) else body
    return head.replace("\n", "\r\n").encode() + b"\r\n" + body


@pytest.mark.parametrize("raw", [b"", b"   \r\n\r\n", b"hello, this is not mail\n", b"\x89PNG\r\n"])
def test_it_refuses_input_that_is_not_mail(raw):
    with pytest.raises(Unparseable):
        parse(raw)


def test_unparseable_is_a_value_error():
    assert issubclass(Unparseable, ValueError)


def assert_storable(parsed: ParsedMessage) -> None:
    """Every text the channel stores encodes as UTF-8 and holds no NUL (PostgreSQL refuses it)."""
    texts = [value for value in vars(parsed).values() if isinstance(value, str)]
    texts += [*parsed.to, *parsed.cc, *parsed.in_reply_to, *parsed.references]
    texts += [*parsed.headers.values(), *parsed.problems]
    if parsed.bounce:
        texts += [*parsed.bounce.recipients, parsed.bounce.diagnostic]
        texts.append(parsed.bounce.original_message_id)
    for attachment in parsed.attachments:
        texts += [attachment.filename, attachment.content_type, attachment.content_id]
    for text in texts:
        text.encode("utf-8")
        assert "\x00" not in text


def test_eight_bit_headers_become_text_not_surrogates():
    raw = (
        "From: Nguyễn Văn Á <á@ví-dụ.example>\r\nTo: support@x.example\r\n"
        "Subject: Máy in\r\nContent-Type: text/plain\r\n\r\nxin chào\r\n"
    ).encode()
    parsed = parse(raw)
    assert (parsed.from_name, parsed.from_address) == ("Nguyễn Văn Á", "á@ví-dụ.example")
    assert (parsed.subject, parsed.text) == ("Máy in", "xin chào")
    assert_storable(parsed)


def test_it_never_raises_on_random_bytes_after_a_header():
    rng = random.Random(13)
    for _ in range(300):
        body = rng.randbytes(rng.randint(0, 3000))
        parsed = parse(
            b"From: a@b.example\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n" + body
        )
        assert_storable(parsed)


def test_it_never_raises_on_damaged_corpus_messages():
    rng = random.Random(11)
    for sample in SAMPLES:
        if sample.large or sample.outcome == "failed":
            continue
        raw = bytearray(sample.raw())
        for _ in range(8):
            damaged = bytearray(raw)
            for _ in range(rng.randint(1, 40)):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
            # Neither raises nor refuses: the headers are still there.
            assert_storable(parse(bytes(damaged)))


def test_a_failure_inside_the_reader_still_returns_the_message(monkeypatch):
    def broken(self):
        raise RuntimeError("bug")

    monkeypatch.setattr(parsing._Reader, "read", broken)
    parsed = parse(mail("From: Anna <anna@x.example>\nSubject: Hi\nMessage-ID: <m1@x>\n", "Body"))
    assert (parsed.from_address, parsed.subject, parsed.message_id) == (
        "anna@x.example",
        "Hi",
        "m1@x",
    )
    assert parsed.text == "Body"
    assert parsed.problems == ("parser error: RuntimeError",)


def test_it_survives_mime_nested_deeper_than_it_reads():
    head = "".join(
        f"--b{i}\nContent-Type: multipart/mixed; boundary=b{i + 1}\n\n" for i in range(60)
    )
    raw = mail("From: a@x.example\nContent-Type: multipart/mixed; boundary=b0\n", head + "deep\n")
    assert "broken MIME: nested too deep" in parse(raw).problems


def test_it_reads_quoted_printable_and_base64():
    qp = parse(
        mail(
            "From: a@x.example\nContent-Type: text/plain; charset=utf-8\n"
            "Content-Transfer-Encoding: quoted-printable\n",
            "Gr=C3=BC=C3=9Fe, a long line that wra=\nps here\n",
        )
    )
    assert qp.text == "Grüße, a long line that wraps here"
    b64 = parse(
        mail(
            "From: a@x.example\nContent-Type: text/plain; charset=utf-8\n"
            "Content-Transfer-Encoding: base64\n",
            "WGluIGNow4Bv\n",
        )
    )
    assert b64.text == "Xin chÀo"


def test_ids_and_addresses_are_read_forgivingly():
    parsed = parse(
        mail(
            'From: "Doe, John" <John.Doe@Example.COM>\nReply-To: <Help@X.example>\n'
            "To: a@x.example, =?utf-8?q?B=C3=B6b?= <b@x.example>, not-an-address\n"
            "Cc: c@x.example\nMessage-ID: <abc@x>\n"
            "In-Reply-To: <one@x> (Anna's message of Monday)\nReferences: <old@x>\n <one@x>\n",
            "Hi",
        )
    )
    assert (parsed.from_name, parsed.from_address) == ("Doe, John", "john.doe@example.com")
    assert parsed.reply_to == "help@x.example"
    assert parsed.to == ("a@x.example", "b@x.example")
    assert parsed.cc == ("c@x.example",)
    assert parsed.in_reply_to == ("one@x",)
    assert parsed.references == ("old@x", "one@x")
    assert parsed.thread_ids == ("one@x", "old@x")


def test_it_keeps_a_few_raw_headers_lower_cased():
    parsed = parse(
        mail(
            "From: a@x.example\nX-Mailer: Outlook 16\nDelivered-To: support@x.example\n"
            "X-Original-To: help@x.example\nReturn-Path: <a@x.example>\nX-Secret: no\n",
            "Hi",
        )
    )
    assert parsed.headers == {
        "x-mailer": "Outlook 16",
        "delivered-to": "support@x.example",
        "x-original-to": "help@x.example",
        "return-path": "<a@x.example>",
    }


def test_opaque_smime_stays_a_file_and_signatures_are_dropped():
    raw = mail(
        "From: a@x.example\n"
        'Content-Type: application/pkcs7-mime; smime-type=signed-data; name="smime.p7m"\n'
        "Content-Transfer-Encoding: base64\n",
        "MIIB\n",
    )
    assert [a.filename for a in parse(raw).attachments] == ["smime.p7m"]


@pytest.mark.parametrize(
    "data, charset, expected",
    [
        ("Café".encode(), "us-ascii", "Café"),
        ("Café".encode(), "iso-8859-1", "Café"),
        ("Café".encode("cp1252"), "utf-8", "Café"),
        ("“quoted”".encode("cp1252"), "iso-8859-1", "“quoted”"),
        ("你好世界".encode("gbk"), "gb2312", "你好世界"),
        ("Xin chào".encode("cp1258"), "windows-1258", "Xin chào"),
        ("Grüße".encode("cp1252"), "x-no-such-charset", "Grüße"),
        ("Grüße".encode("cp1252"), "unknown-8bit", "Grüße"),
        (b"\x81\x8d", None, "\x81\x8d"),
    ],
)
def test_bytes_decode_with_fallbacks(data, charset, expected):
    assert decode_bytes(data, charset) == expected


def test_encoded_words_with_bad_charsets_still_decode():
    assert decode_header_value("=?x-bogus?Q?Gr=FC=DFe?= aus =?utf-8?B?TcO8bmNoZW4=?=") == (
        "Grüße aus München"
    )
    assert decode_header_value("=?utf-8?B?broken") == "=?utf-8?B?broken"


@pytest.mark.parametrize(
    "name, content_type, expected",
    [
        ("C:\\Users\\anna\\report.pdf", "application/pdf", "report.pdf"),
        ("../../etc/passwd", "text/plain", "passwd"),
        ("inv\u202egpj.exe", "image/jpeg", "invgpj.exe"),
        ("a\r\nb\x00c.txt", "text/plain", "abc.txt"),
        ("", "application/pdf", "attachment.pdf"),
        ("..", "image/png", "attachment.png"),
        ("   ", "application/ms-tnef", "winmail.dat"),
        ("", "application/x-unknown-thing", "attachment.bin"),
        ("x" * 300 + ".pdf", "application/pdf", "x" * 196 + ".pdf"),
    ],
)
def test_file_names_are_cleaned_and_never_empty(name, content_type, expected):
    assert clean_filename(name, content_type) == expected


def test_html_becomes_readable_text():
    html = (
        "<p>Hello<br>there</p><p>See <a href='https://x.example/a'>the docs</a> or "
        "<a href='https://x.example/b'>https://x.example/b</a>.</p>"
        "<ul><li>one</li><li>two</li></ul><ol><li>first</li></ol>"
        "<table><tr><td>A</td><td>B</td></tr></table><blockquote>old</blockquote>"
    )
    assert html_to_text(html) == (
        "Hello\nthere\n\nSee the docs (https://x.example/a) or https://x.example/b.\n\n"
        "- one\n- two\n1. first\nA B\n> old"
    )


def test_html_is_sanitised_for_display():
    html = (
        '<p onclick="x()" style="color:red">Hi<script>alert(1)</script></p>'
        '<a href="javascript:alert(1)">bad</a><a href="https://ok.example">ok</a>'
        '<img src="cid:logo@x" onerror="x()"><img src="data:image/png;base64,AAAA">'
        "<style>p{}</style><iframe src='https://evil.example'></iframe>"
    )
    clean = sanitize_html(html)
    for bad in ("script", "onclick", "onerror", "javascript:", "<style", "iframe", "data:"):
        assert bad not in clean
    assert 'src="cid:logo@x"' in clean
    assert 'href="https://ok.example"' in clean


@pytest.mark.parametrize(
    "ics, expected",
    [
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:Review\nDTSTART:20260401T090000Z\nEND:VEVENT\n",
            "Invitation: Review at 2026-04-01 09:00 UTC",
        ),
        (
            "BEGIN:VEVENT\r\nSUMMARY:Long title that is\r\n  folded\r\n"
            "DTSTART;VALUE=DATE:20260402\r\n",
            "Invitation: Long title that is folded at 2026-04-02",
        ),
        ("METHOD:CANCEL\nBEGIN:VEVENT\nSUMMARY:Gone\nEND:VEVENT\n", "Cancelled: Gone"),
        ("BEGIN:VCALENDAR\nEND:VCALENDAR\n", ""),
    ],
)
def test_calendar_invites_make_one_summary_line(ics, expected):
    assert invite_summary(ics) == expected


def test_html_nested_thousands_deep_is_shown_as_text_in_reasonable_time():
    bomb = "<div>" * 30_000 + "deep text" + "<blockquote>" * 3_000 + "quoted"
    raw = mail("From: a@x.example\nContent-Type: text/html; charset=utf-8\n", bomb)
    parsed = parse(raw)
    assert "HTML too complex to display: shown as text" in parsed.problems
    assert parsed.html.startswith("<p>deep text")
    assert "quoted" in parsed.full_text


def test_a_base64_encoded_forwarded_message_is_decoded():
    inner = base64.b64encode(b"From: b@x.example\r\nSubject: inner\r\n\r\ninner text").decode()
    raw = mail(
        "From: a@x.example\nContent-Type: multipart/mixed; boundary=b\n",
        f"--b\nContent-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n{inner}\n--b--\n",
    )
    parsed = parse(raw)
    assert [a.filename for a in parsed.attachments] == ["inner.eml"]
    assert "inner text" in parsed.text
    assert parsed.attachments[0].content.startswith(b"From: b@x.example")


def test_a_multi_byte_charset_with_a_bad_byte_keeps_its_own_characters():
    data = "你好".encode("gb18030") + b"\xff" + "世界".encode("gb18030")
    assert decode_bytes(data, "gb2312") == "你好\ufffd世界"
    assert decode_bytes("hi".encode("utf-16"), "utf-16") == "hi"

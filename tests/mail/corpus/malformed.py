"""Broken mail: MIME boundaries that never close, missing headers, garbage bytes; and one input
that is not mail at all."""

from __future__ import annotations

from tests.mail.corpus.build import PLAIN_HEAD, PNG, Sample, message


def broken_boundaries() -> bytes:
    return message(
        PLAIN_HEAD,
        """\
From: Anna Berger <{person}>
Subject: Keyboard missing keys
Date: Mon, 23 Mar 2026 08:00:00 +0100
Message-ID: <broken-mime@acme-customer.example>
Content-Type: multipart/mixed; boundary="declared-boundary"

--declared-boundary
Content-Type: text/plain; charset=utf-8

My keyboard lost the keys Q and W.
--other-boundary
Content-Type: image/png; name="keyboard.png"
Content-Transfer-Encoding: base64

iVBORw0KGgo!!!not base64 at all###
""",
    )


def missing_headers() -> bytes:
    return message(
        """\
From: Anna Berger <{person}>
To: {support}

Hi, no subject, no date, no message id, no MIME headers. The mouse is broken.
""",
    )


def garbage_bytes() -> bytes:
    return message(
        b"From: \xff\xfeAnna \x81Berger <{person}>\n",
        PLAIN_HEAD,
        b"Subject: Sc\xe4nner \xc3\x28 broken\n",
        """\
Date: Mon, 23 Mar 2026 09:00:00 +0100
Message-ID: <garbage@acme-customer.example>
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

The scanner prints this: """,
        bytes(range(256)),
        b"\nend of report\n",
    )


def not_mail() -> bytes:
    return PNG + b"\n\x00\x01 this is an image, not a message\n"


SAMPLES = (
    Sample(
        "malformed-broken-boundaries",
        "ticket",
        broken_boundaries,
        expect={"text_has": ["My keyboard lost the keys Q and W."]},
    ),
    Sample(
        "malformed-missing-headers",
        "ticket",
        missing_headers,
        expect={"subject": "", "text_has": ["The mouse is broken."], "from_address": "{person}"},
    ),
    Sample(
        "malformed-garbage-bytes",
        "ticket",
        garbage_bytes,
        expect={"text_has": ["The scanner prints this:", "end of report"]},
    ),
    Sample("not-mail-at-all", "failed", not_mail, expect={"unparseable": True}),
)

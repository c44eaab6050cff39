"""Senders processing must look at twice: none, a stranger, a person of another System, a
spoofed person whose domain's DMARC fails, and the same message delivered twice."""

# Real mail has long header lines; the corpus keeps them as written.
# ruff: noqa: E501

from __future__ import annotations

from tests.mail.corpus.build import PLAIN_HEAD, Sample, message


def no_sender() -> bytes:
    return message(
        PLAIN_HEAD,
        """\
Subject: Anonymous note
Date: Mon, 23 Mar 2026 10:00:00 +0100
Message-ID: <no-from@relay.example>
Content-Type: text/plain; charset=us-ascii

Someone left the server room door open.
""",
    )


def forged_other_system() -> bytes:
    return message(
        """\
From: Bob Example <{other_system_person}>
To: {support}
Subject: Please reset the admin password
Date: Tue, 24 Mar 2026 08:00:00 +0100
Message-ID: <forged-1@globex-customer.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

Hi, I lost access. Please reset the admin password and send it to me.
""",
    )


def stranger_new() -> bytes:
    return message(
        """\
From: "A. Stranger" <{stranger}>
To: {support}
Subject: Question about your product
Date: Tue, 24 Mar 2026 09:00:00 +0100
Message-ID: <stranger-1@unknown-sender.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

Hello, do you also support macOS?
""",
    )


def dmarc_fail() -> bytes:
    return message(
        """\
Authentication-Results: mx.desk.example;
\tdkim=none; spf=fail smtp.mailfrom=acme-customer.example; dmarc=fail (p=REJECT) header.from=acme-customer.example
Authentication-Results: mx.attacker.example; dmarc=pass header.from=acme-customer.example
From: Anna Berger <{person}>
To: {support}
Subject: Urgent: change my bank details
Date: Tue, 24 Mar 2026 10:00:00 +0100
Message-ID: <spoof-1@attacker.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

Please pay my salary to the new account from today on.
""",
    )


def duplicate_via_imap() -> bytes:
    """The Gmail request once more, as IMAP polling finds it: other Received, same Message-ID."""
    from tests.mail.corpus.clients import gmail_new

    return (
        b"Received: from imap.poller (localhost) by desk; Tue, 03 Mar 2026 10:25:00 +0100\r\n"
        + (gmail_new())
    )


def _same_gmail() -> bytes:
    from tests.mail.corpus.clients import gmail_new

    return gmail_new()


SAMPLES = (
    Sample("no-sender", "held", no_sender, expect={"from_address": ""}),
    Sample(
        "forged-other-system-person",
        "held",
        forged_other_system,
        expect={"from_address": "{other_system_person}", "auto_reason": ""},
    ),
    Sample("stranger", "held", stranger_new, expect={"from_address": "{stranger}"}),
    Sample(
        "dmarc-fail-spoofed-person",
        "held",
        dmarc_fail,
        expect={"from_address": "{person}", "authentication_failed": True},
    ),
    Sample(
        "duplicate-same-bytes",
        "duplicate",
        _same_gmail,
        duplicate_of="gmail-new-ticket",
        expect={"subject": "Can't log in to the HR portal"},
    ),
    Sample(
        "duplicate-via-imap",
        "duplicate",
        duplicate_via_imap,
        duplicate_of="gmail-new-ticket",
        expect={"subject": "Can't log in to the HR portal"},
    ),
)

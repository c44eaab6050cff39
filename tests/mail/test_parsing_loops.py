"""Automatic mail, bounces and failed sender authentication, as parse() reports them."""

from __future__ import annotations

import pytest

from tickets.mail.loops import authentication_failed, auto_reason
from tickets.mail.parsing import parse


@pytest.mark.parametrize(
    "headers, sender, expected",
    [
        ({"auto-submitted": "auto-replied"}, "a@x", "auto-submitted: auto-replied"),
        (
            {"auto-submitted": "auto-generated; owner-email=x"},
            "a@x",
            "auto-submitted: auto-generated",
        ),
        ({"auto-submitted": "no"}, "a@x", ""),
        ({"x-autoreply": "yes"}, "a@x", "auto-reply"),
        ({"x-autorespond": "Thanks"}, "a@x", "auto-reply"),
        ({"x-auto-response-suppress": "All"}, "a@x", "auto-reply"),
        ({"x-auto-response-suppress": "DR, OOF"}, "a@x", "auto-reply"),
        ({"x-auto-response-suppress": "DR, RN"}, "a@x", ""),
        ({"precedence": "bulk"}, "a@x", "precedence: bulk"),
        ({"precedence": "junk"}, "a@x", "precedence: junk"),
        ({"precedence": "list", "list-id": "<l.x>"}, "a@x", "mailing-list"),
        ({"precedence": "bulk", "list-unsubscribe": "<mailto:u@x>"}, "a@x", "mailing-list"),
        ({"list-id": "<support-group.x>"}, "a@x", ""),
        ({"precedence": "first-class"}, "a@x", ""),
        ({}, "mailer-daemon@x", "mailer-daemon"),
        ({}, "postmaster@x", "mailer-daemon"),
        ({"return-path": "<>"}, "monitor@x", "null sender"),
        ({"return-path": "<a@x>"}, "a@x", ""),
    ],
)
def test_automatic_mail_is_named(headers, sender, expected):
    assert auto_reason(headers, sender) == expected


@pytest.mark.parametrize(
    "results, failed",
    [
        (["mx; dmarc=fail header.from=x"], True),
        (["mx; spf=fail smtp.mailfrom=x; dkim=none"], True),
        (["mx; spf=fail smtp.mailfrom=x; dkim=pass header.d=x"], False),
        (["mx; spf=softfail; dkim=none; dmarc=none"], False),
        (["mx; spf=pass; dkim=pass; dmarc=pass"], False),
        (["mx; dmarc=pass", "forged.example; dmarc=fail"], False),
        ([], False),
    ],
)
def test_authentication_fails_only_on_the_receiving_servers_verdict(results, failed):
    assert authentication_failed(results) is failed


def test_a_person_writing_about_an_undeliverable_mail_is_no_bounce():
    raw = (
        b"From: Anna <anna@x.example>\r\nTo: support@desk.example\r\n"
        b"Subject: Undeliverable mail to our partner\r\n\r\n"
        b"Delivery has failed to these recipients or groups: partner@y.example - why?\r\n"
    )
    parsed = parse(raw)
    assert parsed.bounce is None
    assert parsed.auto_reason == ""


def test_a_successful_delivery_report_is_automatic_but_no_bounce():
    raw = (
        b"From: MAILER-DAEMON@mx.example\r\nTo: support@desk.example\r\n"
        b"Subject: Successful Mail Delivery Report\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\r\n\r\n'
        b"--r\r\nContent-Type: text/plain\r\n\r\nYour message was delivered.\r\n"
        b"--r\r\nContent-Type: message/delivery-status\r\n\r\n"
        b"Reporting-MTA: dns; mx.example\r\n\r\n"
        b"Final-Recipient: rfc822; ok@y.example\r\nAction: delivered\r\nStatus: 2.0.0\r\n"
        b"--r--\r\n"
    )
    parsed = parse(raw)
    assert parsed.bounce is None
    assert parsed.auto_reason == "mailer-daemon"

"""Mail from machines: delivery reports (bounces), out-of-office replies, auto-responders,
mailing lists, newsletters, our own mail come back."""

from __future__ import annotations

from tests.mail.corpus.build import Sample, message


def bounce_postfix_dsn() -> bytes:
    return message(
        """\
Return-Path: <>
Received: by mx.customer.example (Postfix) id 4fR1; Tue, 03 Mar 2026 12:00:05 +0100 (CET)
Date: Tue, 03 Mar 2026 12:00:05 +0100 (CET)
From: MAILER-DAEMON@mx.customer.example (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: {support}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="4fR1.1772535605/mx.customer.example"
Message-Id: <20260303110005.4fR1@mx.customer.example>

This is a MIME-encapsulated message.

--4fR1.1772535605/mx.customer.example
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.customer.example.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<left.company@customer.example>: host mailstore.customer.example said: 550 5.1.1
    <left.company@customer.example>: Recipient address rejected: User unknown

--4fR1.1772535605/mx.customer.example
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.customer.example
X-Postfix-Queue-ID: 4fR1
Arrival-Date: Tue,  3 Mar 2026 12:00:04 +0100 (CET)

Final-Recipient: rfc822; Left.Company@customer.example
Original-Recipient: rfc822;left.company@customer.example
Action: failed
Status: 5.1.1
Remote-MTA: dns; mailstore.customer.example
Diagnostic-Code: smtp; 550 5.1.1 <left.company@customer.example>: Recipient
    address rejected: User unknown

--4fR1.1772535605/mx.customer.example
Content-Description: Undelivered Message
Content-Type: message/rfc822

From: ACME Support <{support}>
To: left.company@customer.example
Subject: [#12] Your ticket was updated
Date: Tue, 03 Mar 2026 12:00:00 +0100
Message-ID: <{our_message_id}>
Auto-Submitted: auto-generated
Content-Type: text/plain; charset=utf-8

##- Please type your reply above this line -##
Your ticket was updated.

--4fR1.1772535605/mx.customer.example--
""",
    )


def bounce_exchange_headers_only() -> bytes:
    return message(
        """\
From: Microsoft Outlook <postmaster@customer.example>
To: <{support}>
Date: Wed, 4 Mar 2026 09:00:10 +0000
Subject: Undeliverable: [#12] Your ticket was updated
Message-ID: <a1b2c3d4-ndr@customer.example>
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="ndr-boundary"
MIME-Version: 1.0
X-MS-Exchange-Message-Is-Ndr:
Auto-Submitted: auto-replied

--ndr-boundary
Content-Type: text/plain; charset="us-ascii"

Delivery has failed to these recipients or groups:

mailbox.full@customer.example
The recipient's mailbox is full and can't accept messages now.

--ndr-boundary
Content-Type: message/delivery-status

Reporting-MTA: dns;EX01.customer.example
Received-From-MTA: dns;mx.desk.example
Arrival-Date: Wed, 4 Mar 2026 09:00:08 +0000

Final-Recipient: rfc822;mailbox.full@customer.example
Action: failed
Status: 5.2.2
Diagnostic-Code: smtp;554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException

--ndr-boundary
Content-Type: text/rfc822-headers

From: ACME Support <{support}>
To: <mailbox.full@customer.example>
Subject: [#12] Your ticket was updated
Message-ID: <{our_message_id}>
Date: Wed, 4 Mar 2026 09:00:00 +0000

--ndr-boundary--
""",
    )


def bounce_delayed() -> bytes:
    return message(
        """\
From: Mail Delivery Subsystem <mailer-daemon@relay.example>
To: {support}
Subject: Delivery Status Notification (Delay)
Date: Wed, 4 Mar 2026 13:00:00 +0000
Message-ID: <delay-1@relay.example>
Content-Type: multipart/report; report-type=delivery-status; boundary="delay"
MIME-Version: 1.0

--delay
Content-Type: text/plain; charset=us-ascii

Delivery incomplete: there was a temporary problem delivering your message to
slow@customer.example. We will retry for 46 more hours.

--delay
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.example

Final-Recipient: rfc822; slow@customer.example
Action: delayed
Status: 4.4.1
Diagnostic-Code: smtp; 421 4.4.1 Connection timed out

--delay
Content-Type: text/rfc822-headers

Message-ID: <{our_message_id}>
Subject: [#12] Your ticket was updated

--delay--
""",
    )


def bounce_exim_plain() -> bytes:
    return message(
        """\
Return-path: <>
From: Mail Delivery System <Mailer-Daemon@mail.customer.example>
To: {support}
Subject: Mail delivery failed: returning message to sender
Message-Id: <E1vXyZ-000123-AB@mail.customer.example>
Date: Thu, 05 Mar 2026 10:00:00 +0100

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  gone@customer.example
    host mail.customer.example [192.0.2.10]
    SMTP error from remote mail server after RCPT TO:<gone@customer.example>:
    550 5.1.1 User unknown

------ This is a copy of the message, including all the headers. ------

Return-path: <{support}>
From: ACME Support <{support}>
To: gone@customer.example
Subject: [#12] Your ticket was updated
Message-ID: <{our_message_id}>

##- Please type your reply above this line -##
""",
    )


def bounce_exchange_plain() -> bytes:
    return message(
        """\
From: postmaster@old-exchange.customer.example
To: {support}
Subject: Undeliverable: [#12] Your ticket was updated
Date: Thu, 05 Mar 2026 11:00:00 +0100
Message-ID: <ndr-plain-1@old-exchange.customer.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

Delivery has failed to these recipients or groups:

Former Employee (former@customer.example)
The e-mail address you entered couldn't be found. #550 5.1.10 RESOLVER.ADR.RecipientNotFound

Original message headers:

Message-ID: <{our_message_id}>
Subject: [#12] Your ticket was updated
""",
    )


def out_of_office_outlook() -> bytes:
    return message(
        """\
From: Anna Berger <{person}>
To: ACME Support <{support}>
Subject: Automatic reply: [#12] Your ticket was updated
Date: Fri, 6 Mar 2026 08:00:01 +0000
Message-ID: <oof-1@acme-customer.example>
In-Reply-To: <{ticket_message_id}>
Auto-Submitted: auto-replied
X-Auto-Response-Suppress: All
X-MS-Exchange-Inbox-Rules-Loop: {person}
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

I am out of the office until 16 March with no access to e-mail.
""",
    )


def out_of_office_oof_only() -> bytes:
    return message(
        """\
From: Anna Berger <{person}>
To: {support}
Subject: Out of Office: Re: [#12] Your ticket was updated
Date: Fri, 6 Mar 2026 08:10:00 +0000
Message-ID: <oof-2@acme-customer.example>
X-Auto-Response-Suppress: DR, RN, NRN, OOF, AutoReply
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

Back on Monday.
""",
    )


def vacation_x_autoreply() -> bytes:
    return message(
        """\
From: Anna Berger <{person}>
To: {support}
Subject: Re: [#12] Your ticket was updated
Date: Fri, 6 Mar 2026 09:00:00 +0100
Message-ID: <vacation-1@acme-customer.example>
In-Reply-To: <{ticket_message_id}>
X-Autoreply: yes
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

I'm on holiday. Your mail will not be forwarded.
""",
    )


def autorespond_helpdesk() -> bytes:
    return message(
        """\
From: Other Helpdesk <{stranger}>
To: {support}
Subject: [Ticket#90210] We received your request
Date: Fri, 6 Mar 2026 09:30:00 +0100
Message-ID: <autorespond-1@unknown-sender.example>
X-Autorespond: Thank you for contacting us
Precedence: auto_reply
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

We received your request and will answer within 2 business days.
""",
    )


def mailing_list() -> bytes:
    return message(
        """\
From: Anna Berger <{person}>
To: it-announce@lists.acme-customer.example
Cc: {support}
Subject: [it-announce] Maintenance window on Saturday
Date: Sat, 7 Mar 2026 07:00:00 +0100
Message-ID: <list-1@acme-customer.example>
List-Id: IT announcements <it-announce.lists.acme-customer.example>
List-Unsubscribe: <mailto:it-announce-leave@lists.acme-customer.example>
List-Post: <mailto:it-announce@lists.acme-customer.example>
Precedence: list
Sender: it-announce-bounces@lists.acme-customer.example
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

The mail servers are down for maintenance on Saturday 8-10.
""",
    )


def newsletter_bulk() -> bytes:
    return message(
        """\
From: Vendor News <news@vendor.example>
To: {support}
Subject: Our spring offers
Date: Sat, 7 Mar 2026 06:00:00 +0000
Message-ID: <newsletter-1@vendor.example>
Precedence: bulk
List-Unsubscribe: <https://vendor.example/unsubscribe?u=1>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<p>Spring offers! <a href="https://vendor.example/offers">See all</a></p>
""",
    )


def postmaster_notice() -> bytes:
    return message(
        """\
From: postmaster@customer.example
To: {support}
Subject: Your message to the quarantine
Date: Sun, 8 Mar 2026 06:00:00 +0000
Message-ID: <quarantine-1@customer.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

A message was put into quarantine by the content filter. Nothing failed.
""",
    )


def null_return_path() -> bytes:
    return message(
        """\
Return-Path: <>
From: Monitoring <monitor@acme-customer.example>
To: {support}
Subject: CRITICAL: disk /var on web01 at 97%
Date: Sun, 8 Mar 2026 07:00:00 +0000
Message-ID: <monitor-1@acme-customer.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

Disk /var on web01 is at 97%.
""",
    )


def our_own_looped() -> bytes:
    return message(
        """\
From: ACME Support <{support}>
To: {support}
Subject: [#12] Your ticket was updated
Date: Sun, 8 Mar 2026 08:00:00 +0000
Message-ID: <{ticket_message_id}>
Auto-Submitted: auto-generated
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

##- Please type your reply above this line -##
Your ticket was updated.
""",
    )


def _bounce(recipients: list[str], permanent: bool) -> dict[str, object]:
    return {
        "recipients": recipients,
        "permanent": permanent,
        "original_message_id": "{our_message_id}",
    }


SAMPLES = (
    Sample(
        "bounce-postfix-dsn",
        "bounce",
        bounce_postfix_dsn,
        expect={
            "auto_reason": "bounce",
            "bounce": {
                **_bounce(["left.company@customer.example"], True),
                "diagnostic": "550 5.1.1 <left.company@customer.example>: Recipient address "
                "rejected: User unknown",
            },
        },
    ),
    Sample(
        "bounce-exchange-rfc822-headers",
        "bounce",
        bounce_exchange_headers_only,
        expect={
            "auto_reason": "bounce",
            "bounce": _bounce(["mailbox.full@customer.example"], True),
        },
    ),
    Sample(
        "bounce-delayed-soft",
        "bounce",
        bounce_delayed,
        expect={"auto_reason": "bounce", "bounce": _bounce(["slow@customer.example"], False)},
    ),
    Sample(
        "bounce-exim-plain-text",
        "bounce",
        bounce_exim_plain,
        expect={"auto_reason": "bounce", "bounce": _bounce(["gone@customer.example"], True)},
    ),
    Sample(
        "bounce-exchange-plain-text",
        "bounce",
        bounce_exchange_plain,
        expect={"auto_reason": "bounce", "bounce": _bounce(["former@customer.example"], True)},
    ),
    Sample(
        "out-of-office-outlook",
        "ignored-auto",
        out_of_office_outlook,
        expect={"auto_reason": "auto-submitted: auto-replied", "bounce": None},
    ),
    Sample(
        "out-of-office-oof-suppress-only",
        "ignored-auto",
        out_of_office_oof_only,
        expect={"auto_reason": "auto-reply"},
    ),
    Sample(
        "vacation-x-autoreply",
        "ignored-auto",
        vacation_x_autoreply,
        expect={"auto_reason": "auto-reply"},
    ),
    Sample(
        "autorespond-other-helpdesk",
        "ignored-auto",
        autorespond_helpdesk,
        expect={"auto_reason": "auto-reply"},
    ),
    Sample(
        "mailing-list",
        "ignored-auto",
        mailing_list,
        expect={"auto_reason": "mailing-list"},
    ),
    Sample(
        "newsletter-bulk",
        "ignored-auto",
        newsletter_bulk,
        expect={"auto_reason": "mailing-list", "text_has": ["Spring offers! See all"]},
    ),
    Sample(
        "postmaster-notice",
        "ignored-auto",
        postmaster_notice,
        expect={"auto_reason": "mailer-daemon", "bounce": None},
    ),
    Sample(
        "null-return-path",
        "ignored-auto",
        null_return_path,
        expect={"auto_reason": "null sender"},
    ),
    Sample(
        "our-own-mail-looped-back",
        "ignored-auto",
        our_own_looped,
        expect={"auto_reason": "auto-submitted: auto-generated"},
    ),
)

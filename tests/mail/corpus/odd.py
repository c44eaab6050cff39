"""The messages that break parsers: HTML-only, odd charsets and names, signed, forwarded,
invites, huge, malformed, not mail at all; and senders processing must hold back."""

# Real mail has long lines and non-ASCII punctuation; the corpus keeps them as written.
# ruff: noqa: E501, RUF001

from __future__ import annotations

import base64
import unicodedata

from tests.mail.corpus.build import PDF, PNG, Sample, b64, message, qp, word

PLAIN_HEAD = """\
MIME-Version: 1.0
To: {support}
"""


def html_only() -> bytes:
    html = """\
<!DOCTYPE html><html><head><title>ignored title</title>
<style>.x { color: red }</style><script>document.location='https://evil.example/'</script></head>
<body onload="steal()"><h2>Broken links on the intranet</h2>
<p>These pages give <b>404</b>:</p>
<ul><li><a href="https://intranet.example/hr/holidays">Holiday calendar</a></li>
<li><a href="javascript:alert(1)" onclick="alert(2)">Canteen menu</a></li></ul>
<ol><li>Open the start page</li><li>Click &quot;HR&quot;</li></ol>
<p>Thanks<br>Anna</p></body></html>
"""
    return message(
        PLAIN_HEAD,
        """\
From: Anna Berger <{person}>
Subject: Broken links on the intranet
Date: Mon, 16 Mar 2026 09:00:00 +0100
Message-ID: <html-only-1@acme-customer.example>
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

""",
        qp(html),
    )


def html_cid_image() -> bytes:
    return message(
        PLAIN_HEAD,
        """\
From: Anna Berger <{person}>
Subject: Screenshot of the error
Date: Mon, 16 Mar 2026 10:00:00 +0100
Message-ID: <html-cid-1@acme-customer.example>
Content-Type: multipart/related; boundary="rel-boundary-42"

--rel-boundary-42
Content-Type: text/html; charset=utf-8

<div>The error looks like this:</div><div><img src="cid:shot-1@acme-customer.example" width="400"></div>
--rel-boundary-42
Content-Type: image/png
Content-Transfer-Encoding: base64
Content-ID: <shot-1@acme-customer.example>

""",
        b64(PNG),
        """--rel-boundary-42--
""",
    )


def vietnamese_new() -> bytes:
    body = (
        "Chào anh chị,\n\nMáy tính của tôi không kết nối được Wi-Fi ở tầng 2 từ sáng nay.\n\n"
        "Trân trọng,\nNguyễn Văn Á\n"
    )
    return message(
        PLAIN_HEAD,
        f"""\
From: {word("Nguyễn Văn Á")} <{{person}}>
Subject: {word("Không kết nối được Wi-Fi")}
Date: Tue, 17 Mar 2026 08:30:00 +0700
Message-ID: <vi-new-1@acme-customer.example>
Content-Type: multipart/mixed; boundary="b-vi-1"

--b-vi-1
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: base64

""",
        b64(body.encode()),
        f"""
--b-vi-1
Content-Type: application/pdf; name="{word("Báo cáo lỗi.pdf")}"
Content-Disposition: attachment; filename="{word("Báo cáo lỗi.pdf")}"
Content-Transfer-Encoding: base64

""",
        b64(PDF),
        """--b-vi-1--
""",
    )


def cp1258(text: str) -> bytes:
    """Vietnamese as windows-1258 writes it: base letters with tone marks as combining marks."""
    out = b""
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", char)
            try:
                out += unicodedata.normalize("NFC", base + marks[0]).encode("cp1258")
                marks = marks[1:]
            except UnicodeEncodeError:
                out += base.encode("cp1258")
            out += "".join(marks).encode("cp1258")
    return out


def vietnamese_windows_1258() -> bytes:
    body = cp1258("Xin chào,\nTôi cần cài lại phần mềm kế toán.\n")
    subject = base64.b64encode(cp1258("Cài lại phần mềm")).decode()
    return message(
        PLAIN_HEAD,
        f"""\
From: Tran Thi Mai <{{person}}>
Subject: =?windows-1258?B?{subject}?=
Date: Tue, 17 Mar 2026 09:30:00 +0700
Message-ID: <vi-1258@acme-customer.example>
Content-Type: text/plain; charset=windows-1258
Content-Transfer-Encoding: 8bit

""",
        body,
    )


def chinese_gb2312() -> bytes:
    body = "你好，\n会议室的投影仪无法开机。\n谢谢！\n".encode("gb2312")
    return message(
        PLAIN_HEAD,
        f"""\
From: {word("王小明", "gb2312")} <{{person}}>
Subject: {word("投影仪坏了", "gb2312")}
Date: Wed, 18 Mar 2026 11:00:00 +0800
Message-ID: <zh-gb2312@acme-customer.example>
Content-Type: multipart/mixed; boundary="----=_Part_99_12345.1710730000000"

------=_Part_99_12345.1710730000000
Content-Type: text/plain; charset=gb2312
Content-Transfer-Encoding: 8bit

""",
        body,
        """
------=_Part_99_12345.1710730000000
Content-Type: application/pdf
Content-Disposition: attachment;
 filename*0*=utf-8''%E4%BC%9A%E8%AE%AE%E5%AE%A4;
 filename*1*=%E7%85%A7%E7%89%87.pdf
Content-Transfer-Encoding: base64

""",
        b64(PDF),
        """------=_Part_99_12345.1710730000000--
""",
    )


def german_latin1() -> bytes:
    return message(
        PLAIN_HEAD,
        """\
From: =?iso-8859-1?Q?J=FCrgen_M=FCller?= <{person}>
Subject: =?iso-8859-1?Q?Pr=FCfbericht_f=FCr_die_K=FChlanlage?=
Date: Thu, 19 Mar 2026 07:00:00 +0100
Message-ID: <de-latin1@acme-customer.example>
Content-Type: multipart/mixed; boundary="de-boundary"

--de-boundary
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

Anbei der Pr=FCfbericht. Die K=FChlanlage l=E4uft wieder =BBnormal=AB.

--de-boundary
Content-Type: application/pdf; name="=?iso-8859-1?Q?Pr=FCfbericht_K=FChlanlage.pdf?="
Content-Disposition: attachment; filename="=?iso-8859-1?Q?Pr=FCfbericht_K=FChlanlage.pdf?="
Content-Transfer-Encoding: base64

""",
        b64(PDF),
        """--de-boundary--
""",
    )


def declared_ascii_utf8_bytes() -> bytes:
    return message(
        PLAIN_HEAD,
        """\
From: Zoë Ångström <{person}>
Subject: Café Wi-Fi – password?
Date: Thu, 19 Mar 2026 12:00:00 +0100
Message-ID: <wrong-charset@acme-customer.example>
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: 8bit

The Wi-Fi in the café on floor 0 asks for a password – who knows it? Merci beaucoup, Zoë
""",
    )


def unknown_8bit() -> bytes:
    return message(
        PLAIN_HEAD,
        """\
From: Anna Berger <{person}>
Subject: Scanner settings
Date: Thu, 19 Mar 2026 13:00:00 +0100
Message-ID: <unknown-8bit@acme-customer.example>
Content-Type: text/plain; charset=unknown-8bit
Content-Transfer-Encoding: 8bit

""",
        "Please set the scanner to 300 dpi for the résumé folder.\n".encode("cp1252"),
    )


def bad_filenames() -> bytes:
    return message(
        PLAIN_HEAD,
        """\
From: Anna Berger <{person}>
Subject: Files from the old share
Date: Fri, 20 Mar 2026 09:00:00 +0100
Message-ID: <bad-names@acme-customer.example>
Content-Type: multipart/mixed; boundary="names"

--names
Content-Type: text/plain; charset=us-ascii

Three files from the old share.

--names
Content-Type: application/octet-stream; name="C:\\Users\\anna\\..\\..\\Windows\\boot.ini"
Content-Disposition: attachment; filename="C:\\Users\\anna\\..\\..\\Windows\\boot.ini"
Content-Transfer-Encoding: base64

""",
        b64(b"[boot loader]\n"),
        """
--names
Content-Type: application/pdf; name="=?utf-8?B?aW52b2ljZQ3igK5mZHAuZXhl?="
Content-Disposition: attachment; filename*=utf-8''..%2F..%2Finvoice%0D%E2%80%AEfdp.exe
Content-Transfer-Encoding: base64

""",
        b64(PDF),
        """
--names
Content-Type: image/png
Content-Disposition: attachment
Content-Transfer-Encoding: base64

""",
        b64(PNG),
        """--names--
""",
    )


def calendar_invite() -> bytes:
    ics = """\
BEGIN:VCALENDAR
METHOD:REQUEST
PRODID:Microsoft Exchange Server 2010
VERSION:2.0
BEGIN:VTIMEZONE
TZID:W. Europe Standard Time
END:VTIMEZONE
BEGIN:VEVENT
ORGANIZER;CN=Anna Berger:mailto:{person}
ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:{support}
SUMMARY;LANGUAGE=en-US:Server room walkthrough\\, part 2
DTSTART;TZID=W. Europe Standard Time:20260325T140000
DTEND;TZID=W. Europe Standard Time:20260325T150000
UID:040000008200E00074C5B7101A82E00800000000B0C1D2E3F4
LOCATION;LANGUAGE=en-US:Basement B2
END:VEVENT
END:VCALENDAR
"""
    return message(
        PLAIN_HEAD,
        """\
From: Anna Berger <{person}>
Subject: Server room walkthrough, part 2
Date: Fri, 20 Mar 2026 10:00:00 +0000
Message-ID: <invite-1@acme-customer.example>
Content-Type: multipart/mixed; boundary="_cal_mixed_"

--_cal_mixed_
Content-Type: multipart/alternative; boundary="_cal_alt_"

--_cal_alt_
Content-Type: text/plain; charset="utf-8"

Let's walk through the server room together.

--_cal_alt_
Content-Type: text/calendar; charset="utf-8"; method=REQUEST

""",
        ics,
        """
--_cal_alt_--

--_cal_mixed_
Content-Type: application/ics; name="invite.ics"
Content-Disposition: attachment; filename="invite.ics"

""",
        ics,
        """
--_cal_mixed_--
""",
    )


def large_attachment() -> bytes:
    """20 MB of PDF-looking bytes, built at run time."""
    chunk = bytes(range(256)) * 4096  # 1 MiB
    data = b"%PDF-1.7\n" + chunk * 20
    return message(
        PLAIN_HEAD,
        """\
From: Anna Berger <{person}>
Subject: Scan of all 2025 invoices (large)
Date: Fri, 20 Mar 2026 11:00:00 +0100
Message-ID: <large-20mb@acme-customer.example>
Content-Type: multipart/mixed; boundary="big"

--big
Content-Type: text/plain; charset=us-ascii

The scan is attached, about 20 MB.

--big
Content-Type: application/pdf; name="invoices-2025.pdf"
Content-Disposition: attachment; filename="invoices-2025.pdf"
Content-Transfer-Encoding: base64

""",
        b64(data),
        """--big--
""",
    )


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


def not_mail() -> bytes:
    return PNG + b"\n\x00\x01 this is an image, not a message\n"


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


def no_subject() -> bytes:
    return message(
        """\
From: Anna Berger <{person}>
To: {support}
Date: Wed, 25 Mar 2026 08:00:00 +0100
Message-ID: <no-subject@acme-customer.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

The coffee machine in the kitchen shows error E42.
""",
    )


def attachment_only() -> bytes:
    return message(
        PLAIN_HEAD,
        """\
From: Anna Berger <{person}>
Subject: scan
Date: Wed, 25 Mar 2026 09:00:00 +0100
Message-ID: <attachment-only@acme-customer.example>
Content-Type: multipart/mixed; boundary="only"

--only
Content-Type: application/pdf; name="scan0001.pdf"
Content-Disposition: attachment; filename="scan0001.pdf"
Content-Transfer-Encoding: base64

""",
        b64(PDF),
        """--only--
""",
    )


def smime_signed() -> bytes:
    return message(
        PLAIN_HEAD,
        """\
From: Anna Berger <{person}>
Subject: Signed: new cost centre for ticket costs
Date: Wed, 25 Mar 2026 10:00:00 +0100
Message-ID: <smime-1@acme-customer.example>
Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256;
\tboundary="----smime-boundary"

This is an S/MIME signed message

------smime-boundary
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 7bit

Please book IT costs to cost centre 4711 from April on.

------smime-boundary
Content-Type: application/pkcs7-signature; name="smime.p7s"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="smime.p7s"

""",
        b64(b"0\x82\x05\x00\x06\x09*\x86H\x86\xf7\r\x01\x07\x02" + bytes(64)),
        """
------smime-boundary--
""",
    )


def pgp_signed() -> bytes:
    return message(
        PLAIN_HEAD,
        """\
From: Anna Berger <{person}>
Subject: Key rotation done
Date: Wed, 25 Mar 2026 11:00:00 +0100
Message-ID: <pgp-1@acme-customer.example>
Content-Type: multipart/signed; micalg=pgp-sha256;
 protocol="application/pgp-signature"; boundary="pgp-b"

--pgp-b
Content-Type: multipart/mixed; boundary="pgp-inner"

--pgp-inner
Content-Type: text/plain; charset=us-ascii

The SSH keys on the build servers are rotated. Please remove the old ones from the wiki.

--pgp-inner--

--pgp-b
Content-Type: application/pgp-signature; name="signature.asc"
Content-Description: OpenPGP digital signature
Content-Disposition: attachment; filename="signature.asc"

-----BEGIN PGP SIGNATURE-----

iHUEARYIAB0WIQR0000000000000000000000000000000000AAoJEAAAAAAAAAAA
=abcd
-----END PGP SIGNATURE-----

--pgp-b--
""",
    )


def forwarded_attachment() -> bytes:
    return message(
        PLAIN_HEAD,
        """\
From: Anna Berger <{person}>
Subject: Fwd: Suspicious invoice
Date: Thu, 26 Mar 2026 08:00:00 +0100
Message-ID: <fwd-att@acme-customer.example>
Content-Type: multipart/mixed; boundary="fwd-mixed"

--fwd-mixed
Content-Type: text/plain; charset=us-ascii

Is this phishing? It came from outside.

--fwd-mixed
Content-Type: message/rfc822
Content-Disposition: attachment

From: "Billing Dept" <billing@phish.example>
To: {person}
Subject: =?utf-8?Q?Overdue_invoice_=E2=80=93_pay_now?=
Date: Wed, 25 Mar 2026 22:00:00 +0000
Message-ID: <phish-1@phish.example>
Content-Type: text/plain; charset=utf-8

Your invoice is overdue. Pay within 24 hours at https://phish.example/pay
--fwd-mixed--
""",
    )


def forwarded_inline_gmail() -> bytes:
    return message(
        PLAIN_HEAD,
        """\
From: Anna Berger <{person}>
Subject: Fwd: Licence renewal
Date: Thu, 26 Mar 2026 09:00:00 +0100
Message-ID: <fwd-inline@acme-customer.example>
Content-Type: text/plain; charset=UTF-8

Can you take care of this?

---------- Forwarded message ---------
From: Licensing <licences@vendor.example>
Date: Wed, 25 Mar 2026 at 17:00
Subject: Licence renewal
To: Anna Berger <{person}>

Your 25 seat licence expires on 31 March 2026.
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
    Sample(
        "html-only",
        "ticket",
        html_only,
        expect={
            "text_has": [
                "Broken links on the intranet",
                "- Holiday calendar (https://intranet.example/hr/holidays)",
                '1. Open the start page\n2. Click "HR"',
                "Thanks\nAnna",
            ],
            "text_lacks": ["ignored title", "document.location", "color: red", "javascript"],
            "html_has": ['href="https://intranet.example/hr/holidays"', "<ol>"],
            "html_lacks": [
                "<script",
                "onload",
                "onclick",
                "javascript:",
                "<style",
                "ignored title",
            ],
        },
    ),
    Sample(
        "html-related-cid-image",
        "ticket",
        html_cid_image,
        expect={
            "text_has": ["The error looks like this:"],
            "html_has": ['src="cid:shot-1@acme-customer.example"'],
            "attachments": [("attachment.png", "image/png", True)],
        },
    ),
    Sample(
        "vietnamese-new-with-file",
        "ticket",
        vietnamese_new,
        expect={
            "from_name": "Nguyễn Văn Á",
            "subject": "Không kết nối được Wi-Fi",
            "text_has": ["Máy tính của tôi không kết nối được Wi-Fi"],
            "attachments": [("Báo cáo lỗi.pdf", "application/pdf", False)],
        },
    ),
    Sample(
        "vietnamese-windows-1258",
        "ticket",
        vietnamese_windows_1258,
        expect={
            "subject": "Cài lại phần mềm",
            "text_has": ["Tôi cần cài lại phần mềm kế toán."],
        },
    ),
    Sample(
        "chinese-gb2312-rfc2231-filename",
        "ticket",
        chinese_gb2312,
        expect={
            "from_name": "王小明",
            "subject": "投影仪坏了",
            "text_has": ["会议室的投影仪无法开机。"],
            "attachments": [("会议室照片.pdf", "application/pdf", False)],
        },
    ),
    Sample(
        "german-latin1-encoded-word-filename",
        "ticket",
        german_latin1,
        expect={
            "from_name": "Jürgen Müller",
            "subject": "Prüfbericht für die Kühlanlage",
            "text_has": ["Die Kühlanlage läuft wieder »normal«."],
            "attachments": [("Prüfbericht Kühlanlage.pdf", "application/pdf", False)],
        },
    ),
    Sample(
        "declared-ascii-utf8-bytes",
        "ticket",
        declared_ascii_utf8_bytes,
        expect={
            "from_name": "Zoë Ångström",
            "subject": "Café Wi-Fi – password?",
            "text_has": ["in the café on floor 0 asks for a password – who knows it?"],
        },
    ),
    Sample(
        "unknown-8bit-charset",
        "ticket",
        unknown_8bit,
        expect={"text_has": ["for the résumé folder."]},
    ),
    Sample(
        "filenames-with-paths-and-controls",
        "ticket",
        bad_filenames,
        expect={
            "attachments": [
                ("boot.ini", "application/octet-stream", False),
                ("invoicefdp.exe", "application/pdf", False),
                ("attachment.png", "image/png", False),
            ],
        },
    ),
    Sample(
        "calendar-invite",
        "ticket",
        calendar_invite,
        expect={
            "text_has": [
                "Let's walk through the server room together.",
                "Invitation: Server room walkthrough, part 2 at 2026-03-25 14:00 "
                "(W. Europe Standard Time)",
            ],
            "attachments": [("invite.ics", "text/calendar", False)],
        },
    ),
    Sample(
        "large-20mb-attachment",
        "ticket",
        large_attachment,
        large=True,
        expect={
            "text_has": ["The scan is attached"],
            "attachments": [("invoices-2025.pdf", "application/pdf", False)],
        },
    ),
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
    Sample("no-sender", "held", no_sender, expect={"from_address": ""}),
    Sample("not-mail-at-all", "failed", not_mail, expect={"unparseable": True}),
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
        "no-subject",
        "ticket",
        no_subject,
        expect={"subject": "", "text_has": ["error E42"]},
    ),
    Sample(
        "attachment-only",
        "ticket",
        attachment_only,
        expect={"attachments": [("scan0001.pdf", "application/pdf", False)], "text": ""},
    ),
    Sample(
        "smime-signed",
        "ticket",
        smime_signed,
        expect={"text_has": ["cost centre 4711"], "attachments": []},
    ),
    Sample(
        "pgp-signed",
        "ticket",
        pgp_signed,
        expect={"text_has": ["SSH keys on the build servers"], "attachments": []},
    ),
    Sample(
        "forwarded-as-attachment",
        "ticket",
        forwarded_attachment,
        expect={
            "text_has": ["Is this phishing?"],
            "full_has": ["Your invoice is overdue.", "From: Billing Dept <billing@phish.example>"],
            "attachments": [("Overdue invoice – pay now.eml", "message/rfc822", False)],
        },
    ),
    Sample(
        "forwarded-inline-gmail",
        "ticket",
        forwarded_inline_gmail,
        expect={"text_has": ["Can you take care of this?", "licence expires on 31 March 2026"]},
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

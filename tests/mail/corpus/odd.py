"""Message shapes that break parsers: HTML-only, odd file names, signed, forwarded, invites,
huge, no subject, no text."""

# Real mail has long lines and non-ASCII punctuation; the corpus keeps them as written.
# ruff: noqa: E501, RUF001

from __future__ import annotations

from tests.mail.corpus.build import PDF, PLAIN_HEAD, PNG, Sample, b64, message, qp


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
)

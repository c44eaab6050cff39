"""Mail as Outlook writes it: Exchange headers, HTML with Word styles, winmail.dat,
"-----Original Message-----" and "From: / Sent:" history blocks, nested related parts."""

# Real mail has long lines; the corpus keeps them as written.
# ruff: noqa: E501

from __future__ import annotations

from tests.mail.corpus.build import PDF, PNG, Sample, b64, message

OUTLOOK_HEAD = """\
Received: from EUR03-AM7-obe.outbound.protection.outlook.example (mail-am7eur03.example [40.107.105.1])
\tby mx.desk.example with ESMTPS id 4fQx2Z; Tue, 03 Mar 2026 09:14:25 +0100
From: Anna Berger <{person}>
To: "ACME Support" <{support}>
"""


def outlook_new() -> bytes:
    return message(
        OUTLOOK_HEAD,
        """\
Subject: Printer on 3rd floor shows "Paper jam" all the time
Thread-Topic: Printer on 3rd floor shows "Paper jam" all the time
Thread-Index: AdqNb2L0l2Qm3nJkQ0y2kT1c5b0mZw==
Date: Tue, 3 Mar 2026 08:14:22 +0000
Message-ID: <AM7PR03MB6451A1B2C3D4E5F6@AM7PR03MB6451.eurprd03.prod.outlook.example>
Accept-Language: de-DE, en-US
Content-Language: en-US
X-MS-Has-Attach:
X-MS-TNEF-Correlator:
Content-Type: multipart/alternative;
\tboundary="_000_AM7PR03MB6451A1B2C3D4E5F6AM7PR03MB6451eurprd03prod_"
MIME-Version: 1.0

--_000_AM7PR03MB6451A1B2C3D4E5F6AM7PR03MB6451eurprd03prod_
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

Hello,

the printer on the 3rd floor (HP LaserJet M507) shows "Paper jam" even thou=
gh there is no paper in it. We opened every tray twice.

Could someone have a look today?

Best regards
Anna Berger
Accounting

--_000_AM7PR03MB6451A1B2C3D4E5F6AM7PR03MB6451eurprd03prod_
Content-Type: text/html; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

<html xmlns:o=3D"urn:schemas-microsoft-com:office:office">
<head><meta http-equiv=3D"Content-Type" content=3D"text/html; charset=3Dus-a=
scii"><style><!-- p.MsoNormal {margin:0cm; font-size:11.0pt} --></style></head>
<body lang=3D"EN-US"><div class=3D"WordSection1">
<p class=3D"MsoNormal">Hello,<o:p></o:p></p>
<p class=3D"MsoNormal">the printer on the 3rd floor (HP LaserJet M507) shows &quot;Paper ja=
m&quot; even though there is no paper in it. We opened every tray twice.<o:p></o:p></p>
<p class=3D"MsoNormal">Could someone have a look today?<o:p></o:p></p>
<p class=3D"MsoNormal">Best regards<br>Anna Berger<br>Accounting<o:p></o:p></p>
</div></body></html>

--_000_AM7PR03MB6451A1B2C3D4E5F6AM7PR03MB6451eurprd03prod_--
""",
    )


def outlook_winmail() -> bytes:
    tnef = b"\x78\x9f\x3e\x22\x01\x00\x01\x06\x90\x08\x00\x04\x00\x00\x00\x00" + bytes(200)
    return message(
        OUTLOOK_HEAD,
        """\
Subject: Quote for new laptops (see attachment)
Date: Wed, 4 Mar 2026 10:02:11 +0000
Message-ID: <DB9PR02MB7213F00DBA11C0FFEE@DB9PR02MB7213.eurprd02.prod.outlook.example>
X-Mailer: Microsoft Outlook 16.0
Content-Type: multipart/mixed; boundary="----=_NextPart_000_0012_01DA6D9E.5C3B2A10"
MIME-Version: 1.0

This is a multi-part message in MIME format.

------=_NextPart_000_0012_01DA6D9E.5C3B2A10
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: 7bit

Hi, the quote from the supplier is attached. Please order 3 of them.

Anna

------=_NextPart_000_0012_01DA6D9E.5C3B2A10
Content-Type: application/ms-tnef; name="winmail.dat"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="winmail.dat"

""",
        b64(tnef),
        """
------=_NextPart_000_0012_01DA6D9E.5C3B2A10--
""",
    )


def outlook_reply_original() -> bytes:
    return message(
        OUTLOOK_HEAD,
        """\
Subject: RE: [#{ticket_number}] VPN drops every hour
Date: Thu, 5 Mar 2026 07:45:00 +0000
Message-ID: <VI1PR07MB5550AB12@VI1PR07MB5550.eurprd07.prod.outlook.example>
In-Reply-To: <{ticket_message_id}>
References: <{ticket_message_id}>
X-Mailer: Microsoft Outlook 14.0
MIME-Version: 1.0
Content-Type: text/plain; charset="windows-1252"
Content-Transfer-Encoding: quoted-printable

It happened again at 7:30 =96 the client log says =93keepalive timeout=94.

-----Original Message-----
From: ACME Support [mailto:{support}]=20
Sent: Wednesday, March 4, 2026 4:10 PM
To: Anna Berger
Subject: [#{ticket_number}] VPN drops every hour

##- Please type your reply above this line -##
Could you tell us when it happens next time?
""",
    )


def outlook_reply_header_block() -> bytes:
    html = """\
<html><body><div>Yes, the new cable fixed it. Thank you!</div>
<div>&nbsp;</div>
<div id="Signature"><p>Anna Berger | Accounting | +49 30 1234567</p></div>
<hr style="display:inline-block;width:98%">
<div id="divRplyFwdMsg"><b>From:</b> ACME Support &lt;{support}&gt;<br>
<b>Sent:</b> Thursday, March 5, 2026 11:02<br>
<b>To:</b> Anna Berger &lt;{person}&gt;<br>
<b>Subject:</b> [#{ticket_number}] Monitor flickers</div>
<div>Please try another cable and tell us if it helps.</div></body></html>
"""
    plain = """\
Yes, the new cable fixed it. Thank you!

Anna Berger | Accounting | +49 30 1234567

________________________________
From: ACME Support <{support}>
Sent: Thursday, March 5, 2026 11:02
To: Anna Berger <{person}>
Subject: [#{ticket_number}] Monitor flickers

Please try another cable and tell us if it helps.
"""
    return message(
        OUTLOOK_HEAD,
        """\
Subject: Re: [#{ticket_number}] Monitor flickers
Date: Thu, 5 Mar 2026 12:30:00 +0000
Message-ID: <PAXPR04MB8459D00D1E@PAXPR04MB8459.eurprd04.prod.outlook.example>
In-Reply-To: <{ticket_message_id}>
References: <older-1@acme.desk.example> <{ticket_message_id}>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="_000_PAXPR04MB8459_"

--_000_PAXPR04MB8459_
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

""",
        plain,
        """
--_000_PAXPR04MB8459_
Content-Type: text/html; charset="utf-8"
Content-Transfer-Encoding: 8bit

""",
        html,
        """
--_000_PAXPR04MB8459_--
""",
    )


def mixed_related_outlook() -> bytes:
    html = """\
<html><head><style>body { font-family: Calibri }</style></head><body>
<p>Please find the signed contract attached.</p>
<p>Kind regards<br><img src="cid:image001.png@01DA7F2B.3C4D5E60" alt="ACME logo"><br>Anna</p>
</body></html>
"""
    return message(
        OUTLOOK_HEAD,
        """\
Subject: Signed maintenance contract
Date: Fri, 13 Mar 2026 15:00:00 +0000
Message-ID: <AS8PR04MB7777A@AS8PR04MB7777.eurprd04.prod.outlook.example>
Content-Type: multipart/mixed; boundary="_004_mixed_"
MIME-Version: 1.0

--_004_mixed_
Content-Type: multipart/related; boundary="_003_related_"; type="multipart/alternative"

--_003_related_
Content-Type: multipart/alternative; boundary="_000_alt_"

--_000_alt_
Content-Type: text/plain; charset="us-ascii"

Please find the signed contract attached.

Kind regards
[ACME logo]
Anna

--_000_alt_
Content-Type: text/html; charset="us-ascii"

""",
        html,
        """
--_000_alt_--

--_003_related_
Content-Type: image/png; name="image001.png"
Content-Description: image001.png
Content-Disposition: inline; filename="image001.png"
Content-ID: <image001.png@01DA7F2B.3C4D5E60>
Content-Transfer-Encoding: base64

""",
        b64(PNG),
        """
--_003_related_--

--_004_mixed_
Content-Type: application/pdf; name="Contract 2026 signed.pdf"
Content-Disposition: attachment; filename="Contract 2026 signed.pdf"
Content-Transfer-Encoding: base64

""",
        b64(PDF),
        """
--_004_mixed_--
""",
    )


_TEXT = "text_has"
SAMPLES = (
    Sample(
        "outlook-new-ticket",
        "ticket",
        outlook_new,
        expect={
            "subject": 'Printer on 3rd floor shows "Paper jam" all the time',
            "from_address": "{person}",
            "from_name": "Anna Berger",
            _TEXT: ["even though there is no paper", "Could someone have a look today?"],
            "html_has": ["Paper jam"],
            "html_lacks": ["<style", "MsoNormal {"],
        },
    ),
    Sample(
        "outlook-winmail-dat",
        "ticket",
        outlook_winmail,
        expect={
            _TEXT: ["Please order 3 of them"],
            "attachments": [("winmail.dat", "application/ms-tnef", False)],
        },
    ),
    Sample(
        "outlook-reply-original-message",
        "reply",
        outlook_reply_original,
        thread_by="in-reply-to",
        in_reply_to="{ticket_message_id}",
        expect={
            "in_reply_to": "{ticket_message_id}",
            _TEXT: [
                "It happened again at 7:30 \u2013 the client log says \u201ckeepalive timeout\u201d."
            ],
            "text_lacks": ["Original Message", "Could you tell us"],
            "full_has": ["Could you tell us"],
        },
    ),
    Sample(
        "outlook-reply-header-block",
        "reply",
        outlook_reply_header_block,
        thread_by="in-reply-to",
        in_reply_to="{ticket_message_id}",
        expect={
            _TEXT: ["the new cable fixed it", "Anna Berger | Accounting"],
            "text_lacks": ["Please try another cable", "Sent: Thursday"],
            "full_has": ["Please try another cable"],
        },
    ),
    Sample(
        "outlook-mixed-related-alternative",
        "ticket",
        mixed_related_outlook,
        expect={
            _TEXT: ["Please find the signed contract attached."],
            "html_has": ['src="cid:image001.png@01DA7F2B.3C4D5E60"'],
            "html_lacks": ["font-family"],
            "attachments": [
                ("image001.png", "image/png", True),
                ("Contract 2026 signed.pdf", "application/pdf", False),
            ],
        },
    ),
)

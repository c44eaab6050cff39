"""Mail as people's clients write it: new requests and replies from Outlook, Gmail, Apple Mail,
Thunderbird and the iPhone, each with its own way of quoting history."""

# Real mail has long lines and non-ASCII punctuation; the corpus keeps them as written.
# ruff: noqa: E501

from __future__ import annotations

from tests.mail.corpus.build import PDF, PNG, Sample, b64, message, qp, word

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


GMAIL_HEAD = """\
Received: by mail-wr1-f41.google.example with SMTP id ffacd0b85a97d-3a1f;
        Tue, 03 Mar 2026 01:20:31 -0800 (PST)
MIME-Version: 1.0
From: Anna Berger <{person}>
To: {support}
"""


def gmail_new() -> bytes:
    return message(
        GMAIL_HEAD,
        """\
Date: Tue, 3 Mar 2026 10:20:18 +0100
Message-ID: <CAF=8vZq9xK2m+QnB4Tt0g@mail.gmail.example>
Subject: Can't log in to the HR portal
Content-Type: multipart/alternative; boundary="000000000000f1c2e2062e5a1b3c"

--000000000000f1c2e2062e5a1b3c
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

Hi,

since this morning the HR portal says "Your account is locked" when I log i=
n. I haven't changed my password.

Thanks,
Anna

--000000000000f1c2e2062e5a1b3c
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

<div dir=3D"ltr">Hi,<div><br></div><div>since this morning the HR portal sa=
ys &quot;Your account is locked&quot; when I log in. I haven&#39;t changed my=
 password.</div><div><br></div><div>Thanks,</div><div>Anna</div></div>

--000000000000f1c2e2062e5a1b3c--
""",
    )


def gmail_reply() -> bytes:
    plain = """\
That worked, I can log in again. You can close the ticket.

On Tue, 3 Mar 2026 at 11:02, ACME Support via ACME Desk <
{support}> wrote:

> ##- Please type your reply above this line -##
>
> We unlocked your account. Please try again.
>
"""
    return message(
        GMAIL_HEAD,
        """\
Date: Tue, 3 Mar 2026 11:15:40 +0100
Message-ID: <CAF=8vZpR7dW1Lk@mail.gmail.example>
In-Reply-To: <{ticket_message_id}>
References: <{ticket_message_id}>
Subject: Re: [#{ticket_number}] Can't log in to the HR portal
Content-Type: multipart/alternative; boundary="00000000000011aa22bb33cc44dd"

--00000000000011aa22bb33cc44dd
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

""",
        qp(plain),
        """
--00000000000011aa22bb33cc44dd
Content-Type: text/html; charset="UTF-8"

<div dir="ltr">That worked, I can log in again. You can close the ticket.</div><br>
<div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Tue, 3 Mar 2026 at 11:02, ACME Support via ACME Desk &lt;<a href="mailto:{support}">{support}</a>&gt; wrote:<br></div>
<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204)">
<div>##- Please type your reply above this line -##</div><p>We unlocked your account. Please try again.</p></blockquote></div>

--00000000000011aa22bb33cc44dd--
""",
    )


APPLE_HEAD = """\
From: =?utf-8?Q?J=C3=BCrgen_M=C3=BCller?= <{person}>
Content-Type: multipart/mixed;
\tboundary="Apple-Mail=_5B2E7A0C-4C1D-4E8B-9F55-1E0D6A3B2C11"
Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3774.600.62\\))
X-Mailer: Apple Mail (2.3774.600.62)
To: {support}
"""


def apple_new_inline_image() -> bytes:
    return message(
        APPLE_HEAD,
        """\
Subject: Error message when printing invoices
Date: Fri, 6 Mar 2026 14:03:11 +0100
Message-Id: <8D1E2F3A-0B4C-4D5E-8F60-718293A4B5C6@acme-customer.example>

--Apple-Mail=_5B2E7A0C-4C1D-4E8B-9F55-1E0D6A3B2C11
Content-Transfer-Encoding: quoted-printable
Content-Type: text/plain;
\tcharset=utf-8

Hello,

when I print invoices I get this message:

--Apple-Mail=_5B2E7A0C-4C1D-4E8B-9F55-1E0D6A3B2C11
Content-Disposition: inline;
\tfilename="Bildschirmfoto 2026-03-06 um 14.01.55.png"
Content-Type: image/png;
\tx-unix-mode=0644;
\tname="Bildschirmfoto 2026-03-06 um 14.01.55.png"
Content-Transfer-Encoding: base64
Content-Id: <F3C1D2B4-1111-2222-3333-444455556666>

""",
        b64(PNG),
        """
--Apple-Mail=_5B2E7A0C-4C1D-4E8B-9F55-1E0D6A3B2C11
Content-Transfer-Encoding: quoted-printable
Content-Type: text/plain;
\tcharset=utf-8

Gr=C3=BC=C3=9Fe aus M=C3=BCnchen,
J=C3=BCrgen

--Apple-Mail=_5B2E7A0C-4C1D-4E8B-9F55-1E0D6A3B2C11--
""",
    )


def apple_reply() -> bytes:
    plain = """\
I restarted the Mac as you suggested, the error is gone.

J=C3=BCrgen

> On 6. Mar 2026, at 15:20, ACME Support <{support}> wrote:
>=20
> ##- Please type your reply above this line -##
> Please restart the computer and try again.
"""
    return message(
        """\
From: =?utf-8?Q?J=C3=BCrgen_M=C3=BCller?= <{person}>
Content-Type: text/plain;
\tcharset=utf-8
Content-Transfer-Encoding: quoted-printable
Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3774.600.62\\))
Subject: Re: [#{ticket_number}] Error message when printing invoices
Date: Fri, 6 Mar 2026 16:41:09 +0100
In-Reply-To: <{ticket_message_id}>
To: ACME Support <{support}>
References: <{ticket_message_id}>
Message-Id: <0A1B2C3D-9999-4E5F-A0B1-C2D3E4F5A6B7@acme-customer.example>
X-Mailer: Apple Mail (2.3774.600.62)

""",
        plain,
    )


def thunderbird_new() -> bytes:
    return message(
        """\
Message-ID: <5e0a1c7b-2f3d-4e5a-9b8c-7d6e5f4a3b2c@acme-customer.example>
Date: Mon, 9 Mar 2026 08:55:02 +0100
MIME-Version: 1.0
User-Agent: Mozilla Thunderbird
Content-Language: de-DE
To: ACME Support <{support}>
From: Anna Berger <{person}>
Subject: Shared drive S: not mounted after update
Content-Type: text/plain; charset=UTF-8; format=flowed
Content-Transfer-Encoding: 8bit

Good morning,

after last night's Windows update the shared drive S: is no longer 
mounted on my computer (ACC-PC-17). Drive H: still works.

- S: missing
- H: fine

-- 
Anna Berger
Accounting, room 3.12
""",
    )


def thunderbird_reply() -> bytes:
    return message(
        """\
Message-ID: <9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a@acme-customer.example>
Date: Mon, 9 Mar 2026 10:12:40 +0100
MIME-Version: 1.0
User-Agent: Mozilla Thunderbird
Subject: Re: [#{ticket_number}] Shared drive S: not mounted after update
To: ACME Support <{support}>
References: <{ticket_message_id}>
From: Anna Berger <{person}>
In-Reply-To: <{ticket_message_id}>
Content-Type: text/plain; charset=UTF-8; format=flowed
Content-Transfer-Encoding: 7bit

The drive is back, thanks a lot.

On 09.03.26 09:40, ACME Support wrote:
> ##- Please type your reply above this line -##
>
> We pushed a fix to your computer. Please log out and in again.
>

-- 
Anna Berger
Accounting, room 3.12
""",
    )


IPHONE_HEAD = """\
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable
From: Anna Berger <{person}>
Mime-Version: 1.0 (1.0)
X-Mailer: iPhone Mail (22D72)
To: {support}
"""


def iphone_new() -> bytes:
    return message(
        IPHONE_HEAD,
        """\
Date: Tue, 10 Mar 2026 18:22:04 +0100
Message-Id: <3A4B5C6D-7E8F-4091-A2B3-C4D5E6F70819@acme-customer.example>
Subject: Phone can't sync mail

My work phone stopped syncing mail two hours ago. Wi-Fi and mobile data bot=
h work.

Sent from my iPhone
""",
    )


def iphone_reply() -> bytes:
    return message(
        IPHONE_HEAD,
        """\
Date: Tue, 10 Mar 2026 19:01:44 +0100
Message-Id: <AB12CD34-EF56-4789-9ABC-DEF012345678@acme-customer.example>
Subject: Re: [#{ticket_number}] Phone can't sync mail
In-Reply-To: <{ticket_message_id}>
References: <{ticket_message_id}>

Removing and adding the account fixed it =F0=9F=91=8D

Sent from my iPhone

> On 10. Mar 2026, at 18:40, ACME Support <{support}> wrote:
>=20
> =EF=BB=BF##- Please type your reply above this line -##
> Please remove the account and add it again.
""",
    )


def marker_reply_html_only() -> bytes:
    return message(
        """\
From: Anna Berger <{person}>
To: {support}
Subject: Re: [#{ticket_number}] Badge does not open the garage
Date: Wed, 11 Mar 2026 09:00:00 +0100
Message-ID: <webmail-20260311090000.77@acme-customer.example>
In-Reply-To: <{ticket_message_id}>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: 8bit

<html><body><p>It works again since this morning.</p>
<p>##- Please type your reply above this line -##</p>
<p>We re-programmed your badge yesterday evening.</p></body></html>
""",
    )


def references_only_reply() -> bytes:
    return message(
        """\
From: Anna Berger <{person}>
To: {support}
Subject: AW: Your request about the beamer
Date: Wed, 11 Mar 2026 13:10:00 +0100
Message-ID: <20260311131000.GA4411@acme-customer.example>
References: <first-mail@acme-customer.example> <{ticket_message_id}>
MIME-Version: 1.0
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

Das Kabel liegt jetzt im Besprechungsraum, danke f=FCr die schnelle Hilfe!

Am 11.03.2026 um 12:40 schrieb ACME Support:
> ##- Please type your reply above this line -##
> Wir bringen ein neues HDMI-Kabel vorbei.
""",
    )


def subject_number_reply() -> bytes:
    return message(
        """\
From: Anna Berger <{person}>
To: {support}
Subject: Re: [#{ticket_number}] Printer on 3rd floor
Date: Thu, 12 Mar 2026 08:00:00 +0100
Message-ID: <no-threading-headers.12@acme-customer.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

The printer jammed again this morning (my client strips In-Reply-To).
""",
    )


def vietnamese_reply() -> bytes:
    plain = """\
Cảm ơn anh, máy in đã hoạt động bình thường.

Vào Th 5, 12 thg 3, 2026 lúc 10:05 ACME Support <{support}> đã viết:

> ##- Please type your reply above this line -##
> Anh thử khởi động lại máy in nhé.
"""
    return message(
        f"""\
From: {word("Nguyễn Văn Á")} <{{person}}>
To: {{support}}
Subject: Re: [#{{ticket_number}}] {word("Máy in không in được")}
Date: Thu, 12 Mar 2026 10:30:00 +0700
Message-ID: <CAJ7vn0Xq@mail.gmail.example>
In-Reply-To: <{{ticket_message_id}}>
References: <{{ticket_message_id}}>
MIME-Version: 1.0
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: base64

""",
        b64(plain.encode()),
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
        "gmail-new-ticket",
        "ticket",
        gmail_new,
        expect={
            "subject": "Can't log in to the HR portal",
            _TEXT: ['says "Your account is locked" when I log in.', "Thanks,\nAnna"],
            "html_has": ["Your account is locked"],
        },
    ),
    Sample(
        "gmail-reply-on-wrote",
        "reply",
        gmail_reply,
        thread_by="in-reply-to",
        in_reply_to="{ticket_message_id}",
        expect={
            _TEXT: ["You can close the ticket."],
            "text_lacks": ["wrote:", "We unlocked your account"],
            "full_has": ["We unlocked your account"],
        },
    ),
    Sample(
        "apple-mail-inline-image",
        "ticket",
        apple_new_inline_image,
        expect={
            "from_name": "Jürgen Müller",
            _TEXT: ["when I print invoices", "Grüße aus München"],
            "attachments": [("Bildschirmfoto 2026-03-06 um 14.01.55.png", "image/png", True)],
        },
    ),
    Sample(
        "apple-mail-reply",
        "reply",
        apple_reply,
        thread_by="in-reply-to",
        in_reply_to="{ticket_message_id}",
        expect={
            _TEXT: ["the error is gone", "Jürgen"],
            "text_lacks": ["Please restart the computer", "wrote:"],
        },
    ),
    Sample(
        "thunderbird-new-flowed-signature",
        "ticket",
        thunderbird_new,
        expect={
            _TEXT: ["is no longer mounted on my computer (ACC-PC-17)", "- S: missing\n- H: fine"],
            "text_lacks": ["room 3.12"],
            "full_has": ["room 3.12"],
        },
    ),
    Sample(
        "thunderbird-reply",
        "reply",
        thunderbird_reply,
        thread_by="in-reply-to",
        in_reply_to="{ticket_message_id}",
        expect={
            _TEXT: ["The drive is back, thanks a lot."],
            "text_lacks": ["We pushed a fix", "room 3.12"],
        },
    ),
    Sample(
        "iphone-new-ticket",
        "ticket",
        iphone_new,
        expect={_TEXT: ["stopped syncing mail"], "text_lacks": ["Sent from my iPhone"]},
    ),
    Sample(
        "iphone-reply",
        "reply",
        iphone_reply,
        thread_by="in-reply-to",
        in_reply_to="{ticket_message_id}",
        expect={
            _TEXT: ["Removing and adding the account fixed it \U0001f44d"],
            "text_lacks": ["Sent from my iPhone", "Please remove the account"],
        },
    ),
    Sample(
        "html-only-reply-above-marker",
        "reply",
        marker_reply_html_only,
        thread_by="in-reply-to",
        in_reply_to="{ticket_message_id}",
        expect={
            _TEXT: ["It works again since this morning."],
            "text_lacks": ["re-programmed"],
            "full_has": ["re-programmed"],
        },
    ),
    Sample(
        "reply-by-references-only",
        "reply",
        references_only_reply,
        thread_by="references",
        in_reply_to="{ticket_message_id}",
        expect={
            _TEXT: ["danke für die schnelle Hilfe!"],
            "text_lacks": ["HDMI", "schrieb"],
        },
    ),
    Sample(
        "reply-by-subject-number",
        "reply",
        subject_number_reply,
        thread_by="subject",
        expect={"subject": "Re: [#{ticket_number}] Printer on 3rd floor", "in_reply_to": ""},
    ),
    Sample(
        "vietnamese-reply",
        "reply",
        vietnamese_reply,
        thread_by="in-reply-to",
        in_reply_to="{ticket_message_id}",
        expect={
            "from_name": "Nguyễn Văn Á",
            "subject": "Re: [#{ticket_number}] Máy in không in được",
            _TEXT: ["Cảm ơn anh, máy in đã hoạt động bình thường."],
            "text_lacks": ["đã viết", "khởi động lại"],
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

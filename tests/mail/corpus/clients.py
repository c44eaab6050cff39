"""Mail as other clients write it: Gmail, Apple Mail, Thunderbird, the iPhone and webmail,
each with its own way of quoting history; replies threaded by each header we read."""

# Real mail has long lines; the corpus keeps them as written.
# ruff: noqa: E501

from __future__ import annotations

from tests.mail.corpus.build import PNG, Sample, b64, message, qp, word

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


_TEXT = "text_has"
SAMPLES = (
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
)

"""Mail in other languages and charsets: Vietnamese (UTF-8 and windows-1258), Chinese (gb2312,
RFC 2231 file names), German (latin-1, encoded-word file names), and charsets declared wrongly."""

# Real mail has non-ASCII punctuation; the corpus keeps it as written.
# ruff: noqa: RUF001

from __future__ import annotations

import base64
import unicodedata

from tests.mail.corpus.build import PDF, PLAIN_HEAD, Sample, b64, message, word


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


SAMPLES = (
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
)

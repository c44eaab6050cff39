"""Hostile uploads through the new-ticket form, as a member would send them: each one is
either refused with a message that names the problem (the typed text kept), or stored inside
the System's own folder under a name of ours and served back only as a download, with
nosniff and a sandbox; nothing is ever written anywhere else."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings

from tests.support.images import png_bomb
from tests.support.tenancy import client_for, in_schema
from tests.tickets.conftest import png_bytes, upload
from tickets.models import Attachment, Ticket

SVG_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.domain)</script></svg>"
)
# A GIF header followed by script: an image to a sniffer of magic bytes, a page to a browser
# that sniffs the rest.
POLYGLOT = b"GIF89a/*\x00\x00\x00\x00*/=1;<script>alert(1)</script>" + b"\x00" * 32


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", b"\x00" * (50 * 1024 * 1024))  # 50 MB in ~50 KB
    return buffer.getvalue()


# name, content, and whether it may be kept (served as a download) or must be refused
CORPUS = {
    "svg with script": ("logo.svg", SVG_SCRIPT),
    "html named png": ("photo.png", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
    "polyglot gif": ("avatar.gif", POLYGLOT),
    "zip bomb": ("archive.zip", _zip_bomb()),
    "null byte in name": ("report.pdf\x00.html", b"%PDF-1.4 fake"),
    "dot-dot in name": ("../../../../etc/passwd", b"root:x:0:0"),
    "backslash dot-dot": ("..\\..\\settings.py", b"SECRET_KEY = 'x'"),
    "empty file": ("empty.txt", b""),
    "html with image name and type": ("cat.jpg", b"<html><body onload=alert(1)>"),
}


def _post(client, files, subject="Kept subject"):
    return client.post(
        "/tickets/new/",
        {"subject": subject, "description": "Kept body", "files": files},
    )


def _all_files() -> set[Path]:
    return {path.resolve() for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}


@pytest.fixture
def member_client(system_a, member_a):
    return client_for(system_a, member_a)


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_a_hostile_upload_is_refused_or_kept_only_as_a_download(
    case, system_a, member_a, member_client
):
    name, content = CORPUS[case]
    before = _all_files()

    response = _post(member_client, [upload(name, content, "image/png")])

    if response.status_code == 400:  # refused: says why, keeps what was typed
        page = response.content.decode()
        assert "Kept subject" in page and "Kept body" in page
        with in_schema(system_a):
            assert not Attachment.objects.exists()
        return
    assert response.status_code == 302, response.status_code
    folder = (Path(settings.MEDIA_ROOT) / "systems" / system_a.schema_name).resolve()
    with in_schema(system_a):  # the storage names the System's folder from the connection
        ticket = Ticket.objects.get()
        stored = list(Attachment.objects.filter(ticket=ticket))
        paths = [Path(attachment.file.path).resolve() for attachment in stored]
    assert stored
    for attachment, path in zip(stored, paths, strict=True):
        assert folder in path.parents and path.is_file(), path
        assert ".." not in attachment.file.name and "\x00" not in attachment.file.name
        assert "/" not in attachment.original_name and "\\" not in attachment.original_name
        assert "\x00" not in attachment.original_name
        download = member_client.get(f"/tickets/{ticket.number}/files/{attachment.pk}/")
        assert download.status_code == 200
        assert download["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in download["Content-Security-Policy"]
        if attachment.kind != "image":
            assert download["Content-Disposition"].startswith("attachment"), case
        else:  # shown inline only when it decoded as a real image
            assert download["Content-Type"] in {"image/png", "image/jpeg", "image/gif"}
    assert all(folder in path.parents for path in _all_files() - before)


def test_an_oversized_file_is_refused_naming_it_and_keeping_the_text(system_a, member_client):
    system_a.attachment_max_mb = 1
    system_a.save(update_fields=["attachment_max_mb"])

    response = _post(member_client, [upload("huge.bin", b"x" * (1024 * 1024 + 10))])

    assert response.status_code == 400
    page = response.content.decode()
    assert "huge.bin" in page and "larger than 1 MB" in page and "Kept body" in page


def test_a_pixel_bomb_is_refused_naming_it_without_decoding_it(system_a, member_client):
    bomb = png_bomb(30_000, 30_000)  # 900 megapixels in a few KB

    response = _post(member_client, [upload("big.png", bomb)])

    assert response.status_code == 400
    page = response.content.decode()
    assert "big.png" in page and "Kept body" in page
    with in_schema(system_a):
        assert not Attachment.objects.exists()


def test_a_real_image_still_shows_inline(system_a, member_client):
    response = _post(member_client, [upload("screen.png", png_bytes())])

    assert response.status_code == 302
    with in_schema(system_a):
        attachment = Attachment.objects.get()
    assert attachment.kind == "image"

"""Files: checked by content, limited in size, private, served safely."""

import re

import pytest
from django.core.exceptions import ValidationError

from tests.support.tenancy import client_for, in_schema
from tests.tickets.conftest import png_bytes, upload
from tickets.models import Attachment
from tickets.services import tickets as ticket_services
from tickets.services.attachments import inspect

MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("photo.txt", png_bytes(), ("image/png", "image")),
        ("clip.bin", MP4_HEAD, ("video/mp4", "video")),
        ("invoice.png", b"<!DOCTYPE html><script>alert(1)</script>", ("text/html", "file")),
        (
            "logo.png",
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>',
            ("image/svg+xml", "file"),
        ),
        (
            "broken.png",
            b"\x89PNG\r\n\x1a\n" + b"garbage" * 10,
            ("application/octet-stream", "file"),
        ),
        ("notes.exe", "Plain words, ünïcode".encode(), ("text/plain", "file")),
        ("blob.dat", bytes(range(256)) * 4, ("application/octet-stream", "file")),
    ],
)
def test_the_type_comes_from_the_content_not_the_name(name, content, expected):
    found = inspect(upload(name, content, "image/png"))
    assert (found.content_type, found.kind) == expected


def test_files_on_a_new_ticket_and_on_a_reply(
    system_a, make_ticket, member_a, agent_a, django_capture_on_commit_callbacks
):
    # After-commit work runs where the request ran: in the System's schema.
    with in_schema(system_a), django_capture_on_commit_callbacks(execute=True):
        ticket = make_ticket(member_a, files=[upload("screen.png", png_bytes((900, 600)))])
        ticket_services.ticket_reply(
            actor=agent_a, ticket=ticket, body="See attached", files=[upload("fix.txt", b"steps")]
        )
    with in_schema(system_a):
        image, text = Attachment.objects.order_by("id")
        assert (image.kind, image.reply, image.original_name) == ("image", None, "screen.png")
        assert text.reply is not None and text.content_type == "text/plain"
        assert image.thumbnail, "a thumbnail was made after commit"
        assert image.file.name.startswith("attachments/") and "screen" not in image.file.name
        assert f"/systems/{system_a.schema_name}/attachments/" in image.file.path
        assert image.file.storage.exists(image.file.name)


def test_a_file_over_the_systems_limit_is_refused_naming_it(system_a, make_ticket, member_a):
    system_a.attachment_max_mb = 1
    system_a.save(update_fields=["attachment_max_mb"])
    with pytest.raises(ValidationError, match=re.escape("“big.bin” is larger than 1 MB")):
        make_ticket(member_a, files=[upload("big.bin", b"x" * (1024 * 1024 + 1))])
    with in_schema(system_a):
        assert not Attachment.objects.exists()


def test_the_form_refuses_an_oversized_file_and_keeps_the_text(system_a, member_client):
    system_a.attachment_max_mb = 1
    system_a.save(update_fields=["attachment_max_mb"])
    response = member_client.post(
        "/tickets/new/",
        {
            "subject": "Kept subject",
            "description": "Kept body",
            "files": [upload("big.bin", b"x" * (1024 * 1024 + 1))],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "is larger than 1 MB" in page and "Kept subject" in page and "Kept body" in page
    assert "choose them again" in page


def _download(client, ticket, attachment, **params):
    return client.get(f"/tickets/{ticket.number}/files/{attachment.pk}/", params)


def test_images_show_inline_and_everything_carries_nosniff_and_a_sandbox(
    system_a, make_ticket, member_a, member_client
):
    ticket = make_ticket(
        member_a,
        files=[
            upload("a.png", png_bytes()),
            upload("page.html", b"<html><script>x()</script></html>"),
        ],
    )
    with in_schema(system_a):
        image, page = Attachment.objects.order_by("id")

    shown = _download(member_client, ticket, image)
    forced = _download(member_client, ticket, page)

    assert shown.status_code == forced.status_code == 200
    assert shown["Content-Type"] == "image/png" and shown["Content-Disposition"].startswith(
        "inline"
    )
    assert forced["Content-Type"] == "text/html"
    assert (
        forced["Content-Disposition"].startswith("attachment")
        and "page.html" in forced["Content-Disposition"]
    )
    for response in (shown, forced):
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(shown.streaming_content) == png_bytes()


def test_files_follow_the_tickets_visibility(
    system_a, make_ticket, member_a, other_member_a, agent_a
):
    ticket = make_ticket(member_a, files=[upload("a.png", png_bytes())])
    with in_schema(system_a):
        attachment = Attachment.objects.get()
    assert _download(client_for(system_a, other_member_a), ticket, attachment).status_code == 404
    assert _download(client_for(system_a, agent_a), ticket, attachment).status_code == 200
    assert (
        client_for(system_a).get(f"/tickets/{ticket.number}/files/{attachment.pk}/").status_code
        == 302
    )


def test_a_file_on_an_internal_note_is_as_private_as_the_note(
    system_a, make_ticket, member_a, agent_a, member_client
):
    ticket = make_ticket(member_a)
    with in_schema(system_a):
        ticket_services.ticket_reply(
            actor=agent_a,
            ticket=ticket,
            body="internal",
            internal=True,
            files=[upload("secret.txt", b"pw")],
        )
        attachment = Attachment.objects.get()
    assert _download(member_client, ticket, attachment).status_code == 404
    assert b"secret.txt" not in member_client.get(f"/tickets/{ticket.number}/").content


def test_a_file_id_of_another_ticket_is_a_404(system_a, make_ticket, member_a, member_client):
    first = make_ticket(member_a, files=[upload("a.png", png_bytes())])
    second = make_ticket(member_a)
    with in_schema(system_a):
        attachment = Attachment.objects.get(ticket=first)
    assert _download(member_client, second, attachment).status_code == 404


def test_production_hands_the_file_to_nginx(
    system_a, make_ticket, member_a, member_client, settings
):
    settings.FILE_SERVING = "x-accel"
    ticket = make_ticket(member_a, files=[upload("report.pdf", b"%PDF-1.4 fake")])
    with in_schema(system_a):
        attachment = Attachment.objects.get()

    response = _download(member_client, ticket, attachment)

    assert (
        response["X-Accel-Redirect"]
        == f"/protected-files/{system_a.schema_name}/{attachment.file.name}"
    )
    assert response.content == b""
    assert response["Content-Disposition"].startswith("attachment")


def test_the_ticket_page_shows_images_videos_and_files(
    system_a, make_ticket, member_a, member_client
):
    ticket = make_ticket(
        member_a,
        files=[
            upload("shot.png", png_bytes()),
            upload("clip.mp4", MP4_HEAD),
            upload("a.csv", b"a,b"),
        ],
    )
    page = member_client.get(f"/tickets/{ticket.number}/").content.decode()
    assert '<img src="/tickets/' in page and 'alt="shot.png"' in page
    assert "<video controls" in page and 'type="video/mp4"' in page
    assert "a.csv</a>" in page

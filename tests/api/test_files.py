"""/api/v1/tickets/{number}/files: upload (the reply box's checks, limits and quota),
list, read and download (the page's visibility and headers)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.apitokens.models import Scope
from tenants.models import System
from tests.api.conftest import bearer_client
from tests.factories import PlanFactory
from tests.support.tenancy import CANARY_A, in_schema
from tests.tickets.conftest import png_bytes
from tickets.models import Attachment
from tickets.services.tickets import ticket_reply

MB = 1024 * 1024
HOSTILE = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"


def _upload(client, number: int, *files, **fields):
    data = {"files": list(files), **fields}
    return client.post(f"/api/v1/tickets/{number}/files", data)


def test_a_member_uploads_a_picture_on_a_reply_to_his_ticket(
    system_a, member_a, make_ticket, api_for
):
    ticket = make_ticket(member_a)

    response = _upload(
        api_for(member_a),
        ticket.number,
        SimpleUploadedFile("screen.png", png_bytes(), "image/png"),
        body="Here is the screen",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reply"]["body"] == "Here is the screen"
    [stored] = body["files"]
    assert (stored["name"], stored["kind"], stored["content_type"]) == (
        "screen.png",
        "image",
        "image/png",
    )
    download = api_for(member_a).get(stored["download_url"].split("testserver")[-1])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("inline")


def test_html_named_png_is_stored_as_a_download_only_with_nosniff_and_a_sandbox(
    system_a, agent_a, make_ticket, api_for
):
    ticket = make_ticket(agent_a)
    client = api_for(agent_a)

    response = _upload(client, ticket.number, SimpleUploadedFile("cat.png", HOSTILE, "image/png"))

    assert response.status_code == 201, response.content
    [stored] = response.json()["files"]
    assert (stored["content_type"], stored["kind"]) == ("text/html", "file")
    download = client.get(f"/api/v1/tickets/{ticket.number}/files/{stored['id']}/content")
    assert download.status_code == 200
    assert download["Content-Type"] == "text/html"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]


def test_an_oversized_file_is_refused_naming_it_and_nothing_is_kept(
    system_a, agent_a, make_ticket, api_for
):
    System.objects.filter(pk=system_a.pk).update(attachment_max_mb=1)
    ticket = make_ticket(agent_a)

    response = _upload(
        api_for(agent_a),
        ticket.number,
        SimpleUploadedFile("huge.bin", b"x" * (2 * MB)),
        body="Kept?",
    )

    # Stopped by the upload handler as it streamed in, before it was spooled.
    assert response.status_code == 413, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert "huge.bin" in problem["detail"]
    assert problem["errors"][0]["field"] == "files"
    with in_schema(system_a):
        assert not Attachment.objects.exists()
        assert ticket.replies.count() == 0


def test_the_storage_quota_is_respected(system_a, agent_a, make_ticket, api_for):
    plan = PlanFactory(storage_quota_mb=10)
    System.objects.filter(pk=system_a.pk).update(plan=plan, storage_used=10 * MB - 100)
    ticket = make_ticket(agent_a)

    response = _upload(api_for(agent_a), ticket.number, SimpleUploadedFile("a.txt", b"y" * 5000))

    assert response.status_code == 413, response.content
    assert "storage" in response.json()["detail"].lower()
    with in_schema(system_a):
        assert not Attachment.objects.exists()


def test_an_upload_without_files_is_a_field_error(system_a, agent_a, make_ticket, api_for):
    ticket = make_ticket(agent_a)

    response = api_for(agent_a).post(f"/api/v1/tickets/{ticket.number}/files", {"body": "x"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "files"


def test_a_read_token_cant_upload(system_a, agent_a, make_ticket, api_for):
    ticket = make_ticket(agent_a)

    response = _upload(
        api_for(agent_a, scope=Scope.READ), ticket.number, SimpleUploadedFile("a.txt", b"hi")
    )

    assert response.status_code == 403
    assert response.json()["type"].endswith("insufficient-scope")


def test_members_never_see_files_of_internal_notes(
    system_a, agent_a, member_a, make_ticket, api_for
):
    ticket = make_ticket(member_a, files=[("public.txt", b"public")])
    with in_schema(system_a):
        ticket_reply(
            actor=agent_a,
            ticket=ticket,
            body="Staff only",
            internal=True,
            files=[SimpleUploadedFile("secret.txt", b"secret")],
        )
        secret = Attachment.objects.get(original_name="secret.txt")
    path = f"/api/v1/tickets/{ticket.number}/files"

    as_member = api_for(member_a).get(path).json()["items"]
    as_agent = api_for(agent_a).get(path).json()["items"]

    assert [f["name"] for f in as_member] == ["public.txt"]
    assert [(f["name"], f["internal"]) for f in as_agent] == [
        ("public.txt", False),
        ("secret.txt", True),
    ]
    for suffix in ("", "/content"):
        response = api_for(member_a).get(f"{path}/{secret.pk}{suffix}")
        assert response.status_code == 404


def test_a_member_cant_upload_on_an_internal_note(system_a, member_a, make_ticket, api_for):
    ticket = make_ticket(member_a)

    response = _upload(
        api_for(member_a), ticket.number, SimpleUploadedFile("a.txt", b"hi"), internal="true"
    )

    assert response.status_code == 403


def test_others_tickets_files_are_404_for_a_member(
    system_a, agent_a, member_a, make_ticket, api_for
):
    ticket = make_ticket(agent_a, files=[("agent.txt", b"x")])

    response = api_for(member_a).get(f"/api/v1/tickets/{ticket.number}/files")

    assert response.status_code == 404


def test_a_file_answers_304_to_its_etag(system_a, agent_a, make_ticket, api_for):
    ticket = make_ticket(agent_a, files=[("a.txt", b"x")])
    client = api_for(agent_a)
    with in_schema(system_a):
        attachment = Attachment.objects.get()

    for suffix in ("", "/content"):
        path = f"/api/v1/tickets/{ticket.number}/files/{attachment.pk}{suffix}"
        etag = client.get(path)["ETag"]
        again = client.get(path, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304 and again["ETag"] == etag


def test_system_bs_token_gets_401_at_system_a(
    system_a, system_b, agent_a, user_b, make_ticket, token_for
):
    ticket = make_ticket(agent_a, files=[(f"{CANARY_A}.txt", b"x")])
    secret = token_for(user_b, system=system_b)

    response = bearer_client(system_a, secret).get(f"/api/v1/tickets/{ticket.number}/files")

    assert response.status_code == 401
    assert CANARY_A not in response.content.decode()


@pytest.mark.parametrize("count", [5, 50])
def test_the_list_costs_the_same_queries_for_5_or_50_files(
    system_a, agent_a, make_ticket, api_for, django_assert_num_queries, count
):
    ticket = make_ticket(agent_a)
    with in_schema(system_a):
        for start in range(0, count, 10):
            files = [SimpleUploadedFile(f"f{n}.txt", b"x") for n in range(start, start + 10)]
            ticket_reply(actor=agent_a, ticket=ticket, body="", files=files[: count - start])
    client = api_for(agent_a)
    client.get(f"/api/v1/tickets/{ticket.number}/files")

    with django_assert_num_queries(7):
        response = client.get(f"/api/v1/tickets/{ticket.number}/files?limit=100")

    assert len(response.json()["items"]) == count

"""Takedowns that start outside a System: the operator records a notice from an authority or
a rights holder with its document and the content it names, takes that content down through
the same service as a report's, the System's admins read what and why (the sender only as
the operator allows) and send a counter-notice, and the operator restores."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from accounts.models import AuditEvent
from legal.models import Takedown, TakedownNotice
from legal.services import notices, takedowns
from tests.support.tenancy import client_for, in_schema
from tests.tickets.conftest import upload
from tickets.models import Attachment
from tickets.services.tickets import ticket_create, ticket_reply

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
CONTACT = "legal-desk@ministry.example, 12 Quay Street"


@pytest.fixture
def content(system_a, agent_a):
    with in_schema(system_a):
        ticket = ticket_create(
            actor=agent_a,
            subject="Film night",
            description="See the file",
            files=[upload("film.txt", b"the whole film, copied")],
        )
        other = ticket_create(actor=agent_a, subject="Other", description="Nothing here")
        reply = ticket_reply(actor=agent_a, ticket=ticket, body="Here it is again")
        attachment = Attachment.objects.get(ticket=ticket)
    return {"ticket": ticket, "other": other, "reply": reply, "attachment": attachment}


def _form(content, **changes):
    data = {
        "sender_kind": "authority",
        "sender_name": "Ministry of Culture",
        "sender_contact": CONTACT,
        "sender_private": "on",
        "reference": "MC-2026/118",
        "received_at_0": "2026-11-20",
        "received_at_1": "09:30:00",
        "system_slug": "alpha",
        "ticket_number": content["ticket"].number,
        "kind": "attachment",
        "item_id": content["attachment"].pk,
        "notes": "Arrived by registered post.",
        "document": SimpleUploadedFile("order (signed).pdf", PDF, "application/pdf"),
        "_save": "Save",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _notice(system_a, content, *, private=True, kind="attachment") -> TakedownNotice:
    object_id = {"attachment": content["attachment"].pk, "reply": content["reply"].pk}.get(kind)
    return notices.notice_record(
        operator_email="op@example.com",
        sender_kind="authority",
        sender_name="Ministry of Culture",
        sender_contact=CONTACT,
        sender_private=private,
        reference="MC-2026/118",
        received_at=timezone.now(),
        notes="",
        target=notices.notice_target_find(
            system_slug="alpha",
            kind=kind,
            ticket_number=content["ticket"].number,
            object_id=object_id,
        ),
        document=SimpleUploadedFile("order.pdf", PDF),
    )


def test_the_operator_records_a_notice_and_its_document_is_kept_by_id_outside_media(
    operator, system_a, content
):
    response = operator.post("/admin/legal/takedownnotice/add/", _form(content))

    assert response.status_code == 302, response.content.decode()[:3000]
    notice = TakedownNotice.objects.get()
    assert (notice.system, notice.kind, notice.object_id, notice.ticket_number) == (
        system_a,
        "attachment",
        content["attachment"].pk,
        content["ticket"].number,
    )
    assert (notice.sender_kind, notice.reference, notice.sender_private) == (
        "authority",
        "MC-2026/118",
        True,
    )
    assert notice.status == "received" and notice.recorded_by == "op@example.com"
    stored = Path(settings.LEGAL_DOCUMENT_ROOT) / f"notice-{notice.document_key.hex}"
    assert stored.read_bytes() == PDF
    assert notice.document_sha256 == hashlib.sha256(PDF).hexdigest()
    assert (notice.document_type, notice.document_name) == ("application/pdf", "order (signed).pdf")
    assert Path(settings.MEDIA_ROOT).resolve() not in stored.resolve().parents
    assert not list(Path(settings.LEGAL_DOCUMENT_ROOT).rglob("*signed*"))
    with in_schema(system_a):  # recording a notice changes nothing in the System yet
        assert Attachment.objects.get().removed_reason == ""


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"system_slug": "nowhere"}, "No System has this address."),
        ({"ticket_number": 999_999}, "alpha has no file like this on ticket #999999."),
        ({"item_id": None}, "Give the id of the reply or file"),
        ({"kind": "reply", "item_id": 999_999}, "alpha has no reply like this on ticket"),
    ],
)
def test_a_notice_naming_content_that_does_not_exist_is_refused_keeping_what_was_typed(
    operator, content, changes, message
):
    stored_before = set(Path(settings.LEGAL_DOCUMENT_ROOT).glob("notice-*"))

    response = operator.post("/admin/legal/takedownnotice/add/", _form(content, **changes))

    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert "Ministry of Culture" in page and "MC-2026/118" in page
    assert not TakedownNotice.objects.exists()
    assert set(Path(settings.LEGAL_DOCUMENT_ROOT).glob("notice-*")) == stored_before


def test_a_file_on_another_ticket_is_not_the_file_the_notice_names(operator, system_a, content):
    response = operator.post(
        "/admin/legal/takedownnotice/add/",
        _form(content, ticket_number=content["other"].number),
    )

    assert b"has no file like this on ticket" in response.content
    assert not TakedownNotice.objects.exists()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("order.pdf", b"<!DOCTYPE html><script>alert(1)</script>"),
        ("order.pdf", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        ("order.pdf", b"PK\x03\x04" + b"\x00" * 40),
        ("order.txt", b"\x00\x01\x02binary"),
        ("order.pdf", b""),
    ],
)
def test_a_document_is_judged_by_its_bytes_not_its_name(operator, content, name, data):
    form = _form(content, document=SimpleUploadedFile(name, data, "application/pdf"))

    response = operator.post("/admin/legal/takedownnotice/add/", form)

    assert response.status_code == 200
    assert not TakedownNotice.objects.exists()


@override_settings(TAKEDOWN_DOCUMENT_MAX_MB=1)
def test_a_document_over_the_size_limit_is_refused(operator, content):
    big = SimpleUploadedFile("scan.txt", b"a" * (1024 * 1024 + 1))

    response = operator.post("/admin/legal/takedownnotice/add/", _form(content, document=big))

    assert b"larger than 1 MB" in response.content
    assert not TakedownNotice.objects.exists()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PDF, "application/pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "image/png"),
        ("Lệnh gỡ bỏ nội dung".encode() * 5000, "text/plain"),
    ],
)
def test_pdf_images_and_plain_text_are_accepted(data, expected):
    assert notices.document_check(SimpleUploadedFile("x.bin", data)) == expected


def test_taking_down_from_a_private_notice_hides_the_file_and_tells_admins_only_what_and_why(
    operator, system_a, owner_a, agent_a, content, django_capture_on_commit_callbacks
):
    notice = _notice(system_a, content)
    with django_capture_on_commit_callbacks(execute=True):
        response = operator.post(
            f"/admin/legal/takedownnotice/{notice.pk}/take-down/",
            {"reason": "Copyright infringement named by a court order"},
        )

    assert response.status_code == 302
    removal = Takedown.objects.get()
    notice.refresh_from_db()
    assert removal.notice == notice and notice.status == "acted"
    ticket, attachment = content["ticket"], content["attachment"]
    agent = client_for(system_a, agent_a)
    download = agent.get(f"/tickets/{ticket.number}/files/{attachment.pk}/")
    assert download.status_code == 451
    with in_schema(system_a):
        event = AuditEvent.objects.get(action="content_removed")
        assert Attachment.objects.filter(pk=attachment.pk).exists()  # hidden, not deleted
    assert event.detail["notice"] == "an authority, MC-2026/118"

    to_admins = [m for m in mail.outbox if owner_a.email in m.to]
    assert len(to_admins) == 1
    body = to_admins[0].body
    assert "Copyright infringement named by a court order" in body
    assert "notice from an authority" in body and "MC-2026/118" in body
    assert "Ministry of Culture" not in body and "legal-desk@" not in body

    page = client_for(system_a, owner_a).get("/settings/takedowns/").content.decode()
    assert "Copyright infringement named by a court order" in page
    assert "an authority" in page and "MC-2026/118" in page
    assert "Ministry of Culture" not in page and "legal-desk@" not in page
    assert "Send the counter-notice" in page


def test_a_sender_the_operator_does_not_keep_private_is_named_to_the_admins(
    system_a, owner_a, content
):
    notice = _notice(system_a, content, private=False)
    takedowns.takedown(
        system=system_a,
        kind=notice.kind,
        object_id=notice.object_id,
        reason="Court order",
        operator_email="op@example.com",
        notice=notice,
    )

    page = client_for(system_a, owner_a).get("/settings/takedowns/").content.decode()

    assert "Ministry of Culture" in page and "legal-desk@ministry.example" in page


def test_the_operator_may_make_the_sender_private_later(operator, system_a, owner_a, content):
    notice = _notice(system_a, content, private=False)
    takedowns.takedown(
        system=system_a,
        kind=notice.kind,
        object_id=notice.object_id,
        reason="Court order",
        operator_email="op@example.com",
        notice=notice,
    )

    operator.post(
        f"/admin/legal/takedownnotice/{notice.pk}/change/",
        {"sender_private": "on", "notes": "Asked to stay unnamed."},
    )

    notice.refresh_from_db()
    assert notice.sender_private and notice.notes == "Asked to stay unnamed."
    page = client_for(system_a, owner_a).get("/settings/takedowns/").content.decode()
    assert "Ministry of Culture" not in page


def test_the_counter_notice_is_recorded_against_the_notice_and_the_operator_reads_it_there(
    operator, system_a, owner_a, content, django_capture_on_commit_callbacks
):
    notice = _notice(system_a, content)
    removal = takedowns.takedown(
        system=system_a,
        kind=notice.kind,
        object_id=notice.object_id,
        reason="Court order",
        operator_email="op@example.com",
        notice=notice,
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client_for(system_a, owner_a).post(
            "/settings/takedowns/",
            {"takedown": removal.pk, "text": "We hold the licence; contract attached."},
        )

    notice.refresh_from_db()
    assert notice.status == "countered"
    to_operator = [m for m in mail.outbox if "support@localhost" in m.to]
    assert "We hold the licence" in to_operator[0].body and "MC-2026/118" in to_operator[0].body
    page = operator.get(f"/admin/legal/takedownnotice/{notice.pk}/change/").content.decode()
    assert "We hold the licence; contract attached." in page and owner_a.email in page


def test_restoring_from_the_notice_brings_the_file_back(operator, system_a, agent_a, content):
    notice = _notice(system_a, content)
    takedowns.takedown(
        system=system_a,
        kind=notice.kind,
        object_id=notice.object_id,
        reason="Court order",
        operator_email="op@example.com",
        notice=notice,
    )

    response = operator.post(
        "/admin/legal/takedownnotice/", {"action": "restore", "_selected_action": [notice.pk]}
    )

    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == "restored"
    assert Takedown.objects.get().restored_by == "op@example.com"
    ticket, attachment = content["ticket"], content["attachment"]
    download = client_for(system_a, agent_a).get(f"/tickets/{ticket.number}/files/{attachment.pk}/")
    assert download.status_code == 200
    with in_schema(system_a):
        assert AuditEvent.objects.filter(action="content_restored").count() == 1


def test_a_notice_takes_its_content_down_once_while_it_is_down(operator, system_a, content):
    notice = _notice(system_a, content)
    first = operator.post(
        f"/admin/legal/takedownnotice/{notice.pk}/take-down/", {"reason": "Court order"}
    )
    again = operator.post(
        f"/admin/legal/takedownnotice/{notice.pk}/take-down/", {"reason": "Court order"}
    )

    assert first.status_code == 302
    assert again.status_code == 400 and b"taken down already" in again.content
    assert Takedown.objects.count() == 1


def test_a_ticket_named_by_number_alone_is_taken_down_and_leaves_search(system_a, agent_a, content):
    target = notices.notice_target_find(
        system_slug="ALPHA ", kind="ticket", ticket_number=content["ticket"].number, object_id=None
    )
    assert target.object_id == content["ticket"].pk
    agent = client_for(system_a, agent_a)
    assert agent.get("/tickets/", {"q": "Film"}).context["page"].total == 1
    notice = notices.notice_record(
        operator_email="op@example.com",
        sender_kind="rights_holder",
        sender_name="Studio",
        sender_contact="rights@studio.example",
        sender_private=True,
        reference="",
        received_at=timezone.now(),
        notes="",
        target=target,
        document=SimpleUploadedFile("letter.txt", b"Please remove our film."),
    )

    takedowns.takedown(
        system=system_a,
        kind="ticket",
        object_id=target.object_id,
        reason="Our film",
        operator_email="op@example.com",
        notice=notice,
    )

    assert agent.get("/tickets/", {"q": "Film"}).context["page"].total == 0


def test_the_document_downloads_only_for_operators_who_may_read_notices(
    staff_client, system_a, content
):
    notice = _notice(system_a, content)
    url = f"/admin/legal/takedownnotice/{notice.pk}/document/"

    allowed = staff_client("Trust & safety", email="ts@example.com").get(url)
    billing = staff_client("Billing", email="billing@example.com").get(url)
    support = staff_client("Support", email="support@example.com").get(url)

    assert allowed.status_code == 200 and b"".join(allowed.streaming_content) == PDF
    assert allowed["Content-Type"] == "application/pdf"
    assert allowed["Content-Disposition"] == f'attachment; filename="notice-{notice.pk}.pdf"'
    assert allowed["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in allowed["Content-Security-Policy"]
    assert billing.status_code == 403 and support.status_code == 403


def test_the_document_is_never_reachable_from_a_systems_host(system_a, owner_a, operator, content):
    notice = _notice(system_a, content)
    owner = client_for(system_a, owner_a)

    for url in (
        f"/admin/legal/takedownnotice/{notice.pk}/document/",
        f"/files/notice-{notice.document_key.hex}",
        f"/media/notice-{notice.document_key.hex}",
    ):
        assert owner.get(url).status_code == 404


def test_trust_and_safety_records_notices_and_others_do_not(staff_client, content):
    trust = staff_client("Trust & safety", email="ts@example.com")
    billing = staff_client("Billing", email="billing@example.com")

    assert trust.get("/admin/legal/takedownnotice/add/").status_code == 200
    assert billing.get("/admin/legal/takedownnotice/add/").status_code == 403
    assert trust.post("/admin/legal/takedownnotice/add/", _form(content)).status_code == 302
    assert TakedownNotice.objects.get().recorded_by == "ts@example.com"


def test_the_takedowns_page_asks_as_many_queries_for_many_notices_as_for_one(
    system_a, owner_a, agent_a, django_assert_max_num_queries
):
    owner = client_for(system_a, owner_a)

    def add_one(number: int) -> None:
        with in_schema(system_a):
            ticket = ticket_create(actor=agent_a, subject=f"T{number}", description="x")
        target = notices.notice_target_find(
            system_slug="alpha", kind="ticket", ticket_number=ticket.number, object_id=None
        )
        notice = notices.notice_record(
            operator_email="op@example.com",
            sender_kind="rights_holder",
            sender_name=f"Holder {number}",
            sender_contact="rights@holder.example",
            sender_private=bool(number % 2),
            reference=f"R-{number}",
            received_at=timezone.now(),
            notes="",
            target=target,
            document=SimpleUploadedFile("letter.txt", b"Remove it."),
        )
        takedowns.takedown(
            system=system_a,
            kind="ticket",
            object_id=ticket.pk,
            reason=f"Reason {number}",
            operator_email="op@example.com",
            notice=notice,
        )

    add_one(1)
    owner.get("/settings/takedowns/")  # warm the per-process caches
    with django_assert_max_num_queries(12) as one:
        page = owner.get("/settings/takedowns/")
        assert page.status_code == 200 and b"R-1" in page.content
    for number in range(2, 8):
        add_one(number)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = owner.get("/settings/takedowns/")
        assert page.status_code == 200 and b"R-7" in page.content and b"Holder 2" in page.content

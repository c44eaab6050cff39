"""`manage.py demo` gives the demo System a help desk a newcomer can read: three dozen
tickets worked through the services, weeks of history, and no mail about any of it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.test import TestCase, override_settings
from django.utils import timezone

from accounts.models import Role, User
from tenants.management import demo_content
from tenants.models import System
from tests.factories import UserFactory
from tests.support.tenancy import SLUG_A, SLUG_B, client_for, in_schema
from tickets import selectors
from tickets.links import cloud_links
from tickets.models import (
    Attachment,
    Category,
    Reply,
    SatisfactionRating,
    Status,
    StatusCount,
    Tag,
    Ticket,
    TicketEvent,
)
from tickets.responses.models import CannedResponse, Macro
from tickets.services.tickets import ticket_create

pytestmark = pytest.mark.django_db


def _demo(slug: str = SLUG_A) -> None:
    with override_settings(DEBUG=True):
        call_command("demo", slug=slug, verbosity=0)


@pytest.fixture(scope="module")
def demo_run(django_db_setup, django_db_blocker) -> Iterator[tuple[System, int]]:
    """The demo, run once for this module (filling takes seconds): System A plays `acme`,
    so no schema is made. Its after-commit work (thumbnails, mail) is done as on commit;
    returns the System and how many mails were sent. Everything happens in a transaction
    rolled back after the module's last test; each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        mail.outbox = []
        with TestCase.captureOnCommitCallbacks(execute=True):
            _demo()
        yield System.objects.get(slug=SLUG_A), len(mail.outbox)
        connection.set_schema_to_public()
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_run) -> System:
    return demo_run[0]


# The demo's mail (tenants/management/demo_mail.py) opens two tickets, as received now.
MAILED_TICKETS = 2


def _played():
    """The demo's story tickets, without the ones its mail opened."""
    from tickets.mail.models import InboundMessage

    mailed = InboundMessage.objects.filter(ticket__isnull=False).values("ticket_id")
    return Ticket.objects.exclude(pk__in=mailed)


def _counts() -> dict[str, int]:
    return {
        "tickets": Ticket.objects.count(),
        "replies": Reply.objects.count(),
        "events": TicketEvent.objects.count(),
        "files": Attachment.objects.count(),
        "categories": Category.objects.count(),
        "tags": Tag.objects.count(),
    }


def test_the_demo_fills_the_system_with_tickets_worked_by_staff_and_requesters(demo):
    with in_schema(demo):
        agent = User.objects.get(email="agent@acme.example")
        admin = User.objects.get(email="admin@acme.example")
        tickets = _played()
        replies = Reply.objects.select_related("author")

        assert tickets.count() == len(demo_content.TICKETS) >= 30
        assert replies.filter(is_internal=False, author__role=Role.AGENT).exists()
        assert replies.filter(is_internal=False, author__role=Role.MEMBER).exists()
        assert replies.filter(is_internal=True).count() >= 10
        assert tickets.filter(assignee=agent).count() >= 5
        assert tickets.filter(assignee=admin).count() >= 5
        assert tickets.filter(assignee=None, status__in=[Status.NEW, Status.OPEN]).count() >= 3
        assert set(tickets.values_list("status", flat=True)) == set(Status.values)
        assert not tickets.filter(status__in=[Status.SOLVED, Status.CLOSED], solved_at=None)
        assert tickets.exclude(category=None).values("category").distinct().count() >= 5
        assert Tag.objects.filter(tickets__isnull=False).distinct().count() >= 10
        assert tickets.exclude(due_on=None).exists()


def test_the_demo_attaches_a_real_image_with_its_thumbnail_and_links_to_cloud_files(demo):
    with in_schema(demo):
        images = Attachment.objects.filter(kind=Attachment.Kind.IMAGE)
        links = [link for reply in Reply.objects.all() for link in cloud_links(reply.body)]

        assert images.count() >= 2
        assert set(images.values_list("content_type", flat=True)) == {"image/png"}
        assert all(image.thumbnail for image in images)  # the worker's task ran on commit
        assert images.filter(reply=None).exists() and images.exclude(reply=None).exists()
        assert {link.provider for link in links} >= {"Dropbox", "Google Drive"}


def test_the_demo_keeps_counters_and_search_as_the_services_write_them(demo):
    with in_schema(demo):
        agent = User.objects.get(email="agent@acme.example")
        counted = Ticket.objects.annotate(n=Count("replies"))
        by_status = dict(Ticket.objects.values_list("status").annotate(n=Count("id")))
        found = selectors.ticket_page(user=agent, filters=selectors.TicketFilters(q="Nordbank"))
        noted = selectors.ticket_page(user=agent, filters=selectors.TicketFilters(q="ENG-2291"))

        assert all(ticket.reply_count == ticket.n for ticket in counted)
        assert dict(StatusCount.objects.filter(n__gt=0).values_list("status", "n")) == by_status
        assert [row.ticket.subject for row in found.rows] == [
            "Bank feed from Nordbank stopped syncing"
        ]
        assert len(noted.rows) == 1  # internal notes are searchable by staff


def test_the_demo_history_spreads_over_weeks_each_step_at_its_own_time(demo):
    now = timezone.now()
    with in_schema(demo):
        tickets = list(_played().order_by("created_at"))
        replies = list(Reply.objects.filter(ticket__in=tickets))
        events = list(TicketEvent.objects.filter(ticket__in=tickets))

        assert now - timedelta(days=30) > tickets[0].created_at
        assert now - timedelta(hours=6) < tickets[-1].created_at <= now
        # Raised on many different days, not all at the moment the demo ran.
        assert len({ticket.created_at.date() for ticket in tickets}) >= 25
        span = {t.pk: (t.created_at, t.updated_at) for t in tickets}
        for row in [*replies, *events]:
            first, last = span[row.ticket_id]
            assert first <= row.created_at <= last, row
        assert len({reply.created_at for reply in replies}) == len(replies)
        solved = [t for t in tickets if t.solved_at is not None]
        assert all(t.created_at < t.solved_at <= t.updated_at for t in solved)
        # Solves asked their requesters (without mail), on the solve's day in the story.
        ratings = list(SatisfactionRating.objects.filter(ticket__in=tickets))
        assert ratings
        for rating in ratings:
            first, last = span[rating.ticket_id]
            assert first < rating.solved_at <= last, rating


def test_the_demo_sends_no_mail_about_its_backdated_tickets(demo_run):
    _system, mails_sent = demo_run
    assert mails_sent == 0


def test_running_the_demo_twice_adds_nothing(demo):
    with in_schema(demo):
        before = _counts()

    _demo()

    with in_schema(demo):
        assert _counts() == before


def test_a_system_that_already_has_tickets_is_left_alone(system_b):
    # System B: System A may hold this module's demo already. An agent, as the demo brings
    # its own owner.
    with in_schema(system_b):
        agent = UserFactory(role=Role.AGENT)
        ticket_create(actor=agent, subject="Our own first ticket", description="Hello.")

    _demo(SLUG_B)

    with in_schema(system_b):
        assert list(Ticket.objects.values_list("subject", flat=True)) == ["Our own first ticket"]
        assert not Category.objects.exists()
        assert User.objects.filter(email="agent@acme.example").exists()  # the demo did run


def test_the_demo_systems_dashboard_shows_what_is_waiting(demo):
    with in_schema(demo):
        agent = User.objects.get(email="agent@acme.example")
        member = User.objects.get(email="member@acme.example")

    staff_page = client_for(demo, agent).get("/")
    member_page = client_for(demo, member).get("/")

    assert staff_page.status_code == 200 and member_page.status_code == 200
    counts = staff_page.context["counts"]
    assert counts["open"] > counts["mine"] > 0 and counts["unassigned"] > 0
    assert b"Nothing here" not in staff_page.content
    assert member_page.context["counts"]["open"] > 0
    assert b"Nothing here" not in member_page.content


def test_the_demo_tickets_pages_show_the_screenshot_and_the_cloud_files(demo):
    with in_schema(demo):
        agent = User.objects.get(email="agent@acme.example")
        member = User.objects.get(email="member@acme.example")
        pictured = Ticket.objects.get(subject="Invoice PDF cuts off the last line items")
        recorded = Ticket.objects.get(subject__startswith="Android app crashes")
    staff = client_for(demo, agent)

    listing = staff.get("/tickets/")
    picture_page = staff.get(f"/tickets/{pictured.number}/")
    recording_page = client_for(demo, member).get(f"/tickets/{recorded.number}/")

    total = len(demo_content.TICKETS) + MAILED_TICKETS
    assert listing.status_code == 200 and listing.context["page"].total == total
    assert picture_page.status_code == 200
    assert b'alt="invoice-pdf-cut-off.png"' in picture_page.content
    assert recording_page.status_code == 200
    assert b"receipt-photo-crash.mp4" in recording_page.content
    assert b"Crash in the camera permission callback" not in recording_page.content  # a note


def test_the_demo_still_finishes_when_its_people_were_changed(system_b):
    # Someone made the demo's agent a member: the story can't be played, make run goes on.
    with in_schema(system_b):
        UserFactory(email="agent@acme.example", role=Role.MEMBER)
    errors = io.StringIO()

    with override_settings(DEBUG=True):
        call_command("demo", slug=SLUG_B, verbosity=0, stderr=errors)

    with in_schema(system_b):
        assert not Ticket.objects.exists()
    assert "No demo tickets" in errors.getvalue()


def test_the_demo_receives_mail_as_real_mail_is_received(demo):
    from tickets.mail.models import InboundMessage

    Status_ = InboundMessage.Status
    with in_schema(demo):
        outcomes = sorted(InboundMessage.objects.values_list("status", flat=True))
        mailed = set(InboundMessage.objects.filter(ticket__isnull=False).values_list("ticket"))
        contact_ticket = Ticket.objects.get(contact__email="peter.brandt@partner.example")
    assert outcomes == sorted([Status_.TICKET, Status_.HELD, Status_.TICKET, Status_.IGNORED])
    assert len(mailed) == MAILED_TICKETS
    assert contact_ticket.requester is None  # a contact, not a seat


def test_the_demo_has_two_shared_canned_responses_and_a_macro(demo):
    with in_schema(demo):
        responses = CannedResponse.objects.filter(owner__isnull=True)
        assert responses.count() == 2
        assert all("{{ requester.first_name }}" in r.body for r in responses)
        macro = Macro.objects.get(owner__isnull=True)
    assert (macro.name, macro.status, macro.tags) == (
        "Ask for a screenshot",
        "pending",
        "needs-info",
    )


def test_the_demo_has_a_help_center_in_english_and_vietnamese(demo):
    from tickets.kb.models import Article

    with in_schema(demo):
        member = User.objects.get(email="member@acme.example")
        articles = {a.title: a for a in Article.objects.select_related("translation")}
    client = client_for(demo, member)

    assert len(articles) == 4 and {a.visibility for a in articles.values()} == {"public"}
    assert sorted(a.language for a in articles.values()) == ["en", "en", "vi", "vi"]
    english = articles["Add a second currency to a customer"]
    assert english.translation.title == "Thêm loại tiền thứ hai cho khách hàng"
    home = client.get("/help/")
    assert b"Invoices and payments" in home.content and b"Your account" in home.content
    found = client.get("/help/search/", {"q": "mat khau"})
    assert [a.title for a in found.context["found"]] == ["Đặt lại mật khẩu"]


def test_the_demo_tickets_have_service_levels(demo):
    from tickets.sla.models import BusinessHours, TicketSLA

    with in_schema(demo):
        working = Ticket.objects.exclude(status__in=[Status.SOLVED, Status.CLOSED])
        assert BusinessHours.objects.get().time_zone == "Europe/Berlin"
        assert TicketSLA.objects.filter(ticket__in=working).count() == working.count()
        # Answered before the policies came: the first response is on record.
        assert TicketSLA.objects.filter(response_done_at__isnull=False).exists()
        assert working.filter(sla_due_at__isnull=False).exists()
        assert working.filter(status=Status.PENDING, sla_due_at__isnull=True).exists()


def test_the_demo_owner_sees_the_set_up_checklist_with_only_email_left(demo):
    with in_schema(demo):
        owner = User.objects.get(email="owner@acme.example")

    page = client_for(demo, owner).get("/").content.decode()

    assert "Set up your help desk" in page and "4 of 5 done" in page
    assert '<a href="/settings/email/">Connect email</a>' in page

"""Service notices (incidents, maintenance, force majeure): the owners and admins of every
affected System are mailed whatever their announcement choices, once each; the notice is a
banner on their pages (dismissible, back with each update) and on the public status page
and its feed. A force majeure shows when its written notice is due, flagged until sent."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import User
from legal.models import ServiceNotice, ServiceNoticeDelivery
from legal.services import service_notices
from legal.tasks import service_notice_deliver, service_notice_fan_out
from tenants.models import System
from tests.support.tenancy import client_for, in_schema

TITLE = "Flood at the data centre"


def make_notice(*, systems=None, kind=ServiceNotice.Kind.FORCE_MAJEURE, **fields) -> ServiceNotice:
    now = timezone.now()
    defaults = {
        "title": TITLE,
        "body": "The river flooded the **data centre**; we moved to the spare site.",
        "starts_at": now - timedelta(hours=2),
        "expected_end": now + timedelta(days=1),
        "event_at": now - timedelta(hours=3) if kind == ServiceNotice.Kind.FORCE_MAJEURE else None,
        "all_systems": systems is None,
    }
    notice = ServiceNotice.objects.create(kind=kind, **{**defaults, **fields})
    if systems:
        notice.systems.set(systems)
    return notice


def publish(capture, operator_user, notice: ServiceNotice) -> ServiceNotice:
    with capture(execute=True):
        return service_notices.service_notice_publish(actor=operator_user, notice=notice)


def recipients() -> list[str]:
    return sorted(message.to[0] for message in mail.outbox)


def no_announcements_anywhere(*systems: System) -> None:
    """Every System refused announcements, and every person in them turned them off."""
    for system in systems:
        System.objects.filter(pk=system.pk).update(consent_announcements=False)
        with in_schema(system):
            User.objects.update(receives_announcements=False)


def test_a_force_majeure_notice_reaches_owners_and_admins_who_turned_announcements_off_shows_publicly_and_its_banner_returns_after_an_update(  # noqa: E501
    system_a,
    system_b,
    owner_a,
    admin_a,
    agent_a,
    member_a,
    user_b,
    operator_user,
    django_capture_on_commit_callbacks,
):
    no_announcements_anywhere(system_a, system_b)
    notice = make_notice()

    publish(django_capture_on_commit_callbacks, operator_user, notice)

    # Mailed to owners and admins only, whatever they chose about news.
    assert recipients() == sorted([owner_a.email, admin_a.email, user_b.email])
    message = next(m for m in mail.outbox if m.to == [owner_a.email])
    assert TITLE in message.subject and "Alpha Support" in message.subject
    assert "written notice of a force majeure event" in message.body
    assert f"http://localhost/status/{notice.pk}/" in message.body
    with in_schema(system_a):
        assert ServiceNoticeDelivery.objects.filter(notice_id=notice.pk).count() == 2

    # On the public status page and in its feed.
    public = Client(HTTP_HOST="localhost")
    page = public.get("/status/").content.decode()
    assert TITLE in page and "All help desks" in page
    assert "All systems normal" not in page
    feed = public.get("/status/feed/")
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert TITLE in feed.content.decode()

    # A banner on every page of the System, until dismissed...
    client = client_for(system_a, member_a)
    assert TITLE in client.get("/tickets/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        dismissed = client.post(
            f"/notices/{notice.pk}/dismiss/", {"update": "0", "next": "/tickets/"}, follow=True
        )
    assert dismissed.redirect_chain[-1][0] == "/tickets/"
    assert "hidden until its next update" in dismissed.content.decode()
    assert TITLE not in client.get("/tickets/").content.decode()

    # ...and back with the next update, which is mailed too.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        service_notices.service_notice_update_post(
            actor=operator_user, notice=notice, body="Power is back at the main site."
        )
    page = client.get("/tickets/").content.decode()
    assert TITLE in page and "Power is back at the main site." in page
    assert recipients() == sorted([owner_a.email, admin_a.email, user_b.email])
    assert all(m.subject.startswith("Update") for m in mail.outbox)
    feed = public.get("/status/feed/").content.decode()
    assert "Power is back at the main site." in feed
    # Dismissing again holds until the update after that.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/notices/{notice.pk}/dismiss/", {"update": str(notice.updates.get().pk)})
    assert TITLE not in client.get("/tickets/").content.decode()


def test_the_written_notice_due_date_is_shown_and_flagged_until_the_notice_is_mailed(
    operator, operator_user, system_a, owner_a, django_capture_on_commit_callbacks
):
    event = timezone.now() - timedelta(days=1)
    notice = make_notice(event_at=event)
    due = f"{event + timedelta(days=3):%Y-%m-%d %H:%M} UTC"

    listing = operator.get("/admin/legal/servicenotice/").content.decode()
    assert re.search(rf'class="errornote notice-due">{due} · not sent yet', listing)
    detail = operator.get(f"/admin/legal/servicenotice/{notice.pk}/change/").content.decode()
    assert "Written notice due by" in detail and "not sent yet" in detail

    # Published, but the mail has not left yet: still flagged.
    with django_capture_on_commit_callbacks(execute=False):
        service_notices.service_notice_publish(actor=operator_user, notice=notice)
    assert "not sent yet" in operator.get("/admin/legal/servicenotice/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        service_notice_fan_out(notice.pk, 0)
    listing = operator.get("/admin/legal/servicenotice/").content.decode()
    assert "not sent yet" not in listing and f"{due} · sent" in listing
    assert owner_a.email in recipients()


def test_an_overdue_unsent_force_majeure_notice_says_so(operator, db):
    make_notice(event_at=timezone.now() - timedelta(days=4))

    assert "OVERDUE" in operator.get("/admin/legal/servicenotice/").content.decode()


def test_a_notice_for_chosen_systems_shows_only_in_their_banners_and_names_none_publicly(
    system_a,
    system_b,
    owner_a,
    user_b,
    operator_user,
    django_capture_on_commit_callbacks,
):
    notice = make_notice(systems=[system_b], kind=ServiceNotice.Kind.INCIDENT, event_at=None)
    publish(django_capture_on_commit_callbacks, operator_user, notice)

    assert recipients() == [user_b.email]
    assert TITLE in client_for(system_b, user_b).get("/tickets/").content.decode()
    assert TITLE not in client_for(system_a, owner_a).get("/tickets/").content.decode()
    page = Client(HTTP_HOST="localhost").get("/status/").content.decode()
    assert TITLE in page and "Some help desks" in page
    assert "Bravo" not in page and "bravo" not in page
    # A's people can't dismiss (nor learn of) B's notice.
    assert client_for(system_a, owner_a).post(f"/notices/{notice.pk}/dismiss/").status_code == 404


def test_a_retry_or_a_second_run_sends_nothing_twice(
    system_a, system_b, owner_a, admin_a, user_b, operator_user, django_capture_on_commit_callbacks
):
    notice = make_notice()
    publish(django_capture_on_commit_callbacks, operator_user, notice)
    sent = recipients()
    assert len(sent) == 3

    with django_capture_on_commit_callbacks(execute=True):
        service_notices.service_notice_publish(actor=operator_user, notice=notice)  # clicked twice
        service_notice_fan_out(notice.pk, 0)  # the task retried
        service_notices.service_notice_mail_again(notice=notice)  # the operator's "mail again"
    with in_schema(system_a):
        assert service_notice_deliver(notice.pk, 0) == 0  # a delivery retried

    assert recipients() == sent
    with in_schema(system_a):
        assert ServiceNoticeDelivery.objects.filter(notice_id=notice.pk).count() == 2


def test_suspended_systems_are_mailed_terminated_ones_are_not(
    system_a, system_b, owner_a, user_b, operator_user, django_capture_on_commit_callbacks
):
    System.objects.filter(pk=system_a.pk).update(status=System.Status.SUSPENDED)
    System.objects.filter(pk=system_b.pk).update(status=System.Status.TERMINATED)

    publish(django_capture_on_commit_callbacks, operator_user, make_notice())

    assert recipients() == [owner_a.email]


def test_the_banner_costs_no_query_on_a_ticket_list(
    system_a,
    owner_a,
    make_ticket,
    operator_user,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    for number in range(3):
        make_ticket(owner_a, subject=f"Ticket {number}")
    client = client_for(system_a, owner_a)
    assert client.get("/tickets/").status_code == 200
    with django_assert_max_num_queries(30) as without:
        response = client.get("/tickets/")
        assert response.status_code == 200 and TITLE not in response.content.decode()

    notice = make_notice()
    with django_capture_on_commit_callbacks(execute=True):  # clears the cached banner
        service_notices.service_notice_publish(actor=operator_user, notice=notice)
        service_notices.service_notice_update_post(
            actor=operator_user, notice=notice, body="Still on it."
        )
    client.get("/tickets/")  # the banner and the dismissals are read once, then cached

    # The counters: captured_queries reads empty once the block is left, here.
    with django_assert_max_num_queries(without.final_queries - without.initial_queries):
        response = client.get("/tickets/")
        page = response.content.decode()
        assert response.status_code == 200 and TITLE in page and "Still on it." in page


def test_only_active_notices_show_and_the_status_page_orders_them(
    system_a, owner_a, operator_user, django_capture_on_commit_callbacks
):
    now = timezone.now()
    public = Client(HTTP_HOST="localhost")
    assert "All systems normal" in public.get("/status/").content.decode()
    draft = make_notice(title="Draft notice")
    later = make_notice(
        title="Database upgrade",
        kind=ServiceNotice.Kind.MAINTENANCE,
        starts_at=now + timedelta(days=2),
        expected_end=now + timedelta(days=2, hours=1),
    )
    over = make_notice(title="Old outage", kind=ServiceNotice.Kind.INCIDENT)
    for notice in (later, over):
        publish(django_capture_on_commit_callbacks, operator_user, notice)
    service_notices.service_notice_end(actor=operator_user, notice=over)

    banner = client_for(system_a, owner_a).get("/tickets/").content.decode()
    assert "Database upgrade" not in banner and "Old outage" not in banner
    page = public.get("/status/").content.decode()
    assert "Draft notice" not in page and public.get(f"/status/{draft.pk}/").status_code == 404
    assert page.index("All systems normal") < page.index("Scheduled") < page.index("Past notices")
    assert page.index("Scheduled") < page.index("Database upgrade") < page.index("Past notices")
    assert page.index("Past notices") < page.index("Old outage")
    assert "scheduled from" in page


def test_past_notices_are_paginated(operator_user, db):
    for number in range(12):
        notice = make_notice(title=f"Outage {number:02d}", kind=ServiceNotice.Kind.INCIDENT)
        service_notices.service_notice_publish(actor=operator_user, notice=notice)
        service_notices.service_notice_end(actor=operator_user, notice=notice)
    public = Client(HTTP_HOST="localhost")

    first = public.get("/status/").content.decode()
    second = public.get("/status/?page=2").content.decode()

    assert first.count("Outage ") == 10 and second.count("Outage ") == 2
    assert "All systems normal" in first  # nothing is going on now
    assert 'href="?page=2"' in first


def test_the_status_page_is_on_the_public_site_only_and_linked_from_the_footer(system_a, owner_a):
    public = Client(HTTP_HOST="localhost")
    assert 'href="http://localhost/status/"' in public.get("/terms/").content.decode()
    assert client_for(system_a, owner_a).get("/status/").status_code == 404


def test_the_operator_writes_publishes_and_updates_a_notice_in_admin(
    staff_client, system_a, owner_a, django_capture_on_commit_callbacks
):
    support = staff_client("Support")
    now = timezone.now()
    form = {
        "kind": "force_majeure",
        "title": TITLE,
        "body": "The river flooded.",
        "all_systems": "on",
        "starts_at_0": f"{now:%Y-%m-%d}",
        "starts_at_1": f"{now:%H:%M:%S}",
    }
    refused = support.post("/admin/legal/servicenotice/add/", form)
    assert refused.status_code == 200 and "The written notice is due 3 days after it" in (
        refused.content.decode()
    )
    form |= {"event_at_0": f"{now:%Y-%m-%d}", "event_at_1": f"{now:%H:%M:%S}"}
    assert support.post("/admin/legal/servicenotice/add/", form).status_code == 302
    notice = ServiceNotice.objects.get(title=TITLE)
    assert notice.published_at is None and "staff@example.com" in notice.created_by

    with django_capture_on_commit_callbacks(execute=True):
        support.post(
            "/admin/legal/servicenotice/", {"action": "publish", "_selected_action": [notice.pk]}
        )
    notice.refresh_from_db()
    assert notice.published_at and notice.mailed_at and owner_a.email in recipients()

    with django_capture_on_commit_callbacks(execute=True):
        posted = support.post(
            f"/admin/legal/servicenotice/{notice.pk}/update/",
            {"body": "All clear.", "end": "on"},
        )
    assert posted.status_code == 302
    notice.refresh_from_db()
    assert notice.ended_at is not None and notice.updates.get().body == "All clear."
    assert (
        staff_client("Billing", email="bill@example.com")
        .get(f"/admin/legal/servicenotice/{notice.pk}/update/")
        .status_code
        == 403
    )


@pytest.mark.parametrize("method", ["get", "post"])
def test_dismissing_needs_a_post_from_someone_signed_in(method, system_a, owner_a, db):
    notice = make_notice()
    anonymous = getattr(Client(HTTP_HOST="alpha.localhost"), method)(
        f"/notices/{notice.pk}/dismiss/"
    )
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    if method == "get":
        signed_in = client_for(system_a, owner_a).get(f"/notices/{notice.pk}/dismiss/")
        assert signed_in.status_code == 405


def test_dismissing_a_notice_that_ended_meanwhile_just_goes_back(
    system_a, owner_a, operator_user, django_capture_on_commit_callbacks
):
    notice = make_notice(kind=ServiceNotice.Kind.INCIDENT)
    publish(django_capture_on_commit_callbacks, operator_user, notice)
    with django_capture_on_commit_callbacks(execute=True):
        service_notices.service_notice_end(actor=operator_user, notice=notice)

    response = client_for(system_a, owner_a).post(
        f"/notices/{notice.pk}/dismiss/", {"next": "/tickets/"}
    )

    assert response.status_code == 302 and response["Location"] == "/tickets/"


def test_the_status_page_costs_the_same_queries_with_1_or_6_notices(
    operator_user, django_assert_max_num_queries, db
):
    def add(count: int) -> None:
        for number in range(count):
            for ended in (False, True):
                notice = make_notice(title=f"N{number}{ended}", kind=ServiceNotice.Kind.INCIDENT)
                service_notices.service_notice_publish(actor=operator_user, notice=notice)
                service_notices.service_notice_update_post(
                    actor=operator_user, notice=notice, body="On it"
                )
                if ended:
                    service_notices.service_notice_end(actor=operator_user, notice=notice)

    public = Client(HTTP_HOST="localhost")
    add(1)
    with django_assert_max_num_queries(20) as one:
        assert public.get("/status/").content.decode().count("On it") == 2
    add(5)
    with django_assert_max_num_queries(one.final_queries - one.initial_queries):
        assert public.get("/status/").content.decode().count("On it") == 12
    with django_assert_max_num_queries(10):
        assert public.get("/status/feed/").content.decode().count("On it") == 12

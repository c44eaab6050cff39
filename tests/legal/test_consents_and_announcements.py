"""Consents are the owner's, recorded; announcements go only where they may."""

import re

import pytest
from django.core import mail
from django.test import Client

from accounts.models import AuditEvent, Role, User
from legal.models import Announcement, ConsentChange
from legal.services.consents import announcement_send
from tests.factories import UserFactory
from tests.support.tenancy import client_for, in_schema


def test_the_owner_sets_consents_and_each_change_is_recorded(system_a, owner_a):
    client = client_for(system_a, owner_a)
    response = client.post("/settings/consents/", {"reference": "on"})  # announcements off

    assert response.status_code == 302
    system_a.refresh_from_db()
    assert (system_a.consent_reference, system_a.consent_announcements) == (True, False)
    changes = {
        (c.kind, c.value, c.changed_by) for c in ConsentChange.objects.filter(system=system_a)
    }
    assert changes == {
        ("reference", True, f"{owner_a.full_name} <{owner_a.email}>"),
        ("announcements", False, f"{owner_a.full_name} <{owner_a.email}>"),
    }
    with in_schema(system_a):
        assert AuditEvent.objects.filter(action="consent_changed").count() == 2


def test_admins_cannot_change_consents(system_a, admin_a):
    assert client_for(system_a, admin_a).post("/settings/consents/", {}).status_code == 403


def test_the_landing_page_names_only_customers_who_agreed(system_a, system_b, owner_a):
    landing = Client(HTTP_HOST="localhost")
    assert "Alpha Inc" not in landing.get("/").content.decode()
    client_for(system_a, owner_a).post(
        "/settings/consents/", {"reference": "on", "announcements": "on"}
    )
    page = landing.get("/").content.decode()
    assert "Alpha Inc" in page and "Bravo Inc" not in page
    # Named in the page, not in the browser's title bar.
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "<" not in title and "Alpha Inc" not in title


@pytest.fixture
def people(system_a, system_b, owner_a, agent_a, user_b):
    with in_schema(system_a):
        quiet = UserFactory(
            role=Role.MEMBER, email="quiet@alpha.example", receives_announcements=False
        )
        gone = UserFactory(role=Role.MEMBER, email="gone@alpha.example", is_active=False)
    return {"quiet": quiet, "gone": gone}


def test_announcements_reach_only_who_may_receive_them_once(
    system_a, system_b, owner_a, agent_a, user_b, people, django_capture_on_commit_callbacks
):
    system_b.consent_announcements = False
    system_b.save(update_fields=["consent_announcements"])
    news = Announcement.objects.create(subject="New: dark mode", body="It is here.")

    with in_schema(system_a), django_capture_on_commit_callbacks(execute=True):
        announcement_send(announcement=news)
    with in_schema(system_a), django_capture_on_commit_callbacks(execute=True):
        announcement_send(announcement=news)  # clicked twice: still once each

    assert sorted(m.to[0] for m in mail.outbox) == sorted([owner_a.email, agent_a.email])
    assert all("/announcements/unsubscribe/" in m.body for m in mail.outbox)


def test_the_unsubscribe_link_works_without_signing_in(
    system_a, agent_a, people, django_capture_on_commit_callbacks
):
    news = Announcement.objects.create(subject="News", body="Body")
    with in_schema(system_a), django_capture_on_commit_callbacks(execute=True):
        announcement_send(announcement=news)
    link = next(m for m in mail.outbox if m.to == [agent_a.email]).body
    path = re.search(r"http://alpha\.localhost(/announcements/unsubscribe/\S+/)", link).group(1)

    anonymous = Client(HTTP_HOST="alpha.localhost")
    assert b"Stop feature announcements?" in anonymous.get(path).content
    assert b"unsubscribed" in anonymous.post(path).content
    with in_schema(system_a):
        assert User.objects.get(pk=agent_a.pk).receives_announcements is False
    assert Client(HTTP_HOST="bravo.localhost").get(path).status_code == 404  # signed per System
    assert anonymous.get("/announcements/unsubscribe/forged/").status_code == 404


def test_each_person_turns_announcements_off_in_their_preferences(system_a, agent_a):
    client = client_for(system_a, agent_a)
    client.post(
        "/account/notifications/", {"new_tickets": "on", "replies": "on", "assignments": "on"}
    )
    with in_schema(system_a):
        assert User.objects.get(pk=agent_a.pk).receives_announcements is False
    client.post(
        "/account/notifications/",
        {"new_tickets": "on", "replies": "on", "assignments": "on", "announcements": "on"},
    )
    with in_schema(system_a):
        assert User.objects.get(pk=agent_a.pk).receives_announcements is True


def test_the_operator_sends_from_admin(
    operator, system_a, owner_a, django_capture_on_commit_callbacks
):
    client = operator
    news = Announcement.objects.create(subject="Hello", body="World")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/legal/announcement/", {"action": "send", "_selected_action": [news.pk]}
        )
    assert response.status_code == 302
    news.refresh_from_db()
    assert news.sent_at is not None
    assert owner_a.email in [m.to[0] for m in mail.outbox]

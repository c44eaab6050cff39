"""New terms: published ahead, announced once when in effect, and a gate until accepted."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEvent
from legal.models import TermsAcceptance, TermsVersion
from legal.services import terms as terms_services
from legal.tasks import terms_announce_due
from tests.factories import PASSWORD
from tests.support.tenancy import client_for, host_of, in_schema


@pytest.fixture
def v2(db, tmp_path, django_capture_on_commit_callbacks):
    text = tmp_path / "terms-2.md"
    text.write_text(
        "# Terms\n\nWe keep backups for 30 days.\n\nNew: disputes go to mediation first.\n"
    )
    tomorrow = (timezone.now() + timedelta(days=1)).date().isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "publish_terms",
            str(text),
            version="2.0",
            effective=tomorrow,
            summary="Mediation first.",
            reason="The new mediation law applies from tomorrow.",
            stdout=io.StringIO(),
        )
    # Announced at publication (tests/legal/test_terms_announced_ahead.py); these tests are
    # about the day it takes effect.
    mail.outbox.clear()
    return TermsVersion.objects.get(version="2.0")


def test_publishing_ahead_changes_nothing_today(
    v2, system_a, agent_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        terms_announce_due()
    assert mail.outbox == []
    assert client_for(system_a, agent_a).get("/").status_code == 200
    page = Client(HTTP_HOST="localhost").get("/terms/").content.decode()
    assert "Version 1.0, in effect since" in page
    assert "Version 2.0" in page  # listed in the history, ahead of time


def test_on_the_day_everyone_is_told_once_and_gated_until_accepting(
    v2, system_a, system_b, agent_a, owner_a, user_b, django_capture_on_commit_callbacks
):
    with time_machine.travel(v2.effective_at + timedelta(hours=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            terms_announce_due()
        with django_capture_on_commit_callbacks(execute=True):
            terms_announce_due()  # the beat runs again: nobody hears twice

        recipients = sorted(message.to[0] for message in mail.outbox)
        assert recipients == sorted([agent_a.email, owner_a.email, user_b.email])
        assert "Mediation first." in mail.outbox[0].body

        client = Client(HTTP_HOST=host_of(system_a))
        client.post("/accounts/login/", {"login": agent_a.email, "password": PASSWORD})
        gated = client.get("/tickets/")
        assert gated["Location"] == "/terms/accept/?next=/tickets/"
        for path in ("/terms/", "/privacy/", "/account/security/", "/accounts/sessions/"):
            assert client.get(path).status_code == 200, path
        assert client.get("/healthz").status_code in {200, 503}  # answers, never redirects
        # The terms can be read in one's own language: the switcher and scripts' strings too.
        assert client.get("/jsi18n/").status_code == 200
        switched = client.post("/language/", {"language": "vi", "next": "/terms/"})
        assert switched["Location"] == "/terms/"
        client.post("/language/", {"language": "en", "next": "/terms/"})
        page = client.get("/terms/accept/?next=/tickets/").content.decode()
        assert "Mediation first." in page and "/terms/diff/?from=1.0&amp;to=2.0" in page

        accepted = client.post(
            "/terms/accept/",
            {"decision": "accept", "next": "/tickets/"},
            HTTP_USER_AGENT="AgentBrowser/3",
            REMOTE_ADDR="198.51.100.20",
        )
        assert accepted["Location"] == "/tickets/"
        assert client.get("/tickets/").status_code == 200
    with in_schema(system_a):
        record = TermsAcceptance.objects.get(user=agent_a, terms_version_id=v2.pk)
        assert (record.version, record.ip, record.user_agent) == (
            "2.0",
            "198.51.100.20",
            "AgentBrowser/3",
        )
        assert AuditEvent.objects.filter(action="terms_accepted", target_label="Terms 2.0").exists()


def test_declining_signs_out_and_says_whom_to_ask(v2, system_a, agent_a, settings):
    with time_machine.travel(v2.effective_at + timedelta(hours=1), tick=False):
        client = client_for(system_a, agent_a)
        response = client.post("/terms/accept/", {"decision": "decline"})
        assert response.status_code == 200
        assert settings.OPERATOR_EMAIL.encode() in response.content
        assert client.get("/tickets/")["Location"].startswith("/accounts/login/")
    with in_schema(system_a):
        assert AuditEvent.objects.filter(action="terms_declined").exists()


def test_owners_see_who_has_not_accepted(v2, system_a, owner_a, agent_a):
    with time_machine.travel(v2.effective_at + timedelta(hours=1), tick=False):
        client = client_for(system_a, owner_a)
        client.post("/terms/accept/", {"decision": "accept"})
        response = client.get("/settings/terms/")
    assert [person.email for person in response.context["page"]] == [agent_a.email]


def test_a_version_in_effect_never_changes(db):
    current = TermsVersion.objects.get(document="terms", version="1.0")
    with pytest.raises(ValidationError, match="in effect"):
        terms_services.terms_update_scheduled(
            terms=current, body="x", summary="y", effective_at=timezone.now() + timedelta(days=2)
        )


def test_a_scheduled_version_can_be_corrected_until_it_takes_effect(v2):
    terms_services.terms_update_scheduled(
        terms=v2, body="Corrected", summary="Fixed a typo", effective_at=v2.effective_at
    )
    v2.refresh_from_db()
    assert v2.body == "Corrected"


def test_versions_are_unique_and_move_forward(v2):
    with pytest.raises(ValidationError, match="already exists"):
        terms_services.terms_publish(
            document="terms",
            version="2.0",
            effective_at=timezone.now() + timedelta(days=3),
            body="b",
            summary="s",
        )
    with pytest.raises(ValidationError, match=r"after version 2\.0"):
        terms_services.terms_publish(
            document="terms", version="2.1", effective_at=timezone.now(), body="b", summary="s"
        )


def test_the_history_and_a_readable_diff_on_both_hosts(v2, system_a, agent_a):
    for client in (Client(HTTP_HOST="localhost"), client_for(system_a, agent_a)):
        diff = client.get("/terms/diff/", {"from": "1.0", "to": "2.0"})
        assert diff.status_code == 200
        page = diff.content.decode()
        assert "New: disputes go to mediation first.</ins>" in page
        assert '<del class="diff-removed">' in page
        assert client.get("/terms/v/2.0/").status_code == 200
    assert (
        Client(HTTP_HOST="localhost").get("/terms/diff/", {"from": "1.0", "to": "9.9"}).status_code
        == 404
    )


def test_the_privacy_page_says_no_analytics_when_none_is_configured(db):
    page = Client(HTTP_HOST="localhost").get("/privacy/").content.decode()
    assert "Privacy policy" in page
    assert "No page of this service loads a third-party analytics or tracking script." in page

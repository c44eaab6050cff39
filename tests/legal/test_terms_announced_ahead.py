"""A new terms or privacy version is announced when it is published: one mail to everyone
active, with the summary, the effective date and the changed lines; less than the minimum
notice needs a reason, which everyone is shown. The gate waits for the effective date."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import formats, timezone
from django.utils.formats import date_format

from legal.models import TermsPublicationNotice, TermsVersion
from legal.services import terms as terms_services
from legal.tasks import (
    terms_announce_due,
    terms_publication_announce,
    terms_publication_notify_system,
)
from tenants.lifecycle.services import system_suspend
from tenants.models import ScheduledDeletion
from tests.factories import UserFactory
from tests.support.tenancy import client_for, in_schema

NEW_LINE = "Disputes go to mediation first, then to a court."
REASON = "A court order obliges us to change the dispute clause at once."


def publish(capture, *, document="terms", version="3.0", days=30, reason="", old_line=None):
    """Publish ``version`` ``days`` ahead through the service, running what it queues."""
    current = TermsVersion.objects.filter(document=document).order_by("-effective_at").first()
    body = current.body + f"\n{NEW_LINE}\n"
    if old_line:
        body = current.body.replace(old_line, NEW_LINE)
    with capture(execute=True):
        return terms_services.terms_publish(
            document=document,
            version=version,
            effective_at=timezone.now() + timedelta(days=days),
            body=body,
            summary="Mediation first.",
            short_notice_reason=reason,
        )


def announcements():
    return [message for message in mail.outbox if "in effect from" in message.subject]


def test_terms_v3_with_30_days_notice_are_announced_that_day_and_gated_only_on_the_day(
    system_a, system_b, owner_a, agent_a, member_a, user_b, django_capture_on_commit_callbacks
):
    with in_schema(system_a):
        UserFactory(email="left@alpha.example", is_active=False)
        UserFactory(email="locked@alpha.example", suspended_at=timezone.now())
    everyone = sorted([owner_a.email, agent_a.email, member_a.email, user_b.email])

    with time_machine.travel(timezone.now(), tick=False):
        v3 = publish(django_capture_on_commit_callbacks)

        told = announcements()
        assert sorted(message.to[0] for message in told) == everyone
        assert len(mail.outbox) == len(everyone)
        message = next(m for m in told if m.to == [agent_a.email])
        # The mail writes the date in its reader's language and zone.
        mailed = date_format(timezone.localtime(v3.effective_at), "DATE_FORMAT")
        assert mailed in message.subject and "Alpha Support" in message.subject
        assert f"It takes effect on {mailed}." in message.body
        assert "Mediation first." in message.body
        assert "http://localhost/terms/diff/?from=1.0&to=3.0" in message.body
        assert "http://localhost/terms/v/3.0/" in message.body
        assert "Until then nothing changes for you." in message.body
        assert "shorter notice" not in message.body

        # Until the effective date nothing changes: no gate, 1.0 is the version in effect.
        assert client_for(system_a, agent_a).get("/tickets/").status_code == 200
        page = Client(HTTP_HOST="localhost").get("/terms/").content.decode()
        assert "Version 1.0, in effect since" in page
        # Pages show dates in the reader's localized format.
        shown = formats.date_format(v3.effective_at, "DATE_FORMAT")
        assert f"Coming: version 3.0, in effect from {shown}." in page
        assert "/terms/diff/?from=1.0&amp;to=3.0" in page

        # The beat, a second announcement and a retry in one System send nothing more.
        with django_capture_on_commit_callbacks(execute=True):
            terms_announce_due()
            assert terms_publication_announce(v3.pk) == 0
            with in_schema(system_a):
                assert terms_publication_notify_system(v3.pk) == 0
        assert len(mail.outbox) == len(everyone)
        with in_schema(system_a):
            assert TermsPublicationNotice.objects.filter(terms_version_id=v3.pk).count() == 3

    with time_machine.travel(v3.effective_at + timedelta(hours=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            terms_announce_due()
        in_effect = mail.outbox[len(everyone) :]
        assert sorted(message.to[0] for message in in_effect) == everyone
        assert all("version 3.0" in message.subject for message in in_effect)

        gated = client_for(system_a, agent_a).get("/tickets/")
        assert gated.status_code == 302
        assert gated["Location"] == "/terms/accept/?next=/tickets/"
        page = Client(HTTP_HOST="localhost").get("/terms/").content.decode()
        assert "Version 3.0, in effect since" in page and "Coming:" not in page


def test_a_shorter_notice_without_a_reason_is_refused(db, django_capture_on_commit_callbacks):
    for reason in ("", "   "):
        with pytest.raises(ValidationError, match="Give the reason for the shorter notice"):
            publish(django_capture_on_commit_callbacks, days=29, reason=reason)
    assert not TermsVersion.objects.filter(version="3.0").exists()
    assert mail.outbox == []


def test_a_shorter_notice_with_a_reason_is_published_and_the_reason_shown_everywhere(
    system_a, owner_a, operator, django_capture_on_commit_callbacks
):
    v3 = publish(django_capture_on_commit_callbacks, days=10, reason=REASON)

    assert v3.short_notice_reason == REASON
    [told] = announcements()
    assert f"This change takes effect with shorter notice because: {REASON}" in told.body
    public = Client(HTTP_HOST="localhost")
    for path in ("/terms/", "/terms/v/3.0/", "/terms/diff/?from=1.0&to=3.0"):
        page = public.get(path).content.decode()
        assert "This change takes effect with shorter notice because:" in page, path
        assert REASON in page, path
    admin_page = operator.get(f"/admin/legal/termsversion/{v3.pk}/change/").content.decode()
    assert REASON in admin_page


def test_the_minimum_notice_is_the_operators_setting(
    db, settings, django_capture_on_commit_callbacks
):
    settings.TERMS_MIN_NOTICE_DAYS = 7
    v3 = publish(django_capture_on_commit_callbacks, days=7, reason="Not needed")
    assert v3.short_notice_reason == ""  # the notice is long enough: nothing to explain


def test_a_correction_that_shortens_the_notice_needs_a_reason_too(
    db, django_capture_on_commit_callbacks
):
    v3 = publish(django_capture_on_commit_callbacks, days=40)
    sooner = timezone.now() + timedelta(days=5)
    with pytest.raises(ValidationError, match="Give the reason for the shorter notice"):
        terms_services.terms_update_scheduled(
            terms=v3, body=v3.body, summary=v3.summary, effective_at=sooner
        )
    terms_services.terms_update_scheduled(
        terms=v3, body=v3.body, summary=v3.summary, effective_at=sooner, short_notice_reason=REASON
    )
    v3.refresh_from_db()
    assert (v3.effective_at, v3.short_notice_reason) == (sooner, REASON)


def test_the_command_refuses_a_shorter_notice_without_a_reason(db, tmp_path):
    text = tmp_path / "terms.md"
    text.write_text("# Terms\n\nShort.\n")
    soon = (timezone.now() + timedelta(days=3)).date().isoformat()
    with pytest.raises(CommandError, match="Give the reason for the shorter notice"):
        call_command(
            "publish_terms",
            str(text),
            version="3.0",
            effective=soon,
            summary="s",
            stdout=io.StringIO(),
        )
    assert not TermsVersion.objects.filter(version="3.0").exists()


def test_terms_in_effect_at_once_are_told_in_one_mail(
    system_a, owner_a, agent_a, django_capture_on_commit_callbacks
):
    v3 = publish(django_capture_on_commit_callbacks, days=0, reason=REASON)
    with django_capture_on_commit_callbacks(execute=True):
        terms_announce_due()  # the "in effect" notice of the beat: already said

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [owner_a.email, agent_a.email]
    )
    assert "The next time you use Alpha Support we will ask you to accept it." in (
        mail.outbox[0].body
    )
    client = client_for(system_a, agent_a)
    assert client.get("/tickets/")["Location"] == "/terms/accept/?next=/tickets/"
    assert REASON in client.get("/terms/accept/").content.decode()
    assert v3.in_effect


def test_a_privacy_version_is_announced_the_same_way_and_asks_nothing(
    system_a, agent_a, django_capture_on_commit_callbacks
):
    p2 = publish(django_capture_on_commit_callbacks, document="privacy", version="2.0")

    [told] = announcements()
    assert told.to == [agent_a.email]
    assert "privacy policy" in told.subject
    assert "http://localhost/privacy/diff/?from=1.0&to=2.0" in told.body
    assert "You need to do nothing" in told.body
    with time_machine.travel(p2.effective_at + timedelta(hours=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            terms_announce_due()
        assert len(mail.outbox) == 1
        assert client_for(system_a, agent_a).get("/tickets/").status_code == 200


def test_people_of_a_suspended_system_are_not_told(
    system_a, system_b, owner_a, user_b, django_capture_on_commit_callbacks
):
    system_suspend(system=system_b, reason="Invoice 7 unpaid.", operator="billing@example.com")
    mail.outbox.clear()

    publish(django_capture_on_commit_callbacks)

    assert [message.to for message in announcements()] == [[owner_a.email]]
    with in_schema(system_b):
        assert not TermsPublicationNotice.objects.exists()


def test_people_of_a_system_whose_deletion_is_due_are_not_told(
    system_a, system_b, owner_a, user_b, django_capture_on_commit_callbacks
):
    ScheduledDeletion.objects.create(
        system=system_a,
        due_at=timezone.now() - timedelta(minutes=1),
        undo_token_hash="0" * 64,
        requested_by_label="Olga",
        requested_by_email=owner_a.email,
    )

    publish(django_capture_on_commit_callbacks)

    assert [message.to for message in announcements()] == [[user_b.email]]


def test_the_diff_page_marks_the_changed_lines_without_relying_on_colour(
    db, django_capture_on_commit_callbacks
):
    old_line = "- Each System has its own accounts. An account belongs to one System only."
    publish(django_capture_on_commit_callbacks, old_line=old_line)

    response = Client(HTTP_HOST="localhost").get("/terms/diff/", {"from": "1.0", "to": "3.0"})

    page = response.content.decode()
    assert response.status_code == 200
    assert (
        '<del class="diff-removed"><span class="diff-sign" aria-hidden="true">&minus; </span>'
        f'<span class="visually-hidden">Removed: </span>{old_line}</del>'
    ) in page
    assert (
        '<ins class="diff-added"><span class="diff-sign" aria-hidden="true">+ </span>'
        f'<span class="visually-hidden">Added: </span>{NEW_LINE}</ins>'
    ) in page
    assert page.count('class="diff-added"') == 2  # the line, and the legend

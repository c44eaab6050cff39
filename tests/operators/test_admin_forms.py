"""A refusal in admin shows on the form, and nothing is reported saved."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from legal.models import TermsVersion
from tenants.backups.models import RestoreRequest


def test_a_terms_version_taking_effect_before_the_current_one_is_refused_on_the_form(operator, db):
    current = TermsVersion.objects.filter(document="terms").order_by("-effective_at").first()
    earlier = current.effective_at - timedelta(days=1)

    response = operator.post(
        "/admin/legal/termsversion/add/",
        {
            "document": "terms",
            "version": "9.9",
            "effective_at_0": earlier.strftime("%Y-%m-%d"),
            "effective_at_1": earlier.strftime("%H:%M:%S"),
            "summary": "Earlier",
            "body": "Text",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200  # the form again
    assert "It must take effect after version" in page
    assert "was added successfully" not in page and "/None/" not in page
    assert not TermsVersion.objects.filter(version="9.9").exists()


def _terms_form(version: str, effective_at, reason: str = "") -> dict:
    return {
        "document": "terms",
        "version": version,
        "effective_at_0": effective_at.strftime("%Y-%m-%d"),
        "effective_at_1": effective_at.strftime("%H:%M:%S"),
        "short_notice_reason": reason,
        "summary": "Mediation first.",
        "body": "# Terms\n\nDisputes go to mediation first.\n",
    }


def test_terms_with_shorter_notice_and_no_reason_are_refused_on_the_form(operator, db):
    soon = timezone.now() + timedelta(days=5)

    response = operator.post("/admin/legal/termsversion/add/", _terms_form("9.9", soon))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Give the reason for the shorter notice" in page
    assert "Mediation first." in page  # what was typed is kept
    assert "was added successfully" not in page
    assert not TermsVersion.objects.filter(version="9.9").exists()


def test_terms_with_shorter_notice_and_a_reason_are_published_and_announced_from_the_form(
    operator, owner_a, django_capture_on_commit_callbacks
):
    soon = timezone.now() + timedelta(days=5)

    with django_capture_on_commit_callbacks(execute=True):
        response = operator.post(
            "/admin/legal/termsversion/add/", _terms_form("9.9", soon, "A court order.")
        )

    assert response.status_code == 302
    published = TermsVersion.objects.get(version="9.9")
    assert published.short_notice_reason == "A court order."
    assert published.publication_announced_at is not None
    [told] = mail.outbox
    assert told.to == [owner_a.email]
    assert "shorter notice because: A court order." in told.body
    listing = operator.get("/admin/legal/termsversion/").content.decode()
    assert "Shorter notice" in listing


def test_rejecting_a_restore_request_without_a_reason_is_refused_on_the_form(operator, system_a):
    asked = RestoreRequest.objects.create(
        system=system_a,
        reason="Lost tickets",
        due_at=timezone.now() + timedelta(days=1),
        requested_by_label="Olga",
        requested_by_email="owner@alpha.example",
    )

    response = operator.post(
        f"/admin/tenants/restorerequest/{asked.pk}/change/",
        {"status": "rejected", "operator_note": ""},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Say why, the customer reads it." in page
    assert "was changed successfully" not in page
    asked.refresh_from_db()
    assert asked.status == RestoreRequest.Status.OPEN

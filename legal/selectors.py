from __future__ import annotations

from django.utils import timezone

from legal.models import TermsVersion


def terms_current() -> TermsVersion | None:
    """The latest version already in effect."""
    return (
        TermsVersion.objects.filter(effective_at__lte=timezone.now())
        .order_by("-effective_at")
        .first()
    )


def terms_get(*, version: str) -> TermsVersion | None:
    return TermsVersion.objects.filter(version=version).first()

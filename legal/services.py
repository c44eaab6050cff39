from __future__ import annotations

from django.db import transaction

from accounts.models import AuditEvent, User
from accounts.services.audit import audit_record
from legal.models import TermsAcceptance, TermsVersion


@transaction.atomic
def terms_accept(
    *, user: User, version: TermsVersion, ip: str | None, user_agent: str
) -> TermsAcceptance:
    """Record that ``user`` accepted ``version`` (once; a repeat returns the first record)."""
    acceptance, created = TermsAcceptance.objects.get_or_create(
        user=user,
        terms_version_id=version.pk,
        defaults={"version": version.version, "ip": ip, "user_agent": user_agent[:300]},
    )
    if created:
        audit_record(
            action=AuditEvent.Action.TERMS_ACCEPTED,
            actor=user,
            target=f"Terms {version.version}",
            ip=ip,
        )
    return acceptance

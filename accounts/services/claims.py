"""Claims to an account, sent from the System's public form.

"That account is mine": anyone may say so on the System's host, without an account. The
claim becomes an AccountDispute (the operator decides it in admin, as the terms make him
arbiter) once the claimant confirms his address, so a form filled with someone else's
address, or by a script, never reaches the operator's queue.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AccountDispute
from servicedesk import mail, ratelimit
from tenants.models import System
from tenants.selectors import system_url

CONFIRM_WITHIN = timedelta(days=3)
_SALT = "accounts.claim"


@transaction.atomic
def account_claim_send(
    *,
    system: System,
    claimant_name: str,
    claimant_email: str,
    account_email: str,
    claim: str,
    evidence: str,
    ip: str | None,
) -> AccountDispute:
    """Record the claim, unconfirmed, and mail the claimant the link that confirms it."""
    if not ratelimit.hit(
        "account-claim", ip or "unknown", limit=settings.ACCOUNT_CLAIMS_PER_HOUR, window=3600
    ):
        raise ValidationError(_("Too many claims from your network in the last hour; try later."))
    dispute = AccountDispute.objects.create(
        system=system,
        claimant_name=claimant_name.strip(),
        claimant_email=claimant_email.strip().lower(),
        account_email=account_email.strip().lower(),
        claim=claim.strip(),
        evidence=evidence.strip(),
    )
    token = signing.dumps(dispute.pk, salt=_SALT)
    path = reverse("account_claim_confirm", kwargs={"token": token})
    mail.send_templated(
        to=[dispute.claimant_email],
        template="account_claim_confirm",
        context={
            "dispute": dispute,
            "system": system,
            "confirm_url": system_url(system=system, path=path),
            "days": CONFIRM_WITHIN.days,
        },
        essential=True,
    )
    return dispute


def account_claim_from_token(*, system: System, token: str) -> AccountDispute | None:
    """The claim a confirmation link names, if the link is genuine, recent and this System's."""
    try:
        pk = signing.loads(token, salt=_SALT, max_age=CONFIRM_WITHIN)
    except signing.BadSignature:
        return None
    return AccountDispute.objects.filter(pk=pk, system=system).first()


@transaction.atomic
def account_claim_confirm(*, dispute: AccountDispute) -> AccountDispute:
    """The claimant's address is his: the claim goes to the operator (once, however often
    the link is used)."""
    dispute = AccountDispute.objects.select_for_update().select_related("system").get(pk=dispute.pk)
    if dispute.confirmed_at is not None:
        return dispute
    dispute.confirmed_at = timezone.now()
    dispute.save(update_fields=["confirmed_at"])
    mail.send_templated(
        to=[settings.OPERATOR_EMAIL],
        template="account_claim_received",
        context={"dispute": dispute, "system": dispute.system},
        essential=True,
    )
    return dispute

"""Who may open tickets by mail."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import AuditEvent, User
from accounts.permissions import Perm, require
from accounts.services.audit import audit_record
from tickets.mail.models import MailSettings, WhoMayWrite


def _locked() -> MailSettings:
    found = MailSettings.objects.select_for_update().first()
    return found if found is not None else MailSettings.objects.create()


@transaction.atomic
def who_may_write_set(*, actor: User, who: str, ip: str | None = None) -> MailSettings:
    require(actor, Perm.MANAGE_MAIL)
    if who not in WhoMayWrite.values:
        raise ValidationError({"who_may_write": _("Choose who may open tickets by mail.")})
    row = _locked()
    if row.who_may_write != who:
        before, row.who_may_write = row.who_may_write, who
        row.save(update_fields=["who_may_write"])
        audit_record(
            action=AuditEvent.Action.SETTINGS_CHANGED,
            actor=actor,
            ip=ip,
            detail={"who_may_write": [before, who]},
        )
    return row

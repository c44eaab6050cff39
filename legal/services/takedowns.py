"""Prohibited content: reports from a System, the operator's takedowns, appeals, restores.

Disabled content is hidden, never deleted: its ``removed_reason`` replaces it on every page,
files stop downloading, and it leaves the search index; restoring brings it all back.
Every step lands in the System's audit log.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tenants.utils import schema_context

from accounts.models import AuditEvent, Role, User
from accounts.permissions import Perm, require
from accounts.services.audit import actor_label, audit_record
from legal.models import ContentKind, ContentReport, Takedown, TakedownNotice
from servicedesk import content, mail
from servicedesk.schema import current_schema
from tenants import selectors as tenant_selectors
from tenants.models import System


def content_for_user(*, user: User, number: int, kind: str, object_id: int):
    """The ticket, reply or file ``user`` may see (404 otherwise), to report it."""
    return content.provider(kind).for_user(user=user, number=number, object_id=object_id)


@transaction.atomic
def content_report(
    *, actor: User, kind: str, obj, category: str, note: str, ip: str | None
) -> ContentReport:
    if category not in ContentReport.Category.values:
        raise ValidationError({"category": _("Choose what is wrong with it.")})
    system = System.objects.get(schema_name=current_schema())
    number = content.provider(kind).number_of(obj)
    report = ContentReport.objects.create(
        system=system,
        kind=kind,
        object_id=obj.pk,
        ticket_number=number,
        reporter_email=actor.email,
        category=category,
        note=note.strip(),
    )
    audit_record(
        action=AuditEvent.Action.CONTENT_REPORTED,
        actor=actor,
        target=_target(kind, number),
        ip=ip,
        detail={"category": category},
    )
    mail.send_templated(
        to=[settings.OPERATOR_EMAIL],
        template="content_reported",
        context={"report": report, "system": system},
    )
    return report


def _operator(email: str) -> str:
    return f"Operator ({email})"


def _target(kind: str, number: int) -> str:
    # The audit log stores this text: in English whatever language the actor reads.
    with override(None):
        return f"{ContentKind(kind).label} on #{number}"


@transaction.atomic
def takedown(
    *,
    system: System,
    kind: str,
    object_id: int,
    reason: str,
    operator_email: str,
    report: ContentReport | None = None,
    notice: TakedownNotice | None = None,
) -> Takedown:
    """Disable one ticket, reply or file of ``system`` with a reason its people will see,
    from a report made in the System or from a notice sent from outside (or neither)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason; the System's people will read it.")})
    detail = {"reason": reason.strip()}
    if notice is not None:
        notice = TakedownNotice.objects.select_for_update().get(pk=notice.pk)
        if Takedown.objects.filter(notice=notice, restored_at__isnull=True).exists():
            raise ValidationError(_("The content this notice names is taken down already."))
        # What the System's admins may read of the sender (see TakedownNotice.sender_private).
        with override(None):
            detail["notice"] = f"{notice.sender_for_system}, {notice.reference or 'no reference'}"
    with schema_context(system.schema_name):
        held = content.provider(kind)
        if not held.exists(object_id=object_id):
            raise ValidationError(_("This content is no longer there: the System deleted it."))
        number = held.set_removed(object_id=object_id, reason=reason.strip())
        audit_record(
            action=AuditEvent.Action.CONTENT_REMOVED,
            actor_label_override=_operator(operator_email),
            target=_target(kind, number),
            detail=detail,
        )
        admins = list(
            User.objects.filter(role__in=[Role.OWNER, Role.ADMIN], is_active=True).values_list(
                "email", flat=True
            )
        )
        removal = Takedown.objects.create(
            system=system,
            report=report,
            notice=notice,
            kind=kind,
            object_id=object_id,
            ticket_number=number,
            reason=reason.strip(),
            operator_email=operator_email,
        )
        mail.send_templated(
            to=admins,
            template="content_removed",
            context={
                "system": system,
                "takedown": removal,
                "page_url": tenant_selectors.system_url(system=system, path="/settings/takedowns/"),
            },
        )
    if report is not None:
        ContentReport.objects.filter(pk=report.pk).update(status=ContentReport.Status.ACTED)
    if notice is not None:
        TakedownNotice.objects.filter(pk=notice.pk).update(status=TakedownNotice.Status.ACTED)
    return removal


@transaction.atomic
def takedown_appeal(*, actor: User, takedown_id: int, text: str, ip: str | None) -> Takedown:
    """An owner or admin answers a takedown; the operator reads it in admin."""
    require(actor, Perm.ANSWER_TAKEDOWNS)
    removal = (
        Takedown.objects.select_for_update(of=("self",))
        .select_related("notice")
        .get(pk=takedown_id, system__schema_name=current_schema())
    )
    if not text.strip():
        raise ValidationError({"text": _("Write your answer.")})
    if removal.restored_at:
        raise ValidationError(_("This content was restored already."))
    removal.appeal = text.strip()
    removal.appealed_at = timezone.now()
    removal.appealed_by = actor_label(actor)
    removal.save(update_fields=["appeal", "appealed_at", "appealed_by"])
    if removal.notice_id is not None:
        # A counter-notice to the notice it came from: the operator sees it there too.
        TakedownNotice.objects.filter(pk=removal.notice_id).update(
            status=TakedownNotice.Status.COUNTERED
        )
    audit_record(
        action=AuditEvent.Action.CONTENT_APPEALED,
        actor=actor,
        target=_target(removal.kind, removal.ticket_number),
        ip=ip,
    )
    mail.send_templated(
        to=[settings.OPERATOR_EMAIL], template="content_appealed", context={"takedown": removal}
    )
    return removal


@transaction.atomic
def takedown_restore(*, takedown_id: int, operator_email: str) -> Takedown:
    removal = Takedown.objects.select_for_update().select_related("system").get(pk=takedown_id)
    if removal.restored_at:
        return removal
    with schema_context(removal.system.schema_name):
        held = content.provider(removal.kind)
        # The System may have deleted the content for good meanwhile: nothing to show again.
        if held.exists(object_id=removal.object_id):
            held.set_removed(object_id=removal.object_id, reason="")
        audit_record(
            action=AuditEvent.Action.CONTENT_RESTORED,
            actor_label_override=_operator(operator_email),
            target=_target(removal.kind, removal.ticket_number),
        )
    removal.restored_at = timezone.now()
    removal.restored_by = operator_email
    removal.save(update_fields=["restored_at", "restored_by"])
    if (
        removal.notice_id is not None
        and not Takedown.objects.filter(
            notice_id=removal.notice_id, restored_at__isnull=True
        ).exists()
    ):
        TakedownNotice.objects.filter(pk=removal.notice_id).update(
            status=TakedownNotice.Status.RESTORED
        )
    return removal


def report_dismiss(*, report: ContentReport) -> None:
    ContentReport.objects.filter(pk=report.pk, status=ContentReport.Status.OPEN).update(
        status=ContentReport.Status.DISMISSED
    )

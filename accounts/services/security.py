"""Sessions and account compromise."""

from __future__ import annotations

from allauth.usersessions.models import UserSession
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from accounts.models import AuditEvent, Role, SecurityReport, User
from accounts.services.audit import audit_record
from servicedesk import mail
from servicedesk.schema import current_schema
from tenants.models import System
from tenants.selectors import system_url


def sessions_end_all(*, user: User, keep_session_key: str | None = None) -> int:
    """Sign ``user`` out of every session of this System (but ``keep_session_key``)."""
    ended = 0
    tracked = UserSession.objects.filter(user=user)
    if keep_session_key:
        tracked = tracked.exclude(session_key=keep_session_key)
    keys = set(tracked.values_list("session_key", flat=True))
    tracked.delete()
    # Sessions allauth hasn't seen yet (e.g. made outside a request) are found by decoding;
    # a System has few live sessions, and this runs only on security events.
    for session in Session.objects.filter(expire_date__gt=timezone.now()):
        if session.session_key == keep_session_key:
            continue
        data = SessionStore().decode(session.session_data)
        if str(data.get("_auth_user_id")) == str(user.pk):
            keys.add(session.session_key)
    keys.discard(keep_session_key)
    if keys:
        ended = Session.objects.filter(session_key__in=keys).delete()[0]
    return ended


@transaction.atomic
def account_report_compromise(
    *, user: User, ip: str | None, user_agent: str, reset_url_builder
) -> SecurityReport:
    """ "Someone else used my account": sign out everywhere, require a new password, tell
    the System's admins and open a report for the operator.

    ``reset_url_builder(user)`` returns the password-reset link to email to the user.
    """
    system = System.objects.get(schema_name=current_schema())
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    sessions_end_all(user=user)
    report = SecurityReport.objects.create(
        system=system,
        user_id_in_system=user.pk,
        user_email=user.email,
        ip=ip,
        user_agent=user_agent,
    )
    audit_record(action=AuditEvent.Action.SECURITY_REPORT, actor=user, target=user.email, ip=ip)
    admins = User.objects.filter(
        role__in=[Role.OWNER, Role.ADMIN], is_active=True, suspended_at__isnull=True
    ).exclude(pk=user.pk)
    context = {"system": system, "person": user, "report": report, "ip": ip}
    mail.send_templated(
        to=admins.values_list("email", flat=True),
        template="security_report_admins",
        context=context,
        essential=True,
    )
    mail.send_templated(
        to=[user.email],
        template="security_report_user",
        context={**context, "reset_url": reset_url_builder(user)},
        essential=True,
    )
    return report


@transaction.atomic
def security_report_answer(
    *, report: SecurityReport, status: str, resolution: str, operator_notes: str, operator: str
) -> SecurityReport:
    """The operator moves a report on. The reporter is told when its state or the answer
    changes (he reads both on his security page); the operator's notes stay internal."""
    report = SecurityReport.objects.select_for_update().select_related("system").get(pk=report.pk)
    told = (report.status, report.resolution.strip())
    report.status = status
    report.resolution = resolution.strip()
    report.operator_notes = operator_notes
    if status == SecurityReport.Status.RESOLVED and report.resolved_at is None:
        report.resolved_at = timezone.now()
    elif status != SecurityReport.Status.RESOLVED:
        report.resolved_at = None
    report.save(update_fields=["status", "resolution", "operator_notes", "resolved_at"])
    if (report.status, report.resolution) != told:
        mail.send_templated(
            to=[report.user_email],
            template="security_report_answered",
            context={
                "report": report,
                "system": report.system,
                "operator": operator,
                "security_url": system_url(system=report.system, path="/account/security/"),
            },
            essential=True,
        )
    return report

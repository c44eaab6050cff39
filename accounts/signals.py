"""The audit trail of what allauth and Django auth do on their own (sign-in, password,
email, two-factor). Our own services write their audit rows themselves."""

from __future__ import annotations

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from allauth.socialaccount import signals as social_signals
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from accounts.models import AuditEvent
from accounts.services.audit import audit_record
from servicedesk.http import client_ip


def _ip(request) -> str | None:
    return client_ip(request) if request is not None else None


@receiver(auth_signals.user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender, request, user, **kwargs) -> None:
    audit_record(action=AuditEvent.Action.LOGIN, actor=user, target=user.email, ip=_ip(request))


@receiver(auth_signals.user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(
            action=AuditEvent.Action.LOGOUT, actor=user, target=user.email, ip=_ip(request)
        )


@receiver(auth_signals.user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    attempted = str(credentials.get("email") or credentials.get("username") or "")
    audit_record(
        action=AuditEvent.Action.LOGIN_FAILED,
        actor_label_override=attempted or "unknown",
        target=attempted,
        ip=_ip(request),
    )


@receiver(account_signals.password_changed, dispatch_uid="audit_password_changed")
@receiver(account_signals.password_set, dispatch_uid="audit_password_set")
def _password_changed(sender, request, user, **kwargs) -> None:
    audit_record(
        action=AuditEvent.Action.PASSWORD_CHANGED, actor=user, target=user.email, ip=_ip(request)
    )


@receiver(account_signals.password_reset, dispatch_uid="audit_password_reset")
def _password_reset(sender, request, user, **kwargs) -> None:
    audit_record(
        action=AuditEvent.Action.PASSWORD_RESET, actor=user, target=user.email, ip=_ip(request)
    )


@receiver(account_signals.email_changed, dispatch_uid="audit_email_changed")
def _email_changed(sender, request, user, from_email_address, to_email_address, **kwargs) -> None:
    audit_record(
        action=AuditEvent.Action.EMAIL_CHANGED,
        actor=user,
        target=to_email_address.email,
        ip=_ip(request),
        detail={"from": from_email_address.email if from_email_address else None},
    )


@receiver(mfa_signals.authenticator_added, dispatch_uid="audit_mfa_added")
def _mfa_added(sender, request, user, authenticator, **kwargs) -> None:
    audit_record(
        action=AuditEvent.Action.MFA_ENABLED,
        actor=user,
        target=user.email,
        ip=_ip(request),
        detail={"type": authenticator.type},
    )


@receiver(mfa_signals.authenticator_removed, dispatch_uid="audit_mfa_removed")
def _mfa_removed(sender, request, user, authenticator, **kwargs) -> None:
    audit_record(
        action=AuditEvent.Action.MFA_DISABLED,
        actor=user,
        target=user.email,
        ip=_ip(request),
        detail={"type": authenticator.type},
    )


@receiver(social_signals.social_account_added, dispatch_uid="audit_sso_linked")
def _sso_linked(sender, request, sociallogin, **kwargs) -> None:
    user = sociallogin.user
    audit_record(
        action=AuditEvent.Action.SSO_LINKED,
        actor=user,
        target=user.email,
        ip=_ip(request),
        detail={"uid": sociallogin.account.uid},
    )


@receiver(social_signals.social_account_removed, dispatch_uid="audit_sso_unlinked")
def _sso_unlinked(sender, request, socialaccount, **kwargs) -> None:
    user = socialaccount.user
    audit_record(
        action=AuditEvent.Action.SSO_UNLINKED,
        actor=user,
        target=user.email,
        ip=_ip(request),
        detail={"uid": socialaccount.uid},
    )

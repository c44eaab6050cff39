"""Becoming a customer: signing up on the public site, confirming it, opening another
System. Each makes a Customer, claims a System from the pool and starts its trial, and
makes its owner's account with the terms accepted, in one transaction."""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import AuditEvent, Role
from accounts.permissions import Perm, require
from accounts.services.audit import audit_record
from accounts.services.handoff import handoff_create
from accounts.services.seats import user_register
from legal.models import TermsVersion
from legal.selectors import terms_current
from legal.services.terms import terms_accept
from servicedesk import mail
from servicedesk.locales import DEFAULT_TIME_ZONE, is_time_zone, supported_language
from servicedesk.schema import current_schema
from servicedesk.tokens import new_token, token_hash
from tenants import selectors
from tenants.billing.selectors import trial_days
from tenants.lifecycle.services import trial_start
from tenants.models import Customer, System
from tenants.onboarding.models import Signup
from tenants.services import system_claim
from tenants.validators import validate_subdomain


def customer_create(*, name: str, email: str) -> Customer:
    return Customer.objects.create(name=name.strip(), email=email.strip().lower())


@transaction.atomic
def system_create(*, customer: Customer, name: str, slug: str) -> System:
    """Give ``customer`` a new System at ``slug`` (from the pool), in its trial.

    Raises ValidationError (keyed ``slug``) for a malformed, reserved or taken subdomain.
    """
    system = system_claim(customer=customer, name=name, slug=slug)
    trial_start(system=system, days=trial_days())
    return system


# --- signup -------------------------------------------------------------------------------

SIGNUP_TTL = timedelta(hours=24)
_SUGGESTION_SUFFIXES = ("help", "support", "desk", "team", "hq", "2", "3")


class SignupUnusable(Exception):
    """The confirmation link is unknown, expired or already used."""

    def __init__(self, status: str, system: System | None = None) -> None:
        self.status = status
        self.system = system
        super().__init__(status)


def _slug_held(slug: str, *, email: str | None = None) -> bool:
    """Taken by a System, or held by someone else's unexpired signup."""
    if selectors.slug_is_taken(slug=slug):
        return True
    pending = Signup.objects.filter(
        slug=slug, confirmed_at__isnull=True, expires_at__gt=timezone.now()
    )
    if email:
        pending = pending.exclude(email=email.lower())
    return pending.exists()


def subdomain_suggest(slug: str) -> str | None:
    base = re.sub(r"[^a-z0-9-]+", "-", slug.lower()).strip("-")[:50] or "desk"
    for suffix in _SUGGESTION_SUFFIXES:
        candidate = f"{base}-{suffix}"
        try:
            validate_subdomain(candidate)
        except ValidationError:
            continue
        if not _slug_held(candidate):
            return candidate
    return None


def subdomain_check(*, slug: str, email: str | None = None) -> tuple[bool, str, str | None]:
    """(available, message, suggestion) for the signup form's live check and its validation."""
    slug = slug.strip().lower()
    try:
        validate_subdomain(slug)
    except ValidationError as error:
        suggestion = subdomain_suggest(slug) if error.code == "reserved" else None
        return False, error.messages[0], suggestion
    if _slug_held(slug, email=email):
        return False, f"“{slug}” is already taken.", subdomain_suggest(slug)
    return True, f"{slug}.{settings.BASE_DOMAIN} is available.", None


@transaction.atomic
def signup_start(
    *,
    company_name: str,
    slug: str,
    full_name: str,
    email: str,
    password: str,
    terms: TermsVersion,
    ip: str | None,
    user_agent: str,
    language: str = "",
    time_zone: str = "",
) -> Signup:
    """Hold the subdomain and email a confirmation link; nothing else exists yet.

    Submitting again (double click, or a new try) replaces this person's pending signup.
    ``language`` and ``time_zone`` (the page's and the browser's) become the new System's
    defaults; what isn't offered or known falls back to English and UTC, which the owner
    can change in the System settings.
    """
    email = email.strip().lower()
    slug = slug.strip().lower()
    with connection.cursor() as cursor:  # one signup at a time per subdomain
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"signup:{slug}"])
    available, message, suggestion = subdomain_check(slug=slug, email=email)
    if not available:
        hint = f" Try “{suggestion}”." if suggestion else ""
        raise ValidationError({"slug": [message + hint]})
    Signup.objects.filter(email=email, confirmed_at__isnull=True).delete()
    token, digest = new_token()
    signup = Signup.objects.create(
        company_name=company_name.strip(),
        slug=slug,
        full_name=full_name.strip(),
        email=email,
        password_hash=make_password(password),
        terms_version_id=terms.pk,
        terms_version=terms.version,
        ip=ip,
        user_agent=user_agent[:300],
        token_hash=digest,
        expires_at=timezone.now() + SIGNUP_TTL,
        language=supported_language(language) or settings.LANGUAGE_CODE,
        time_zone=time_zone if is_time_zone(time_zone) else DEFAULT_TIME_ZONE,
    )
    mail.send_templated(
        to=[email],
        template="signup_confirm",
        context={
            "signup": signup,
            "confirm_url": selectors.public_url(path=f"/signup/confirm/{token}/"),
            "hours": int(SIGNUP_TTL.total_seconds() // 3600),
        },
    )
    return signup


def signup_for_token(token: str) -> Signup | None:
    return Signup.objects.filter(token_hash=token_hash(token)).first()


@transaction.atomic
def signup_confirm(*, token: str) -> tuple[System, str]:
    """Create the Customer, its first System (from the pool) and the owner's account.

    Returns the System and a single-use sign-in token for it (handed over by a form on the
    confirming browser's page, never in a link). Confirming twice makes one
    System: the second time raises SignupUnusable("used") naming the System.
    """
    signup = Signup.objects.select_for_update().filter(token_hash=token_hash(token)).first()
    if signup is None:
        raise SignupUnusable("unknown")
    if signup.confirmed_at is not None:
        raise SignupUnusable("used", system=signup.system)
    if signup.expires_at <= timezone.now():
        raise SignupUnusable("expired")
    customer = customer_create(name=signup.company_name, email=signup.email)
    try:
        system = system_create(customer=customer, name=signup.company_name, slug=signup.slug)
    except ValidationError as error:
        raise SignupUnusable("taken") from error
    # update(), not save(): django-tenants refuses to save a System from another schema.
    system.language = supported_language(signup.language) or settings.LANGUAGE_CODE
    system.time_zone = signup.time_zone if is_time_zone(signup.time_zone) else DEFAULT_TIME_ZONE
    System.objects.filter(pk=system.pk).update(language=system.language, time_zone=system.time_zone)
    terms = TermsVersion.objects.get(pk=signup.terms_version_id)
    with schema_context(system.schema_name):
        owner = user_register(
            email=signup.email,
            full_name=signup.full_name,
            role=Role.OWNER,
            password_hash=signup.password_hash,
            system=system,
        )
        terms_accept(user=owner, version=terms, ip=signup.ip, user_agent=signup.user_agent)
        audit_record(
            action=AuditEvent.Action.SYSTEM_CREATED,
            actor=owner,
            target=system.slug or "",
            ip=signup.ip,
        )
        login_token = handoff_create(user=owner)
    signup.confirmed_at = timezone.now()
    signup.system = system
    signup.password_hash = ""  # the account holds it now
    signup.save(update_fields=["confirmed_at", "system", "password_hash"])
    return system, login_token


@transaction.atomic
def system_open_another(
    *, actor, name: str, slug: str, ip: str | None, user_agent: str
) -> tuple[System, str]:
    """The owner opens another System for the same Customer; he owns it with a separate
    account (same email and password to start with). Returns it and a sign-in token."""
    require(actor, Perm.OPEN_SYSTEM)
    current = System.objects.select_related("customer").get(schema_name=current_schema())
    available, message, suggestion = subdomain_check(slug=slug)
    if not available:
        hint = f" Try “{suggestion}”." if suggestion else ""
        raise ValidationError({"slug": [message + hint]})
    system = system_create(customer=current.customer, name=name, slug=slug)
    # The same company: the same defaults to start with.
    System.objects.filter(pk=system.pk).update(
        language=current.language, time_zone=current.time_zone
    )
    terms = terms_current()
    with schema_context(system.schema_name):
        owner = user_register(
            email=actor.email,
            full_name=actor.full_name,
            role=Role.OWNER,
            password_hash=actor.password,
            system=system,
        )
        if terms is not None:
            terms_accept(user=owner, version=terms, ip=ip, user_agent=user_agent)
        audit_record(
            action=AuditEvent.Action.SYSTEM_CREATED, actor=owner, target=system.slug or "", ip=ip
        )
        login_token = handoff_create(user=owner)
    audit_record(
        action=AuditEvent.Action.SYSTEM_CREATED,
        actor=actor,
        target=system.slug or "",
        ip=ip,
        detail={"opened_from": current.slug},
    )
    return system, login_token


def signups_purge_expired() -> int:
    """Unconfirmed signups past their expiry keep nothing, not even their subdomain."""
    deleted, _ = Signup.objects.filter(
        confirmed_at__isnull=True, expires_at__lte=timezone.now()
    ).delete()
    return deleted

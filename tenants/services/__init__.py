"""Writes for Customers and Systems: provisioning from the warm pool, signup.

Billing (invoices, payments) and the lifecycle state machine live beside this module in
tenants/services/billing.py and tenants/services/lifecycle.py.

A signup must get its System at once however many migrations the product gathers, so
ready, migrated schemas wait in a pool (System rows in status ``pooled``). Claiming one is
a row lock with SKIP LOCKED and two small writes; only when the pool is empty is a schema
made synchronously, and a refill is queued either way.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from accounts.models import AuditEvent, Role
from accounts.permissions import Perm, require
from accounts.services.audit import audit_record
from accounts.services.handoff import handoff_create
from accounts.services.seats import user_register
from legal.models import TermsVersion
from legal.selectors import terms_current
from legal.services.terms import terms_accept
from servicedesk import mail
from servicedesk.schema import current_schema
from servicedesk.tokens import new_token, token_hash
from tenants import selectors
from tenants.models import Customer, Domain, Signup, System
from tenants.validators import validate_subdomain

log = logging.getLogger(__name__)

SCHEMA_SEQUENCE = "tenants_schema_seq"
# pg_advisory_xact_lock key serialising pool refills (any constant unique to this use).
POOL_REFILL_LOCK = 0x5D_0001


def _next_schema_name() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [SCHEMA_SEQUENCE])
        (number,) = cursor.fetchone()
    return f"s_{number:06d}"


def _schema_build() -> System:
    """Create, migrate and record one pooled schema in the caller's transaction.

    Because schema, tables and row commit together, a crash half-way leaves nothing
    behind: no orphan schema, no row pointing at a missing schema.
    """
    system = System(schema_name=_next_schema_name(), status=System.Status.POOLED)
    system.create_schema(check_if_exists=False, verbosity=0)
    system.save()
    return system


def pool_schema_add() -> System:
    with schema_context(get_public_schema_name()), transaction.atomic():
        return _schema_build()


def pool_refill(*, size: int | None = None) -> int:
    """Top the pool up to ``size`` (default SYSTEM_POOL_SIZE); returns how many were made.

    Concurrent refills queue behind an advisory lock and re-count, so the pool never
    overshoots; each schema commits on its own so a long refill hands out schemas early.
    """
    target = settings.SYSTEM_POOL_SIZE if size is None else size
    made = 0
    with schema_context(get_public_schema_name()):
        while True:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [POOL_REFILL_LOCK])
                if selectors.pool_size() >= target:
                    break
                system = _schema_build()
            made += 1
            log.info("pool: added schema %s", system.schema_name)
    return made


def customer_create(*, name: str, email: str) -> Customer:
    return Customer.objects.create(name=name.strip(), email=email.strip().lower())


def system_create(*, customer: Customer, name: str, slug: str) -> System:
    """Give ``customer`` a new System at ``slug``, from the pool when it can.

    Raises ValidationError (keyed ``slug``) for a malformed, reserved or taken subdomain.
    """
    slug = slug.strip().lower()
    try:
        validate_subdomain(slug)
    except ValidationError as exc:
        raise ValidationError({"slug": exc.messages}) from exc

    with schema_context(get_public_schema_name()), transaction.atomic():
        if selectors.slug_is_taken(slug=slug):
            raise ValidationError({"slug": [f"“{slug}” is already taken."]})
        system = (
            System.objects.select_for_update(skip_locked=True)
            .filter(status=System.Status.POOLED)
            .order_by("id")
            .first()
        )
        if system is None:
            log.warning("pool: empty, making a schema synchronously for %s", slug)
            system = _schema_build()
        system.customer = customer
        system.name = name.strip()
        system.slug = slug
        system.status = System.Status.TRIAL
        system.claimed_at = timezone.now()
        system.status_changed_at = system.claimed_at
        system.trial_ends_at = system.claimed_at + timedelta(days=selectors.trial_days())
        try:
            with transaction.atomic():
                system.save()
                Domain.objects.create(
                    domain=selectors.system_domain(slug=slug), tenant=system, is_primary=True
                )
        except IntegrityError as exc:
            # Lost a race for the same subdomain between the check and the write.
            raise ValidationError({"slug": [f"“{slug}” is already taken."]}) from exc
        transaction.on_commit(_queue_pool_refill)
    log.info("system %s claimed schema %s", slug, system.schema_name)
    return system


def _queue_pool_refill() -> None:
    from tenants.tasks import pool_refill as pool_refill_task

    pool_refill_task.delay()


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
) -> Signup:
    """Hold the subdomain and email a confirmation link; nothing else exists yet.

    Submitting again (double click, or a new try) replaces this person's pending signup.
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


@transaction.atomic
def system_settings_update(
    *, actor, name: str, idle_timeout_minutes: int, invite_expiry_days: int, ip: str | None
) -> System:
    require(actor, Perm.CHANGE_SETTINGS)
    system = System.objects.select_for_update().get(schema_name=current_schema())
    before = {
        "name": system.name,
        "idle_timeout_minutes": system.idle_timeout_minutes,
        "invite_expiry_days": system.invite_expiry_days,
    }
    system.name = name.strip()
    system.idle_timeout_minutes = idle_timeout_minutes
    system.invite_expiry_days = invite_expiry_days
    system.save(update_fields=["name", "idle_timeout_minutes", "invite_expiry_days"])
    after = {key: getattr(system, key) for key in before}
    changed = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if changed:
        audit_record(action=AuditEvent.Action.SETTINGS_CHANGED, actor=actor, ip=ip, detail=changed)
    return system

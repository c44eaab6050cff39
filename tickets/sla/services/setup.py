"""Admins set the System's business hours, holidays and SLA policies. Each change queues a
recomputation of the open tickets (tickets.sla.tasks.sla_backfill) once it commits."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import AuditEvent, User
from accounts.permissions import Perm, require
from accounts.services.audit import audit_record
from servicedesk.locales import is_time_zone
from servicedesk.queue import enqueue_on_commit
from servicedesk.schema import current_schema
from tenants.models import System
from tickets.models import Category, Priority
from tickets.sla.models import BusinessHoliday, BusinessHours, SLAPolicy

BACKFILL = "tickets.sla.tasks.sla_backfill"
# The longest target anyone means: a year of business minutes.
MAX_TARGET_MINUTES = 365 * 24 * 60


def _changed(actor: User, detail: dict[str, object]) -> None:
    """Audit the change; recompute the open tickets once it commits."""
    audit_record(
        action=AuditEvent.Action.SETTINGS_CHANGED, actor=actor, target="SLA", detail=detail
    )
    enqueue_on_commit(BACKFILL)


@transaction.atomic
def business_hours_set(
    *, actor: User, time_zone: str, weekdays: Iterable[int], opens: time, closes: time
) -> BusinessHours:
    """The System's working hours, counted in ``time_zone``: that is the System's own zone
    (its people's default and its reports' too), so setting it here sets it there."""
    require(actor, Perm.MANAGE_SLA)
    errors: dict[str, str] = {}
    if not is_time_zone(time_zone):
        errors["time_zone"] = _("Choose a time zone from the list, such as Europe/Berlin.")
    days = sorted(set(weekdays))
    if not days or not set(days) <= set(range(7)):
        errors["weekdays"] = _("Tick at least one working day.")
    if opens >= closes:
        errors["closes"] = _("Close after you open (hours end within the day).")
    if errors:
        raise ValidationError(errors)
    System.objects.filter(schema_name=current_schema()).exclude(time_zone=time_zone).update(
        time_zone=time_zone
    )
    # The column is kept in step (exports carry it) but read nowhere: see business_hours().
    hours, _created = BusinessHours.objects.update_or_create(
        pk=1,
        defaults={
            "time_zone": time_zone,
            "weekdays": "".join(str(day) for day in days),
            "opens": opens,
            "closes": closes,
            "updated_at": timezone.now(),
        },
    )
    _changed(
        actor,
        {"business_hours": f"{hours.opens:%H:%M}-{hours.closes:%H:%M} {time_zone} days {days}"},
    )
    return hours


@transaction.atomic
def holiday_add(*, actor: User, day: date, name: str) -> BusinessHoliday:
    require(actor, Perm.MANAGE_SLA)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Name the holiday, such as “New Year's Day”.")})
    try:
        with transaction.atomic():
            holiday = BusinessHoliday.objects.create(day=day, name=name[:80])
    except IntegrityError:
        raise ValidationError(
            {"day": _("%(day)s is already a holiday.") % {"day": date_format(day)}}
        ) from None
    _changed(actor, {"holiday_added": f"{holiday.day.isoformat()} {holiday.name}"})
    return holiday


@transaction.atomic
def holiday_remove(*, actor: User, holiday_id: int) -> None:
    require(actor, Perm.MANAGE_SLA)
    holiday = BusinessHoliday.objects.filter(pk=holiday_id).first()
    if holiday is not None:
        holiday.delete()
        _changed(actor, {"holiday_removed": f"{holiday.day.isoformat()} {holiday.name}"})


def _check_minutes(field: str, minutes: int | None) -> dict[str, str]:
    if minutes is not None and not 1 <= minutes <= MAX_TARGET_MINUTES:
        return {field: _("A target is between one minute and a year.")}
    return {}


@transaction.atomic
def policies_set(
    *, actor: User, targets: Mapping[str, tuple[int | None, int | None]]
) -> list[SLAPolicy]:
    """The policy of each priority: ``{priority: (response minutes, resolution minutes)}``;
    a priority with neither target has no policy."""
    require(actor, Perm.MANAGE_SLA)
    errors: dict[str, str] = {}
    for priority, (response, resolution) in targets.items():
        Priority(priority)
        errors |= _check_minutes(f"{priority}_response", response)
        errors |= _check_minutes(f"{priority}_resolution", resolution)
    if errors:
        raise ValidationError(errors)
    kept = []
    for priority, (response, resolution) in targets.items():
        if response is None and resolution is None:
            SLAPolicy.objects.filter(priority=priority, category__isnull=True).delete()
            continue
        policy, _created = SLAPolicy.objects.update_or_create(
            priority=priority,
            category=None,
            defaults={"response_minutes": response, "resolution_minutes": resolution},
        )
        kept.append(policy)
    _changed(actor, {"sla_targets": {p: list(t) for p, t in targets.items()}})
    return kept


@transaction.atomic
def category_policy_set(
    *,
    actor: User,
    category: Category | None,
    priority: str,
    response: int | None,
    resolution: int | None,
) -> SLAPolicy:
    """A category's own targets for one priority (replacing any it had)."""
    require(actor, Perm.MANAGE_SLA)
    errors = _check_minutes("response", response) | _check_minutes("resolution", resolution)
    if category is None:
        errors["category"] = _("Choose a category.")
    if priority not in Priority.values:
        errors["priority"] = _("Choose a priority.")
    if response is None and resolution is None:
        errors["response"] = _("Give at least one target.")
    if errors:
        raise ValidationError(errors)
    policy, _created = SLAPolicy.objects.update_or_create(
        priority=priority,
        category=category,
        defaults={"response_minutes": response, "resolution_minutes": resolution},
    )
    _changed(
        actor,
        {"sla_category_targets": [category.name, priority, response, resolution]},  # type: ignore[union-attr]
    )
    return policy


@transaction.atomic
def category_policy_remove(*, actor: User, policy_id: int) -> None:
    require(actor, Perm.MANAGE_SLA)
    policy = SLAPolicy.objects.filter(pk=policy_id, category__isnull=False).first()
    if policy is not None:
        policy.delete()
        _changed(actor, {"sla_category_targets_removed": [policy.category_id, policy.priority]})


def system_time_zone_followed(sender, *, system: System, **kwargs) -> None:
    """The System's zone changed in its settings (accounts.hooks): its business hours count
    in it from now on, so the open tickets' deadlines move with it."""
    BusinessHours.objects.filter(pk=1).update(time_zone=system.time_zone)
    enqueue_on_commit(BACKFILL)

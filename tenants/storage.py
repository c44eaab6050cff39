"""Storage per System: how many bytes its files take, and its quota.

``System.storage_used`` counts the bytes of the System's attachments, their thumbnails and
its export archives. Every change goes through ``storage_change`` inside the transaction
that adds or removes the rows, under the System's row lock: the figure moves with the rows,
and two uploads can't both take the last megabytes. The quota is the plan's
``storage_quota_mb`` (``STORAGE_QUOTA_DEFAULT_MB`` without a plan).

The owner is emailed once when usage reaches 80 % of the quota and once at 100 %; the level
reached is kept on the row (``storage_notice_level``) and lowered when usage falls back,
so a later crossing warns again. Restores and imports write files outside these paths:
``storage_recount`` (daily, and ``manage.py storage_recount``) counts again from the rows
and the disk.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from servicedesk import mail
from servicedesk.schema import current_schema
from tenants import selectors
from tenants.models import System

log = logging.getLogger(__name__)

MB = 1024 * 1024
# Usage (per cent of the quota) at which the owner is told, highest first.
NOTICE_LEVELS = (100, 80)


@dataclass(frozen=True)
class Usage:
    used: int
    quota: int

    @property
    def free(self) -> int:
        return max(0, self.quota - self.used)

    @property
    def percent(self) -> int:
        if self.quota <= 0:
            return 100
        return min(100, self.used * 100 // self.quota)

    @property
    def low(self) -> int:
        """Where a meter turns from fine to nearly full (the first notice level)."""
        return self.quota * NOTICE_LEVELS[-1] // 100

    @property
    def high(self) -> int:
        return self.quota * 95 // 100

    @property
    def level(self) -> int:
        """The notice level this usage has reached: 0, 80 or 100."""
        return next((level for level in NOTICE_LEVELS if self.used * 100 >= level * self.quota), 0)


def quota_bytes(system: System) -> int:
    plan = system.plan if system.plan_id is not None else None
    megabytes = plan.storage_quota_mb if plan is not None else settings.STORAGE_QUOTA_DEFAULT_MB
    return megabytes * MB


def usage_of(system: System) -> Usage:
    return Usage(used=system.storage_used, quota=quota_bytes(system))


def no_room_message(*, need: int, usage: Usage) -> str:
    return _(
        "Not enough storage left: these files need %(need)s, and this help desk has %(free)s "
        "free of %(quota)s. An admin can delete files for good from the trash, or the owner "
        "can choose a larger plan."
    ) % {
        "need": filesizeformat(need),
        "free": filesizeformat(usage.free),
        "quota": filesizeformat(usage.quota),
    }


def current_system_id() -> int:
    return System.objects.values_list("pk", flat=True).get(schema_name=current_schema())


@transaction.atomic
def storage_change(*, system_id: int, delta: int, within_quota: bool = False) -> bool:
    """Count ``delta`` bytes more (or fewer) for the System, in the caller's transaction.

    With ``within_quota`` (uploads) nothing changes, and False is returned, when the
    result would pass the quota. The owner is emailed when usage reaches a notice level.
    """
    system = System.objects.select_for_update(of=("self",)).select_related("plan").get(pk=system_id)
    before = usage_of(system)
    after = Usage(used=max(0, before.used + delta), quota=before.quota)
    if within_quota and delta > 0 and after.used > after.quota:
        return False
    _settle(system, after, used=Greatest(F("storage_used") + delta, Value(0)))
    return True


def storage_add(*, system_id: int, nbytes: int) -> None:
    """Files written that count whatever the quota (thumbnails, export archives)."""
    if nbytes:
        storage_change(system_id=system_id, delta=nbytes)


def storage_release(*, system_id: int, nbytes: int) -> None:
    """Files deleted (purged from the trash, archives expired)."""
    if nbytes:
        storage_change(system_id=system_id, delta=-nbytes)


def storage_reserve(*, system_id: int, nbytes: int) -> bool:
    """Take ``nbytes`` for uploads if they fit within the quota; False if they don't."""
    return storage_change(system_id=system_id, delta=nbytes, within_quota=True)


def _settle(system: System, usage: Usage, *, used) -> None:
    """Write the new count (the row is locked) and the notice level; email a new level."""
    level = usage.level
    fields = {"storage_used": used}
    if level != system.storage_notice_level:
        fields["storage_notice_level"] = level
    System.objects.filter(pk=system.pk).update(**fields)
    if level > system.storage_notice_level:
        _warn(system, usage, level)


def _warn(system: System, usage: Usage, level: int) -> None:
    if not system.owner_email or not system.slug:
        return
    with schema_context(system.schema_name):
        mail.send_templated(
            to=[system.owner_email],
            template="storage_warning",
            essential=True,
            context={
                "system": system,
                "level": level,
                "used": filesizeformat(usage.used),
                "quota": filesizeformat(usage.quota),
                "billing_url": selectors.system_url(system=system, path="/billing/"),
                "trash_url": selectors.system_url(system=system, path="/trash/"),
            },
        )


# --- counting again ------------------------------------------------------------------------


# What holds a System's bytes, registered by the apps that write files (tickets: attachments
# and thumbnails; portability: export archives). Each counts its own, in bytes.
_SOURCES: dict[str, Callable[[System], int]] = {}


def storage_source(name: str) -> Callable[[Callable[[System], int]], Callable[[System], int]]:
    """Register a function that counts a System's bytes of one kind, for recounts."""

    def register(count: Callable[[System], int]) -> Callable[[System], int]:
        _SOURCES[name] = count
        return count

    return register


def _bytes_in_rows(system: System) -> int:
    return sum(int(count(system)) for count in _SOURCES.values())


@transaction.atomic
def storage_recount(*, system_id: int) -> tuple[int, int]:
    """Count the System's bytes again from its rows and the disk (thumbnails), under its
    row lock so no upload lands in between; returns (before, after)."""
    system = System.objects.select_for_update(of=("self",)).select_related("plan").get(pk=system_id)
    counted = _bytes_in_rows(system)
    if counted != system.storage_used:
        log.info("storage of %s: %s counted, %s kept", system, counted, system.storage_used)
    _settle(system, Usage(used=counted, quota=quota_bytes(system)), used=counted)
    return system.storage_used, counted

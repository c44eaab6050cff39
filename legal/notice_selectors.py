"""Reads for service notices: which Systems a notice touches, the banner of a System (kept
in the cache, so pages pay no query for it), what a person dismissed, the status page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db.models import Max, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.safestring import SafeString
from django_tenants.utils import schema_context

from legal.notice_models import ServiceNotice, ServiceNoticeDismissal, ServiceNoticeUpdate
from servicedesk.markdown import render_markdown
from tenants.models import System

# Whose people are mailed a notice: those of Systems in use, suspended ones too (the
# service they pay to get back is what the notice is about; the mail is essential).
# Terminated Systems have no agreement left to keep; a System whose deletion is past due
# already answers 404.
MAILED_STATUSES = (System.Status.TRIAL, System.Status.ACTIVE, System.Status.SUSPENDED)


def notice_affects(*, notice: ServiceNotice, system_id: int) -> bool:
    return notice.all_systems or notice.systems.filter(pk=system_id).exists()


def notice_systems(*, notice: ServiceNotice) -> QuerySet[System]:
    """The Systems a notice is about, whatever their status (pooled ones have nobody)."""
    systems = System.objects.exclude(status=System.Status.POOLED)
    if notice.all_systems:
        return systems
    return systems.filter(pk__in=notice.systems.values("pk"))


# --- the banner -------------------------------------------------------------------------

# The key carries the schema (the cache's KEY_FUNCTION): one entry per System.
BANNER_KEY = "legal:notices:banner"
BANNER_TTL = 60  # seconds; publishing, updating and ending clear it at once anyway
DISMISSED_KEY = "legal:notices:dismissed:{user_id}"
DISMISSED_TTL = 600


@dataclass(frozen=True)
class Banner:
    id: int
    kind: str
    kind_label: str
    title: str
    body: SafeString
    starts_at: datetime
    expected_end: datetime | None
    ended_at: datetime | None
    update_id: int  # the latest update's id, 0 without one
    update_body: SafeString | None
    update_posted_at: datetime | None

    def is_active_at(self, now: datetime) -> bool:
        return self.starts_at <= now and (self.ended_at is None or self.ended_at > now)


def _banners_load(system_id: int) -> list[Banner]:
    now = timezone.now()
    notices = (
        ServiceNotice.objects.filter(published_at__isnull=False)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now))
        .filter(Q(all_systems=True) | Q(systems__pk=system_id))
        .distinct()
        .prefetch_related(
            Prefetch("updates", queryset=ServiceNoticeUpdate.objects.order_by("-posted_at", "-id"))
        )
        .order_by("starts_at", "id")
    )
    banners = []
    for notice in notices:
        latest = next(iter(notice.updates.all()), None)
        banners.append(
            Banner(
                id=notice.pk,
                kind=notice.kind,
                kind_label=str(notice.get_kind_display()),
                title=notice.title,
                body=render_markdown(notice.body),
                starts_at=notice.starts_at,
                expected_end=notice.expected_end,
                ended_at=notice.ended_at,
                update_id=latest.pk if latest else 0,
                update_body=render_markdown(latest.body) if latest else None,
                update_posted_at=latest.posted_at if latest else None,
            )
        )
    return banners


def banners_for_system(*, system_id: int) -> list[Banner]:
    """Notices that touch the current System and have not ended (from the cache; scheduled
    ones included, so each page decides "started" against the clock)."""
    banners = cache.get(BANNER_KEY)
    if banners is None:
        banners = _banners_load(system_id)
        cache.set(BANNER_KEY, banners, BANNER_TTL)
    return banners


def banners_forget(*, schemas: list[str]) -> None:
    """Drop the cached banner of each of these Systems (their next page reads it again)."""
    for schema in schemas:
        with schema_context(schema):
            cache.delete(BANNER_KEY)


def notice_ended_here(*, pk: int, system_id: int) -> bool:
    """A published notice of this System that has ended (its banner went meanwhile)."""
    notice = ServiceNotice.objects.filter(pk=pk, published_at__isnull=False).first()
    return bool(
        notice
        and notice.ended_at is not None
        and notice.ended_at <= timezone.now()
        and notice_affects(notice=notice, system_id=system_id)
    )


def dismissed_for(*, user_id: int) -> dict[int, int]:
    """notice id → the update id as of which this person dismissed its banner."""
    key = DISMISSED_KEY.format(user_id=user_id)
    dismissed = cache.get(key)
    if dismissed is None:
        dismissed = dict(
            ServiceNoticeDismissal.objects.filter(user_id=user_id).values_list(
                "notice_id", "update_id"
            )
        )
        cache.set(key, dismissed, DISMISSED_TTL)
    return dismissed


def dismissed_forget(*, schema: str, user_id: int) -> None:
    with schema_context(schema):
        cache.delete(DISMISSED_KEY.format(user_id=user_id))


def banners_shown(*, system_id: int, user_id: int) -> list[Banner]:
    """What this person sees on every page: active notices of his System, but those he
    dismissed since their latest update."""
    now = timezone.now()
    active = [b for b in banners_for_system(system_id=system_id) if b.is_active_at(now)]
    if not active:
        return []
    dismissed = dismissed_for(user_id=user_id)
    return [
        banner
        for banner in active
        if banner.id not in dismissed or dismissed[banner.id] < banner.update_id
    ]


# --- the status page ----------------------------------------------------------------------


def _published() -> QuerySet[ServiceNotice]:
    return ServiceNotice.objects.filter(published_at__isnull=False).prefetch_related(
        Prefetch("updates", queryset=ServiceNoticeUpdate.objects.order_by("-posted_at", "-id"))
    )


def notices_current() -> list[ServiceNotice]:
    """Published notices not ended: under way first, then scheduled, soonest first."""
    now = timezone.now()
    notices = list(
        _published().filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now)).order_by("starts_at")
    )
    return sorted(notices, key=lambda n: (n.starts_at > now, n.starts_at))


def notices_past() -> QuerySet[ServiceNotice]:
    """Notices that ended, latest first (paginate it)."""
    return _published().filter(ended_at__lte=timezone.now()).order_by("-ended_at", "-id")


def notice_public_get(*, pk: int) -> ServiceNotice | None:
    return _published().filter(pk=pk).first()


def notices_for_feed(*, limit: int = 50) -> list[ServiceNotice]:
    """The notices with the latest news (published, updated or ended), for the Atom feed;
    each carries ``last_activity``."""
    return list(
        _published()
        .annotate(
            last_activity=Greatest(
                "published_at",
                Coalesce(Max("updates__posted_at"), "published_at"),
                Coalesce("ended_at", "published_at"),
            )
        )
        .order_by("-last_activity", "-id")[:limit]
    )

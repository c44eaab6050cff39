"""The reports' daily rollup (tickets.reports.models): what each local day counts, per
agent, category and tag, and each ticket's first-response and resolution time on the day
it ended. Kept by tickets.reports.tasks: every few minutes yesterday and today are
computed again, with the earlier days that tickets changed since the last run touch (a
late solve, a reassignment, the trash); everything is built again on the first run, after
an import and when the System's zone changes. Each day is computed from the tickets by
the same SQL the page uses for the days the rollup does not hold yet, so both agree.

Each recomputation deletes and writes whole days in one transaction, under an advisory
lock: safe to run twice, or again after a failure."""

from __future__ import annotations

import zlib
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

from tickets.models import Ticket
from tickets.reports import live
from tickets.reports.live import _SLA, _T, Period, _fetch, _in, _local_day, report_zone
from tickets.reports.models import ReportDay, ReportState, ReportTime

_TAGS = Ticket.tags.through._meta.db_table
_DAY = ReportDay._meta.db_table
_TIME = ReportTime._meta.db_table
# Days computed per statement while building everything again.
CHUNK_DAYS = 31
_LOCK = zlib.crc32(b"tickets.reports.rollup")


def facts_cte() -> str:
    """CTEs ``ids`` and ``facts``: one row (ticket, agent, category, local day, what) for
    each thing that happened to a live ticket in [%(s)s, %(e)s): created "c", solved "s",
    an SLA target met "rm"/"sm", breached "rb"/"sb", done after its breach "rx"/"sx"."""
    breached = " OR ".join(_in(f"{n}_breached_at") for n in ("response", "resolution"))
    return f"""
        ids AS (
            -- Whatever happened to a ticket in the range but a breach (the beat's) also
            -- moved its updated_at there: the updated index finds them.
            SELECT id FROM {_T} WHERE deleted_at IS NULL AND updated_at >= %(s)s
            UNION SELECT ticket_id FROM {_SLA} WHERE {breached}
        ), facts AS (
            SELECT t.id, t.assignee_id AS agent, t.category_id AS category,
                   {_local_day("v.at")} AS day, v.what
              FROM {_T} t LEFT JOIN {_SLA} sla ON sla.ticket_id = t.id
             CROSS JOIN LATERAL (VALUES
                 (t.created_at, 'c'), (t.solved_at, 's'),
                 (CASE WHEN sla.response_breached_at IS NULL
                       THEN sla.response_done_at END, 'rm'),
                 (sla.response_breached_at, 'rb'),
                 (CASE WHEN sla.response_breached_at IS NOT NULL
                       THEN sla.response_done_at END, 'rx'),
                 (CASE WHEN sla.resolution_breached_at IS NULL
                       THEN sla.resolution_done_at END, 'sm'),
                 (sla.resolution_breached_at, 'sb'),
                 (CASE WHEN sla.resolution_breached_at IS NOT NULL
                       THEN sla.resolution_done_at END, 'sx')
             ) v(at, what)
             WHERE t.id = ANY(ARRAY(SELECT id FROM ids)) AND t.deleted_at IS NULL
               AND {_in("v.at")}
        )"""  # noqa: S608 (our names and fragments; values as parameters)


def times_cte() -> str:
    """CTE ``times`` (after ``facts_cte``): (ticket, kind, local day, seconds, agent,
    category) for each first response ("r") and solve ("s") in [%(s)s, %(e)s)."""
    return f"""
        times AS (
            SELECT t.id AS ticket_id, 's' AS kind, {_local_day("t.solved_at")} AS day,
                   extract(epoch FROM t.solved_at - t.created_at)::float8 AS seconds,
                   t.assignee_id AS agent_id, t.category_id
              FROM {_T} t
             WHERE t.id = ANY(ARRAY(SELECT id FROM ids)) AND t.deleted_at IS NULL
               AND {_in("t.solved_at")}
            UNION ALL
            SELECT t.id, 'r', {_local_day("sla.response_done_at")},
                   extract(epoch FROM sla.response_done_at - t.created_at)::float8,
                   t.assignee_id, t.category_id
              FROM {_T} t JOIN {_SLA} sla ON sla.ticket_id = t.id
             WHERE t.id = ANY(ARRAY(SELECT id FROM ids)) AND t.deleted_at IS NULL
               AND {_in("sla.response_done_at")}
        )"""  # noqa: S608 (see facts_cte)


# A count per "what" of facts, in ReportDay's column order.
COUNTS = ", ".join(
    f"count(*) FILTER (WHERE what = '{w}')" for w in ("c", "s", "rm", "rb", "sm", "sb")
)


def _counts_sql() -> str:
    """Each day's counts in [%(s)s, %(e)s), for every slice."""
    return f"""
        WITH {facts_cte()}
        SELECT day, dim, key, {COUNTS} FROM (
            SELECT day, 'all' AS dim, NULL::bigint AS key, what FROM facts
            UNION ALL SELECT day, 'agent', agent, what FROM facts
            UNION ALL SELECT day, 'category', category, what FROM facts
            UNION ALL SELECT f.day, 'tag', tt.tag_id, f.what
              FROM facts f LEFT JOIN {_TAGS} tt ON tt.ticket_id = f.id
        ) x GROUP BY day, dim, key
    """  # noqa: S608 (our names and fragments; values as parameters)


def _times_sql() -> str:
    return f"WITH {facts_cte()}, {times_cte()} SELECT * FROM times"  # noqa: S608


def _recompute(period: Period) -> int:
    """Write the days of ``period`` again (the caller holds the lock, in a transaction)."""
    params = {"s": period.start, "e": period.end, "tz": str(period.zone)}
    counts = _fetch(_counts_sql(), params)
    times = _fetch(_times_sql(), params)
    backlog = {date.fromisoformat(str(row[0])): row[1:] for row in live.backlog(period).rows}
    rows: dict[tuple[date, str, int | None], ReportDay] = {
        (day, "all", None): ReportDay(day=day, dimension="all") for day in period.days
    }
    for day, dim, key, *numbers in counts:
        row = rows.setdefault((day, dim, key), ReportDay(day=day, dimension=dim, key=key))
        (
            row.created,
            row.solved,
            row.response_met,
            row.response_breached,
            row.resolution_met,
            row.resolution_breached,
        ) = (int(n) for n in numbers)
    for day, (new, open_, pending) in backlog.items():
        row = rows[(day, "all", None)]
        row.backlog_new, row.backlog_open, row.backlog_pending = int(new), int(open_), int(pending)  # type: ignore[call-overload]
    ReportDay.objects.filter(day__gte=period.first, day__lte=period.last).delete()
    ReportTime.objects.filter(day__gte=period.first, day__lte=period.last).delete()
    ReportDay.objects.bulk_create(rows.values(), batch_size=2000)
    ReportTime.objects.bulk_create(
        [
            ReportTime(
                ticket_id=ticket_id,
                kind=kind,
                day=day,
                seconds=seconds,
                agent_id=agent_id,
                category_id=category_id,
            )
            for ticket_id, kind, day, seconds, agent_id, category_id in times
        ],
        batch_size=2000,
    )
    return len(period.days)


def _runs(days: set[date]) -> list[tuple[date, date]]:
    """``days`` as runs of consecutive days, at most CHUNK_DAYS long."""
    runs: list[tuple[date, date]] = []
    for day in sorted(days):
        if (
            runs
            and day == runs[-1][1] + timedelta(days=1)
            and (day - runs[-1][0]).days < CHUNK_DAYS
        ):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _late_days(*, since: datetime, before: date, zone: ZoneInfo) -> set[date]:
    """Days before ``before`` that tickets changed (or trashed) since ``since`` counted on,
    then or now: their creation, solve and SLA days, and the days the rollup holds a time
    of theirs on (a solve undone by reopening)."""
    rows = _fetch(
        f"""
        WITH changed AS (
            SELECT id FROM {_T} WHERE deleted_at IS NULL AND updated_at >= %(w)s
            UNION SELECT id FROM {_T} WHERE deleted_at IS NOT NULL AND deleted_at >= %(w)s
        )
        SELECT DISTINCT day FROM (
            SELECT {_local_day("v.at")} AS day
              FROM {_T} t LEFT JOIN {_SLA} sla ON sla.ticket_id = t.id
             CROSS JOIN LATERAL (VALUES (t.created_at), (t.solved_at),
                 (sla.response_done_at), (sla.response_breached_at),
                 (sla.resolution_done_at), (sla.resolution_breached_at)) v(at)
             WHERE t.id IN (SELECT id FROM changed) AND v.at IS NOT NULL
            UNION SELECT day FROM {_TIME} WHERE ticket_id IN (SELECT id FROM changed)
        ) d WHERE day < %(before)s
        """,  # noqa: S608 (see _fetch)
        {"w": since, "before": before, "tz": str(zone)},
    )
    return {row[0] for row in rows}


def _first_day(zone: ZoneInfo, today: date) -> date:
    rows = _fetch(f"SELECT min({_local_day('created_at')}) FROM {_T}", {"tz": str(zone)})  # noqa: S608
    first = rows[0][0] if rows else None
    return min(first, today) if first else today


def report_rollup_refresh(*, rebuild: bool = False) -> int:
    """Bring the rollup up to date in the current System's schema; how many days were
    written (0 when another run holds the lock: it does the same work)."""
    zone = report_zone()
    started = timezone.now()
    today = started.astimezone(zone).date()
    yesterday = today - timedelta(days=1)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_LOCK])
            if not cursor.fetchone()[0]:
                return 0
        state = ReportState.objects.order_by("pk").first()
        if rebuild or state is None or state.zone != str(zone):
            first = _first_day(zone, today)
            ReportDay.objects.all().delete()
            ReportTime.objects.all().delete()
            days = {first + timedelta(days=i) for i in range((today - first).days + 1)}
            state = state or ReportState()
            state.zone, state.first_day = str(zone), first
        else:
            # Yesterday and today; every day since the last run if the beat stopped a while;
            # and earlier days that late changes touched.
            since = min(state.through, yesterday)
            days = {since + timedelta(days=i) for i in range((today - since).days + 1)}
            # A minute's margin: a change committed just after the last run started.
            days |= _late_days(
                since=state.checked_at - timedelta(minutes=1), before=since, zone=zone
            )
            days = {d for d in days if d >= state.first_day} | {today}
        written = sum(
            _recompute(Period(first=first, last=last, zone=zone)) for first, last in _runs(days)
        )
        state.through, state.checked_at = today, started
        state.save()
    return written

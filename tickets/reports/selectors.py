"""Reads for the reports page: from the daily rollup (tickets.reports.rollup) for the days
it holds, and from the tickets themselves, by the same SQL that fills the rollup, for the
days since its last refresh (today, normally) so the page is current. Each figure is one
query whatever the range: sums over a few rows a day, and exact medians and 90th
percentiles (percentile_cont) over the stored times. Until the rollup is first built (or
again, after a change of zone) the page computes everything from the tickets
(tickets.reports.live), with the same number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import User
from accounts.permissions import Perm, require
from tickets.models import Category, Tag, Ticket
from tickets.reports import live
from tickets.reports.live import (
    _T,
    BACKLOG,
    BREAKDOWNS,
    DEFAULT_DAYS,
    MAX_DAYS,
    Period,
    Summary,
    _fetch,
    report_zone,
)
from tickets.reports.models import ReportDay, ReportState, ReportTime
from tickets.reports.rollup import COUNTS, facts_cte, times_cte
from tickets.reports.sections import Table, extra_tables

__all__ = ["BREAKDOWNS", "DEFAULT_DAYS", "MAX_DAYS", "Report", "report", "report_zone"]

_DAY = ReportDay._meta.db_table
_TIME = ReportTime._meta.db_table
_TAGS = Ticket.tags.through._meta.db_table


@dataclass(frozen=True)
class Split:
    """A range cut where the rollup ends: its days up to ``stored_last`` come from the
    rollup, the rest (from ``live.first``) from the tickets."""

    period: Period
    stored_last: date  # before period.first: nothing from the rollup
    live: Period | None
    live_from_today: bool  # the live days are today (and later): no past day to walk back to

    def params(self) -> dict[str, object]:
        params: dict[str, object] = {
            "f": self.period.first,
            "l": self.stored_last,
            "tz": str(self.period.zone),
        }
        if self.live is not None:
            params.update(s=self.live.start, e=self.live.end)
        return params


def _split(period: Period, *, today: date) -> Split | None:
    """Where the rollup ends for ``period``; None when it is not built for this zone."""
    state = ReportState.objects.order_by("pk").first()
    if state is None or state.zone != str(period.zone):
        return None
    # The last refresh's day (today, normally) was partial then: it is read live.
    live_from = max(period.first, min(state.through, today))
    stored_last = min(period.last, live_from - timedelta(days=1))
    live_part = None
    if live_from <= period.last:
        live_part = Period(first=live_from, last=period.last, zone=period.zone)
    return Split(
        period=period, stored_last=stored_last, live=live_part, live_from_today=live_from >= today
    )


def _with(split: Split, *ctes: str) -> str:
    return f"WITH {', '.join(ctes)}" if split.live is not None else ""


def created_solved(split: Split) -> Table:
    """Tickets created and solved on each day (one query)."""
    live_part = ""
    if split.live is not None:
        live_part = """UNION ALL SELECT day, count(*) FILTER (WHERE what = 'c'),
                            count(*) FILTER (WHERE what = 's') FROM facts GROUP BY day"""
    rows = _fetch(
        f"""{_with(split, facts_cte())}
        SELECT day, sum(c), sum(s) FROM (
            SELECT day, created AS c, solved AS s FROM {_DAY}
             WHERE dimension = 'all' AND day >= %(f)s AND day <= %(l)s
            {live_part}
        ) d GROUP BY day
        """,  # noqa: S608 (our names and fragments; values as parameters)
        split.params(),
    )
    return live.created_table(split.period, {day: (int(c), int(s)) for day, c, s in rows})


def backlog(split: Split) -> Table:
    """Unsolved tickets per status at each day's end (one query): stored for the rollup's
    days; for the others, today's counts less the changes since (tickets.reports.live)."""
    live_part = ""
    params = split.params()
    if split.live is not None and split.live_from_today:
        # Today's end (and later days') is today's counts: no changes to walk back.
        live_part = (
            f"UNION ALL SELECT 'l', NULL::date, status, count(*) FROM {_T}"  # noqa: S608
            " WHERE deleted_at IS NULL GROUP BY status"
        )
    elif split.live is not None:
        live_part = f"UNION ALL SELECT 'l', * FROM ({live.backlog_sql()}) b"  # noqa: S608
    rows = _fetch(
        f"""
        SELECT 'r', day, s.status, s.n FROM {_DAY} CROSS JOIN LATERAL (VALUES
            ('new', backlog_new), ('open', backlog_open), ('pending', backlog_pending)
        ) s(status, n) WHERE dimension = 'all' AND day >= %(f)s AND day <= %(l)s
        {live_part}
        """,  # noqa: S608 (see created_solved)
        params,
    )
    stored = {(day, status): int(n) for src, day, status, n in rows if src == "r"}
    table = [[day, *(stored.get((day, s), 0) for s in BACKLOG)] for day in _stored_days(split)]
    if split.live is not None:
        now = {status: int(n) for src, day, status, n in rows if src == "l" and day is None}
        changes = {
            (day, status): int(n) for src, day, status, n in rows if src == "l" and day is not None
        }
        table += live.backlog_walk(split.live, now, changes)
    return live.backlog_table(
        split.period, [[date.fromisoformat(str(row[0])).isoformat(), *row[1:]] for row in table]
    )


def _stored_days(split: Split) -> list[date]:
    first, last = split.period.first, split.stored_last
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# How each slice is keyed and named: (key of a time row, join for tags, name, join for it).
_SLICES = {
    "all": ("NULL::bigint", "", "NULL::text", ""),
    "agent": (
        "agent_id",
        "",
        "coalesce(nullif(u.full_name, ''), u.email)",
        f"LEFT JOIN {User._meta.db_table} u ON u.id = m.key",
    ),
    "category": (
        "category_id",
        "",
        "c.name",
        f"LEFT JOIN {Category._meta.db_table} c ON c.id = m.key",
    ),
    "tag": (
        "tt.tag_id",
        f"LEFT JOIN {_TAGS} tt ON tt.ticket_id = x.ticket_id",
        "g.name",
        f"LEFT JOIN {Tag._meta.db_table} g ON g.id = m.key",
    ),
}
_LIVE_COUNT_KEY = {
    "all": "NULL::bigint",
    "agent": "agent",
    "category": "category",
    "tag": "tt.tag_id",
}


def _metrics(split: Split, *, dimension: str | None) -> tuple[list[tuple], list[tuple]]:
    """The totals and, with ``dimension``, its slices, in one query: per slice key, name,
    created, solved, first response median and p90, resolution median and p90 (seconds),
    how many of each, then met and breached per target. Each kind of time is sorted once
    per slice for both of its percentiles."""
    groups = ["all", *([dimension] if dimension else [])]
    timed, stored_counts, live_counts = [], [], []
    # The range's times, read once (stored days, then the live ones); each slice aggregates
    # them on its own: 0 for the totals, 1 for the dimension (one sort by (slice, key) of
    # both would cost twice as much).
    ranged = f"""SELECT ticket_id, agent_id, category_id, kind, seconds FROM {_TIME}
                  WHERE day >= %(f)s AND day <= %(l)s"""  # noqa: S608
    if split.live is not None:
        ranged += " UNION ALL SELECT ticket_id, agent_id, category_id, kind, seconds FROM times"
    for number, group in enumerate(groups):
        slice_key, tag_join, _name, _join = _SLICES[group]
        # The totals have one key (NULL): no sort by it, and no row when there are no times.
        key, grouping = ("key", "GROUP BY key")
        if group == "all":
            key, grouping = "NULL::bigint", "HAVING count(*) > 0"
        timed.append(
            f"""SELECT {number}, {key},
                   percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY seconds)
                       FILTER (WHERE kind = 'r'),
                   percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY seconds)
                       FILTER (WHERE kind = 's'),
                   count(*) FILTER (WHERE kind = 'r'), count(*) FILTER (WHERE kind = 's')
              FROM (SELECT {slice_key}, x.kind, x.seconds FROM ranged x {tag_join})
                   t(key, kind, seconds) {grouping}"""  # noqa: S608
        )
        live_tags = f"LEFT JOIN {_TAGS} tt ON tt.ticket_id = x.id" if group == "tag" else ""
        live_counts.append(
            f"""SELECT {number}, {_LIVE_COUNT_KEY[group]}, {COUNTS}
                  FROM facts x {live_tags} GROUP BY 2"""  # noqa: S608
        )
        stored_counts.append(f"'{group}'")
    if split.live is None:
        live_counts = []
    union = "\n UNION ALL ".join
    sums = ", ".join(
        f"sum({c})"
        for c in (
            "created",
            "solved",
            "response_met",
            "response_breached",
            "resolution_met",
            "resolution_breached",
        )
    )
    _key, _tags, name, name_join = _SLICES[dimension or "all"]
    rows = _fetch(
        f"""{_with(split, facts_cte(), times_cte())}{"," if split.live else "WITH"}
        ranged AS MATERIALIZED ({ranged}),
        counted AS (
            SELECT grp, key, {sums} FROM (
                SELECT (dimension <> 'all')::int, key, created, solved, response_met,
                       response_breached, resolution_met, resolution_breached
                  FROM {_DAY} WHERE dimension IN ({", ".join(stored_counts)})
                   AND day >= %(f)s AND day <= %(l)s
                {"UNION ALL" if live_counts else ""} {union(live_counts)}
            ) d(grp, key) GROUP BY grp, key
        ), timed AS (
            {union(timed)}
        ), m AS (
            SELECT coalesce(c.grp, t.grp) AS grp, coalesce(c.key, t.key) AS key,
                   cr, so, rm, rb, sm, sb, r, s, rn, sn
              FROM counted c(grp, key, cr, so, rm, rb, sm, sb)
              FULL JOIN timed t(grp, key, r, s, rn, sn)
                ON c.grp = t.grp AND coalesce(c.key, -1) = coalesce(t.key, -1)
        )
        SELECT m.grp, m.key, CASE WHEN m.grp = 0 THEN NULL ELSE {name} END,
               coalesce(m.cr, 0), coalesce(m.so, 0), m.r[1], m.r[2], m.s[1], m.s[2],
               coalesce(m.rn, 0), coalesce(m.sn, 0), coalesce(m.rm, 0),
               coalesce(m.rb, 0), coalesce(m.sm, 0), coalesce(m.sb, 0)
          FROM m {name_join} ORDER BY m.grp, 3 NULLS LAST, 2
        """,  # noqa: S608 (see created_solved)
        split.params(),
        sort_memory=live.SORT_MEMORY,
    )
    return [row[1:] for row in rows if row[0] == 0], [row[1:] for row in rows if row[0] == 1]


def summary(split: Split) -> Summary:
    return live.summary_from(_metrics(split, dimension=None)[0])


def _breakdown_table(rows: list[tuple], *, by: str) -> Table:
    return live.breakdown_table(
        [(*row[:10], row[10] + row[12], row[11] + row[13]) for row in rows], by=by
    )


def breakdown(split: Split, *, by: str) -> Table:
    return _breakdown_table(_metrics(split, dimension=by)[1], by=by)


@dataclass(frozen=True)
class Report:
    period: Period
    summary: Summary
    created: Table
    backlog: Table
    times: Table
    sla: Table
    breakdown: Table
    extra: list[Table]


def _period(first: date, last: date, zone: ZoneInfo | None) -> tuple[Period, Split | None]:
    zone = zone or report_zone()
    period = Period(first=first, last=last, zone=zone)
    return period, _split(period, today=timezone.now().astimezone(zone).date())


def report(*, user: User, first: date, last: date, by: str, zone: ZoneInfo | None = None) -> Report:
    """Everything the page shows: the zone (unless given), where the rollup ends, created
    and solved, backlog, totals and the breakdown (six queries), plus one per registered
    section, whatever the range."""
    require(user, Perm.VIEW_REPORTS)
    period, split = _period(first, last, zone)
    if split:
        total_rows, by_rows = _metrics(split, dimension=by)
        totals, by_table = live.summary_from(total_rows), _breakdown_table(by_rows, by=by)
    else:
        totals, by_table = live.summary(period), live.breakdown(period, by=by)
    times, sla = live.summary_tables(totals)
    return Report(
        period=period,
        summary=totals,
        created=created_solved(split) if split else live.created_solved(period),
        backlog=backlog(split) if split else live.backlog(period),
        times=times,
        sla=sla,
        breakdown=by_table,
        extra=extra_tables(start=period.start, end=period.end),
    )


def report_table(
    *, user: User, first: date, last: date, by: str, key: str, zone: ZoneInfo | None = None
) -> Table | None:
    """One table of the page (for its CSV), computed alone; None for an unknown key."""
    require(user, Perm.VIEW_REPORTS)
    period, split = _period(first, last, zone)
    if key == "created":
        return created_solved(split) if split else live.created_solved(period)
    if key == "backlog":
        return backlog(split) if split else live.backlog(period)
    if key in ("times", "sla"):
        times, sla = live.summary_tables(summary(split) if split else live.summary(period))
        return times if key == "times" else sla
    if key == f"by-{by}":
        return breakdown(split, by=by) if split else live.breakdown(period, by=by)
    extra = {t.key: t for t in extra_tables(start=period.start, end=period.end)}
    return extra.get(key)

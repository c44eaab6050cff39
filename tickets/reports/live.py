"""The reports' figures computed from the tickets themselves (the live tables). Each figure
is one SQL aggregate over the range (GROUP BY the local day, percentile_cont). The page
reads the daily rollup (tickets.reports.selectors) and uses these for what the rollup does
not hold yet; tests compare the two. Days are the System's (its business hours' time
zone): a ticket created at 23:30 in Hanoi counts on that Hanoi day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from tenants.selectors import system_time_zone
from tickets.models import Category, Status, Tag, Ticket, TicketEvent
from tickets.reports.sections import Table
from tickets.sla.models import TicketSLA

DEFAULT_DAYS = 30
MAX_DAYS = 731
# The unsolved statuses: the backlog.
BACKLOG = (Status.NEW, Status.OPEN, Status.PENDING)
# How a breakdown groups tickets: (label, key expression, join, name table).
BREAKDOWNS = {
    "agent": gettext_lazy("Agent"),
    "category": gettext_lazy("Category"),
    "tag": gettext_lazy("Tag"),
}
# A breakdown table's title.
_BY = {
    "agent": gettext_lazy("By agent"),
    "category": gettext_lazy("By category"),
    "tag": gettext_lazy("By tag"),
}


@dataclass(frozen=True)
class Period:
    first: date  # local days, both included
    last: date
    zone: ZoneInfo

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(), self.zone)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(), self.zone)

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]


def report_zone() -> ZoneInfo:
    """The System's zone: its days are the report's days."""
    return ZoneInfo(system_time_zone())


# Memory for the sorts of a year's times (percentiles), for that one statement: with
# PostgreSQL's default (4 MB) they spill to disk.
SORT_MEMORY = "32MB"


def _fetch(sql: str, params: dict[str, object], *, sort_memory: str = "") -> list[tuple]:
    # The SQL strings here are built from table names and fixed fragments of this module
    # only; every value (dates, zone) goes as a parameter.
    if not sort_memory:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('work_mem', %s, true)", [sort_memory])
        cursor.execute(sql, params)
        return cursor.fetchall()


_T = Ticket._meta.db_table
_SLA = TicketSLA._meta.db_table
_EVENT = TicketEvent._meta.db_table


def _params(period: Period) -> dict[str, object]:
    return {"s": period.start, "e": period.end, "tz": str(period.zone)}


def _in(column: str) -> str:
    return f"({column} >= %(s)s AND {column} < %(e)s)"


def _local_day(column: str) -> str:
    return f"({column} AT TIME ZONE %(tz)s)::date"


def created_solved(period: Period) -> Table:
    """Tickets created and tickets solved on each day (one query)."""
    rows = _fetch(
        f"""
        SELECT day, sum(created), sum(solved) FROM (
            SELECT {_local_day("created_at")} AS day, 1 AS created, 0 AS solved
              FROM {_T} WHERE deleted_at IS NULL AND {_in("created_at")}
            UNION ALL
            SELECT {_local_day("solved_at")}, 0, 1
              FROM {_T} WHERE deleted_at IS NULL AND {_in("solved_at")}
               AND updated_at >= %(s)s  -- solving moved it: the updated index
        ) d GROUP BY day
        """,  # noqa: S608 (see _fetch)
        _params(period),
    )
    return created_table(period, {day: (int(c), int(s)) for day, c, s in rows})


def created_table(period: Period, by_day: dict[date, tuple[int, int]]) -> Table:
    return Table(
        key="created",
        title=_("Tickets created and solved per day"),
        headers=[_("Day"), _("Created"), _("Solved")],
        rows=[[day.isoformat(), *by_day.get(day, (0, 0))] for day in period.days],
    )


def backlog_sql() -> str:
    """Rows (NULL, status, count) of today's unsolved tickets, and (local day, status,
    change) of the changes from %(s)s on. Statuses are codes (the history's, since
    migration 0021; lower() for rows an older version wrote by hand)."""
    return f"""
        SELECT NULL::date, status, count(*) FROM {_T} WHERE deleted_at IS NULL GROUP BY status
        UNION ALL
        SELECT day, status, sum(delta) FROM (
            -- Each change, read once: one in for the new status, one out of the old.
            SELECT {_local_day("e.created_at")} AS day, v.status, v.delta
              FROM {_EVENT} e JOIN {_T} t ON t.id = e.ticket_id
             CROSS JOIN LATERAL (
                 VALUES (lower(e.new_value), 1), (lower(e.old_value), -1)
             ) v(status, delta)
             WHERE e.field = 'status' AND e.created_at >= %(s)s AND t.deleted_at IS NULL
            UNION ALL
            -- A ticket created since: it started in the status its first change left.
            SELECT {_local_day("t.created_at")}, coalesce(lower(f.old_value), t.status), 1
              FROM {_T} t LEFT JOIN (
                  SELECT DISTINCT ON (ticket_id) ticket_id, old_value FROM {_EVENT}
                   WHERE field = 'status' AND created_at >= %(s)s
                   ORDER BY ticket_id, created_at, id
              ) f ON f.ticket_id = t.id
             WHERE t.deleted_at IS NULL AND t.created_at >= %(s)s
        ) d GROUP BY day, status
        """  # noqa: S608 (see _fetch)


def backlog(period: Period) -> Table:
    """Unsolved tickets in each status at the end of each day (one query): today's counts,
    less the status changes (and creations) that came after that day."""
    rows = _fetch(backlog_sql(), _params(period))
    now = {status: int(n) for day, status, n in rows if day is None}
    changes: dict[tuple[date, str], int] = {
        (day, status): int(n) for day, status, n in rows if day is not None
    }
    return backlog_table(period, backlog_walk(period, now, changes))


def backlog_walk(
    period: Period, now: dict[str, int], changes: dict[tuple[date, str], int]
) -> list[list[object]]:
    """Each day's unsolved tickets per status, from today's counts and the changes since."""
    # Walk back from today: at the end of a day, the changes of the days after are undone.
    later = {
        status: sum(n for (d, s), n in changes.items() if s == status and d > period.last)
        for status in BACKLOG
    }
    table = []
    for day in reversed(period.days):
        table.append([day.isoformat(), *(max(now.get(s, 0) - later[s], 0) for s in BACKLOG)])
        for status in BACKLOG:
            later[status] += changes.get((day, status), 0)
    table.reverse()
    return table


def backlog_table(period: Period, table: list[list[object]]) -> Table:
    return Table(
        key="backlog",
        title=_("Unsolved tickets at the end of each day"),
        headers=[_("Day"), *(str(s.label) for s in BACKLOG)],
        rows=table,
    )


_TARGETS = ("response", "resolution")


def _outcomes(*, per_target: bool) -> str:
    """SLA targets met in time and breached in the range: per target, or summed."""
    met = [
        f"count(*) FILTER (WHERE {_in(f'{n}_done_at')} AND {n}_breached_at IS NULL)"
        for n in _TARGETS
    ]
    breached = [f"count(*) FILTER (WHERE {_in(f'{n}_breached_at')})" for n in _TARGETS]
    if per_target:
        return ", ".join(f"{m}, {b}" for m, b in zip(met, breached, strict=True))
    return f"{' + '.join(met)}, {' + '.join(breached)}"


def _metrics_sql(*, key: str, name: str, join: str, per_target: bool) -> str:
    """Counts, times (seconds) and SLA outcomes of the tickets touched in the range,
    grouped by ``key``. First response: tickets first answered in the range; resolution:
    tickets solved in it; SLA: targets met (in time) or breached in it."""
    # Whatever happened to a ticket in the range but a breach (the beat's) also moved its
    # updated_at there: the updated index finds them, without reading every ticket.
    breached = " OR ".join(_in(f"{n}_breached_at") for n in _TARGETS)
    touched = " OR ".join(
        _in(c)
        for c in (
            "t.created_at",
            "t.solved_at",
            *(f"sla.{n}_{w}_at" for n in _TARGETS for w in ("done", "breached")),
        )
    )
    return f"""
        WITH ids AS (
            SELECT id FROM {_T} WHERE deleted_at IS NULL AND updated_at >= %(s)s
            UNION SELECT ticket_id FROM {_SLA} WHERE {breached}
        ), base AS (
            SELECT {key} AS key, {name} AS name, t.created_at, t.solved_at,
                   sla.response_done_at, sla.response_breached_at,
                   sla.resolution_done_at, sla.resolution_breached_at
              FROM {_T} t LEFT JOIN {_SLA} sla ON sla.ticket_id = t.id {join}
             WHERE t.id = ANY(ARRAY(SELECT id FROM ids)) AND t.deleted_at IS NULL
               AND ({touched})
        ), timed AS (
            SELECT *, CASE WHEN {_in("response_done_at")}
                      THEN extract(epoch FROM response_done_at - created_at) END AS frt,
                   CASE WHEN {_in("solved_at")}
                      THEN extract(epoch FROM solved_at - created_at) END AS res
              FROM base
        )
        SELECT key, name,
               count(*) FILTER (WHERE {_in("created_at")}),
               count(*) FILTER (WHERE {_in("solved_at")}),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY frt),
               percentile_cont(0.9) WITHIN GROUP (ORDER BY frt),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY res),
               percentile_cont(0.9) WITHIN GROUP (ORDER BY res),
               count(frt), count(res), {_outcomes(per_target=per_target)}
          FROM timed GROUP BY key, name ORDER BY name NULLS LAST, key
    """  # noqa: S608 (see _fetch)


METRIC_HEADERS = [
    gettext_lazy("Created"),
    gettext_lazy("Solved"),
    gettext_lazy("First response, median (h)"),
    gettext_lazy("First response, p90 (h)"),
    gettext_lazy("Resolution, median (h)"),
    gettext_lazy("Resolution, p90 (h)"),
    gettext_lazy("SLA targets met"),
    gettext_lazy("SLA targets breached"),
]


def hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 3600, 1)


@dataclass(frozen=True)
class Summary:
    created: int
    solved: int
    response_median: float | None  # hours
    response_p90: float | None
    resolution_median: float | None
    resolution_p90: float | None
    responses: int  # how many tickets the times are of
    resolutions: int
    sla: list[tuple[str, int, int]]  # (target, met, breached)


def summary(period: Period) -> Summary:
    """The range's totals (one query)."""
    rows = _fetch(
        _metrics_sql(key="NULL::bigint", name="NULL::text", join="", per_target=True),
        _params(period),
    )
    return summary_from(rows)


def summary_from(rows: list[tuple]) -> Summary:
    """The totals from their row (key, name, created, solved, four times, their counts,
    met and breached per target)."""
    if not rows:
        return Summary(
            0,
            0,
            None,
            None,
            None,
            None,
            0,
            0,
            [(_("First response"), 0, 0), (_("Resolution"), 0, 0)],
        )
    row = rows[0]
    return Summary(
        created=row[2],
        solved=row[3],
        response_median=hours(row[4]),
        response_p90=hours(row[5]),
        resolution_median=hours(row[6]),
        resolution_p90=hours(row[7]),
        responses=row[8],
        resolutions=row[9],
        sla=[(_("First response"), row[10], row[11]), (_("Resolution"), row[12], row[13])],
    )


def _breakdown_sql(by: str) -> str:
    if by == "agent":
        user = User._meta.db_table
        return _metrics_sql(
            key="t.assignee_id",
            name="coalesce(nullif(u.full_name, ''), u.email)",
            join=f"LEFT JOIN {user} u ON u.id = t.assignee_id",
            per_target=False,
        )
    if by == "category":
        return _metrics_sql(
            key="t.category_id",
            name="c.name",
            join=f"LEFT JOIN {Category._meta.db_table} c ON c.id = t.category_id",
            per_target=False,
        )
    through = Ticket.tags.through._meta.db_table
    return _metrics_sql(
        key="tt.tag_id",
        name="g.name",
        join=f"LEFT JOIN {through} tt ON tt.ticket_id = t.id "
        f"LEFT JOIN {Tag._meta.db_table} g ON g.id = tt.tag_id",
        per_target=False,
    )


_NOBODY = {
    "agent": gettext_lazy("Unassigned"),
    "category": gettext_lazy("No category"),
    "tag": gettext_lazy("No tag"),
}


def breakdown(period: Period, *, by: str) -> Table:
    """The same figures per agent, category or tag (one query); a ticket with two tags
    counts under each."""
    return breakdown_table(_fetch(_breakdown_sql(by), _params(period)), by=by)


def breakdown_table(rows: list[tuple], *, by: str) -> Table:
    """Rows (key, name, created, solved, four times, their counts, met, breached)."""
    return Table(
        key=f"by-{by}",
        title=str(_BY[by]),
        headers=[str(h) for h in (BREAKDOWNS[by], *METRIC_HEADERS)],
        rows=[
            [name or str(_NOBODY[by]), c, s, *(hours(v) for v in row[4:8]), met, breached]
            for row in rows
            for _key, name, c, s, *_rest, met, breached in [row]
        ],
    )


def summary_tables(summary: Summary) -> list[Table]:
    return [
        Table(
            key="times",
            title=_("First response and resolution times"),
            headers=[_("Measure"), _("Median (hours)"), _("90th percentile (hours)"), _("Tickets")],
            rows=[
                [
                    _("First response"),
                    summary.response_median,
                    summary.response_p90,
                    summary.responses,
                ],
                [
                    _("Resolution"),
                    summary.resolution_median,
                    summary.resolution_p90,
                    summary.resolutions,
                ],
            ],
        ),
        Table(
            key="sla",
            title=_("SLA targets met and breached"),
            headers=[_("Target"), _("Met"), _("Breached")],
            rows=[list(t) for t in summary.sla],
        ),
    ]

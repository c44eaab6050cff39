"""The reports page at 100k tickets: p50/p95 server time for 30 days and a year, each
breakdown, and a CSV download, read from the daily rollup; and the same pages computed
from the tickets alone (no rollup yet: what the page did before), with the ratios year /
30 days and live / rollup. Also the time to build the rollup for the whole history (the
first run) and one routine refresh (yesterday and today).

Seeds a throw-away System with ``manage.py seed_demo`` (its tickets spread over two years,
most of them in the last one), signs in as an agent and requests the page through the
Django test client (full middleware stack). Target: p95 <= 200 ms for a year.

    uv run python benchmarks/reports.py [--tickets 100000] [--replies 1] [--repeat 20]
        [--reuse]    keep the database seeded by the previous run (same sizes)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import timedelta

from _common import ms, p50, p95, setup_django, timed
from ticket_pages import _accept_terms, _exists, _queries

SLUG = "bench-reports"
TARGET_MS = 200


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--replies", type=float, default=1)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--reuse", action="store_true", help="Keep the last run's data.")
    args = parser.parse_args()
    from _common import bench_database_url

    setup_django("reports", fresh=not (args.reuse and _exists(bench_database_url("reports"))))

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from accounts.models import Role, User
    from tenants.models import System
    from tests.support.tenancy import in_schema
    from tickets.models import Ticket

    started = time.perf_counter()
    call_command("migrate_schemas", shared=not args.reuse, interactive=False, verbosity=0)
    system = System.objects.filter(slug=SLUG).first() or _seed(args)
    with connection.cursor() as cursor:
        for table in ("tickets_ticket", "tickets_ticketevent", "tickets_ticketsla"):
            cursor.execute(f'VACUUM ANALYZE "{system.schema_name}".{table}')
    print(f"seeded and vacuumed in {time.perf_counter() - started:.1f} s")

    from tickets.reports.rollup import report_rollup_refresh

    with in_schema(system):
        started = time.perf_counter()
        days = report_rollup_refresh(rebuild=not args.reuse)
        print(f"rollup built: {days} days in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        days = report_rollup_refresh()
        print(f"rollup refreshed: {days} days in {time.perf_counter() - started:.2f} s")
    with connection.cursor() as cursor:
        for table in ("tickets_reportday", "tickets_reporttime"):
            cursor.execute(f'VACUUM ANALYZE "{system.schema_name}".{table}')

    with in_schema(system):
        agent = User.objects.filter(role=Role.AGENT).order_by("id").first()
        assert agent is not None
        _accept_terms([agent])
        client = Client(HTTP_HOST=f"{SLUG}.localhost")
        client.force_login(agent)
        tickets = Ticket.objects.count()
    today = timezone.now().date()
    month = f"start={today - timedelta(days=29)}&end={today}"
    year = f"start={today - timedelta(days=364)}&end={today}"
    cases = [
        ("30 days, by agent", f"/reports/?{month}&by=agent"),
        ("year, by agent", f"/reports/?{year}&by=agent"),
        ("year, by category", f"/reports/?{year}&by=category"),
        ("year, by tag", f"/reports/?{year}&by=tag"),
        ("year, backlog CSV", f"/reports/backlog.csv?{year}&by=agent"),
    ]
    from tickets.reports.models import ReportState

    results: dict[tuple[str, str], float] = {}
    print(f"\n{tickets:,} tickets ({args.repeat} requests each, as {agent.email})")
    header = f"{'page':<32}{'queries':>8}{'sql':>11}{'p50':>11}{'p95':>11}  target"
    print(header)
    print("-" * len(header))
    for source in ("rollup", "live"):
        with in_schema(system):
            state = ReportState.objects.get()
        if source == "live":
            # As before the rollup: the page computes everything from the tickets.
            with in_schema(system):
                ReportState.objects.filter(pk=state.pk).update(zone="none")
        for label, url in cases:

            def get(url=url):
                return client.get(url)

            assert get().status_code == 200, label
            queries, sql = _queries(get, connection)
            samples = timed(get, repeat=args.repeat)
            results[(source, label)] = p95(samples)
            verdict = "ok" if p95(samples) * 1000 <= TARGET_MS else "MISSED"
            print(
                f"{f'{label} ({source})':<32}{queries:>8}{ms(sql):>11}{ms(p50(samples)):>11}"
                f"{ms(p95(samples)):>11}  {verdict} (p95 <= {TARGET_MS} ms)"
            )
        if source == "live":
            with in_schema(system):
                ReportState.objects.filter(pk=state.pk).update(zone=state.zone)
    print("\nratios of p95")
    for source in ("rollup", "live"):
        year = results[(source, "year, by agent")] / results[(source, "30 days, by agent")]
        print(f"  year / 30 days ({source}): {year:.2f}")
    for label, _url in cases:
        ratio = results[("live", label)] / results[("rollup", label)]
        print(f"  live / rollup, {label}: {ratio:.1f}")
    print(f"load average {' / '.join(f'{n:.1f}' for n in os.getloadavg())}")


def _seed(args: argparse.Namespace):
    from django.core.management import call_command

    from accounts.models import Role
    from accounts.services.seats import user_register
    from tenants.management.demo_tickets import DEMO_TARGETS
    from tenants.onboarding import services as onboarding
    from tests.support.tenancy import in_schema
    from tickets.sla.services.setup import policies_set

    customer = onboarding.customer_create(name="Bench", email="bench@example.com")
    system = onboarding.system_create(customer=customer, name="Bench", slug=SLUG)
    with in_schema(system):
        owner = user_register(
            email="owner@bench.example", full_name="Owner", role=Role.OWNER, password="pw-bench-1"
        )
        policies_set(actor=owner, targets=DEMO_TARGETS)
    call_command(
        "seed_demo", system=SLUG, tickets=args.tickets, replies=args.replies, stdout=sys.stdout
    )
    return system


if __name__ == "__main__":
    main()

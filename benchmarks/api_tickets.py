"""The REST API's ticket list, filters, search, deep cursor pages and a long ticket at
100k tickets, with a token (full middleware stack, Django test client).

Seeds the same throw-away System as ``ticket_pages.py`` (``--reuse`` shares nothing with
it: each benchmark has its own database). Targets: list and detail p95 <= 50 ms, search
p95 <= 150 ms; the query count of each call, which must not grow with the data.

    uv run python benchmarks/api_tickets.py [--tickets 100000] [--replies 5] [--repeat 30]
        [--reuse]    keep the database seeded by the previous run (same sizes)
"""

from __future__ import annotations

import argparse
import os
import time
from urllib.parse import urlsplit

from _common import add_bare_view, bench_database_url, ms, p50, p95, setup_django, timed
from ticket_pages import (
    LONG_SUBJECT,
    SLUG,
    _accept_terms,
    _busiest_agent,
    _exists,
    _queries,
    _seed,
    _seed_custom_field,
)

TARGETS_MS = {"list": 50, "search": 150, "detail": 50}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--replies", type=float, default=5)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--reuse", action="store_true", help="Keep the last run's data.")
    args = parser.parse_args()
    phases: dict[str, float] = {}
    started = time.perf_counter()
    setup_django("apitickets", fresh=not (args.reuse and _exists(bench_database_url("apitickets"))))

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from accounts.apitokens.models import Scope
    from accounts.apitokens.services import api_token_create
    from accounts.models import Role, User
    from tenants.models import System
    from tests.support.tenancy import in_schema
    from tickets.models import Ticket

    call_command("migrate_schemas", shared=not args.reuse, interactive=False, verbosity=0)
    system = System.objects.filter(slug=SLUG).first()
    phases["database and migrations"] = time.perf_counter() - started
    if system is None:
        system = _seed(args, phases)
    with in_schema(system):
        _seed_custom_field()
    with connection.cursor() as cursor:
        cursor.execute(f'VACUUM ANALYZE "{system.schema_name}".tickets_ticket')
    settings.API_RATE_LIMIT = 10**9  # measuring the API, not its limiter

    with in_schema(system):
        agent = _busiest_agent()
        member = User.objects.filter(role=Role.MEMBER).order_by("id").first()
        _accept_terms([agent, member])
        agent_secret = api_token_create(actor=agent, name="bench", scope=Scope.READ).secret
        member_secret = api_token_create(actor=member, name="bench", scope=Scope.READ).secret
        long_number = Ticket.objects.get(subject=LONG_SUBJECT).number
        tickets = Ticket.objects.count()
    host = f"{SLUG}.localhost"
    agent_client = Client(HTTP_HOST=host, HTTP_AUTHORIZATION=f"Bearer {agent_secret}")
    member_client = Client(HTTP_HOST=host, HTTP_AUTHORIZATION=f"Bearer {member_secret}")

    # A cursor 40 pages (2,000 tickets) deep, as a client walking the list holds it.
    deep = "/api/v1/tickets?limit=50"
    for _ in range(40):
        parts = urlsplit(agent_client.get(deep).json()["next"])
        deep = f"{parts.path}?{parts.query}"
    cases = [
        ("list, newest updated", "/api/v1/tickets?limit=50", "list", agent_client),
        ("list, page 41 by cursor", deep, "list", agent_client),
        ("list, open + high", "/api/v1/tickets?status=open&priority=high", "list", agent_client),
        ("list, assigned to me", "/api/v1/tickets?assignee=me&status=open", "list", agent_client),
        ("list, by priority", "/api/v1/tickets?sort=priority", "list", agent_client),
        ("list, rare custom value", "/api/v1/tickets?cf_product=Scanner", "list", agent_client),
        ("list, member's own", "/api/v1/tickets", "list", member_client),
        ("search 'vpn'", "/api/v1/tickets?q=vpn", "search", agent_client),
        ("search 'printer' open", "/api/v1/tickets?q=printer&status=open", "search", agent_client),
        ("ticket, 50 replies", f"/api/v1/tickets/{long_number}", "detail", agent_client),
    ]
    from django.http import HttpResponse

    def bare(request):
        live = Ticket.objects.filter(deleted_at__isnull=True)  # what the list index covers
        rows = list(live.order_by("-updated_at", "-id").values_list("id")[:25])
        return HttpResponse(str(len(rows)))

    add_bare_view("/bench/bare/", bare)
    baseline = p50(timed(lambda: agent_client.get("/bench/bare/"), repeat=args.repeat))
    print(f"\n{tickets:,} tickets ({args.repeat} calls each, read tokens)")
    header = (
        f"{'call':<28}{'items':>7}{'queries':>9}{'sql':>11}{'p50':>11}{'p95':>11}"
        f"{'p50 / bare':>12}  target"
    )
    print(header)
    print("-" * len(header))
    for label, url, kind, client in cases:

        def get(url=url, client=client):
            return client.get(url)

        response = get()
        assert response.status_code == 200, (label, response.status_code, response.content[:300])
        body = response.json()
        items = len(body.get("items", body.get("replies", [])))
        queries, sql = _queries(get, connection)
        samples = timed(get, repeat=args.repeat)
        verdict = "ok" if p95(samples) * 1000 <= TARGETS_MS[kind] else "MISSED"
        print(
            f"{label:<28}{items:>7}{queries:>9}{ms(sql):>11}{ms(p50(samples)):>11}"
            f"{ms(p95(samples)):>11}{p50(samples) / baseline:>11.1f}x  {verdict} "
            f"(p95 <= {TARGETS_MS[kind]} ms)"
        )
    print(f"{'bare view (1 indexed query)':<55}{ms(baseline):>11}")
    print(
        f"load average {' / '.join(f'{n:.1f}' for n in os.getloadavg())} on {os.cpu_count()} CPUs"
    )
    print("phases: " + ", ".join(f"{name} {secs:.1f} s" for name, secs in phases.items()))


if __name__ == "__main__":
    main()

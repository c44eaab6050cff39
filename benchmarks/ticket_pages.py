"""The ticket list, its filters, search and a long ticket at 100k tickets / 500k replies.

Seeds a throw-away System with ``manage.py seed_demo``, signs in as the busiest agent and
prints p50/p95 server time (Django test client, full middleware stack) per page, the rows
it matches, its query count, and the ratio to a bare view doing one indexed query on the
ticket table. Targets: lists and detail p95 <= 50 ms, search p95 <= 150 ms, <= 2x bare.

    uv run python benchmarks/ticket_pages.py [--tickets 100000] [--replies 5] [--repeat 30]
        [--reuse]    keep the database seeded by the previous run (same sizes)
        [--explain]  EXPLAIN ANALYZE the slowest query of every page that misses its target
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from _common import add_bare_view, bench_database_url, ms, p50, p95, setup_django, timed

SLUG = "bench-tickets"
LONG_SUBJECT = "Benchmark: a ticket with fifty replies"
TARGETS_MS = {"list": 50, "search": 150, "detail": 50}
MAX_RATIO = 2.0


@dataclass
class Case:
    label: str
    url: str
    kind: str  # a key of TARGETS_MS
    member: bool = False  # seen by a member (visibility rule) rather than the agent
    rows: int = 0  # tickets matched (replies for a detail page)
    # Every request after a ticket write: the sidebar counts its views again (not cached).
    cold: bool = False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--replies", type=float, default=5)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--reuse", action="store_true", help="Keep the last run's data.")
    parser.add_argument("--explain", action="store_true", help="Plans of slow pages' queries.")
    args = parser.parse_args()
    phases: dict[str, float] = {}
    started = time.perf_counter()
    setup_django("tickets", fresh=not (args.reuse and _exists(bench_database_url("tickets"))))

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from tenants.models import System
    from tests.support.tenancy import in_schema

    # A kept database may miss migrations written since: bring every schema up to date.
    call_command("migrate_schemas", shared=not args.reuse, interactive=False, verbosity=0)
    system = System.objects.filter(slug=SLUG).first()
    phases["database and migrations"] = time.perf_counter() - started
    if system is None:
        system = _seed(args, phases)
    started = time.perf_counter()
    with in_schema(system):
        _seed_custom_field()
    phases["custom field values"] = time.perf_counter() - started
    # As autovacuum leaves a table in use: statistics and the visibility map that lets deep
    # pages read the index alone (a bulk load has neither).
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f'VACUUM ANALYZE "{system.schema_name}".tickets_ticket')
    phases["vacuum"] = time.perf_counter() - started

    with in_schema(system):
        agent, member, cases = _cases(system)
    agent_client = Client(HTTP_HOST=f"{SLUG}.localhost")
    member_client = Client(HTTP_HOST=f"{SLUG}.localhost")
    with in_schema(system):
        _accept_terms([agent, member])
        agent_client.force_login(agent)
        member_client.force_login(member)

    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse

    from tickets.models import Reply, Ticket

    @login_required
    def bare(request):
        live = Ticket.objects.filter(deleted_at__isnull=True)  # what the list index covers
        rows = list(live.order_by("-updated_at", "-id").values_list("id")[:25])
        return HttpResponse(str(len(rows)))

    add_bare_view("/bench/bare/", bare)
    assert agent_client.get("/bench/bare/").status_code == 200
    measuring = time.perf_counter()
    baseline = p50(timed(lambda: agent_client.get("/bench/bare/"), repeat=args.repeat))

    with in_schema(system):
        tickets, replies = Ticket.objects.count(), Reply.objects.count()
    print(
        f"\n{tickets:,} tickets, {replies:,} replies "
        f"({args.repeat} requests each; as {agent.email} unless marked member)"
    )
    header = (
        f"{'page':<30}{'rows':>9}{'queries':>8}{'sql':>11}{'p50':>11}{'p95':>11}"
        f"{'p50 / bare':>12}  target"
    )
    print(header)
    print("-" * len(header))
    slow: list[tuple[Case, Client]] = []
    for case in cases:
        client = member_client if case.member else agent_client

        def get(url=case.url, client=client, cold=case.cold):
            if cold:
                _bump_generation(connection, system)
            return client.get(url)

        response = get()
        assert response.status_code == 200, (case.label, response.status_code)
        queries, sql = _queries(get, connection)
        samples = timed(get, repeat=args.repeat)
        ratio = p50(samples) / baseline
        ok = p95(samples) * 1000 <= TARGETS_MS[case.kind] and ratio <= MAX_RATIO
        if not ok:
            slow.append((case, client))
        verdict = "ok" if ok else "MISSED"
        print(
            f"{case.label:<30}{case.rows:>9,}{queries:>8}{ms(sql):>11}{ms(p50(samples)):>11}"
            f"{ms(p95(samples)):>11}{ratio:>11.1f}x  {verdict} "
            f"(p95 <= {TARGETS_MS[case.kind]} ms, <= {MAX_RATIO:.0f}x)"
        )
    print(f"{'bare view (1 indexed query)':<58}{ms(baseline):>11}")
    print(
        "sql: median time in the database per request (5 requests); load average "
        f"{' / '.join(f'{n:.1f}' for n in os.getloadavg())} on {os.cpu_count()} CPUs"
    )
    phases["measuring"] = time.perf_counter() - measuring

    with in_schema(system):
        _custom_plans(agent, cases, connection)
    if args.explain:
        for case, client in slow:
            _explain(case, client, connection, system)

    print("\nphases: " + ", ".join(f"{name} {secs:.1f} s" for name, secs in phases.items()))


def _exists(url: str) -> bool:
    import psycopg

    try:
        psycopg.connect(url).close()
    except psycopg.OperationalError:
        return False
    return True


def _seed(args: argparse.Namespace, phases: dict[str, float]):
    from django.core.management import call_command

    from accounts.models import Role, User
    from accounts.services.seats import user_register
    from tenants.management.demo_tickets import DEMO_TARGETS
    from tenants.onboarding import services as onboarding
    from tests.support.tenancy import in_schema
    from tickets.services.tickets import ticket_create, ticket_reply
    from tickets.sla.services.setup import policies_set

    started = time.perf_counter()
    customer = onboarding.customer_create(name="Bench", email="bench@example.com")
    system = onboarding.system_create(customer=customer, name="Bench", slug=SLUG)
    with in_schema(system):
        owner = user_register(
            email="owner@bench.example", full_name="Owner", role=Role.OWNER, password="pw-bench-1"
        )
        # A policy per priority, so seed_demo gives the open tickets SLA deadlines.
        policies_set(actor=owner, targets=DEMO_TARGETS)
    phases["system"] = time.perf_counter() - started

    started = time.perf_counter()
    call_command(
        "seed_demo", system=SLUG, tickets=args.tickets, replies=args.replies, stdout=sys.stdout
    )
    phases["seed_demo"] = time.perf_counter() - started

    # The long ticket goes through the services, as a real conversation would.
    started = time.perf_counter()
    with in_schema(system):
        agent = _busiest_agent()
        member = User.objects.filter(role=Role.MEMBER).order_by("id").first()
        assert member is not None
        ticket = ticket_create(
            actor=agent,
            subject=LONG_SUBJECT,
            description="The VPN drops every few minutes.\n\n- tried a cable\n- restarted",
            requester=member,
            tags=["vpn", "network"],
        )
        ticket.followers.add(agent, member)
        for n in range(50):
            note = n % 5 == 4
            ticket_reply(
                actor=member if n % 2 and not note else agent,
                ticket=ticket,
                body=f"Message {n + 1}: **still** looking at it, see "
                f"https://drive.google.com/file/d/{n:08d}/view and the logs.",
                internal=note,
            )
    phases["long ticket (50 replies)"] = time.perf_counter() - started
    return system


# A dropdown custom field on every benchmark ticket: four common products, and a rare one
# on one ticket in 50 (a saved view "Scanner tickets" is this filter's query string).
PRODUCTS = ("Laptop", "Printer", "Phone", "Monitor")
RARE_PRODUCT = "Scanner"


def _seed_custom_field() -> None:
    """The field and its values, once (also on a database kept from before it existed)."""
    from django.db import connection, transaction

    from accounts.models import Role, User
    from tickets.fields.models import TicketField
    from tickets.fields.services import ticket_field_create

    with transaction.atomic():
        if not TicketField.objects.filter(key="product").exists():
            owner = User.objects.get(role=Role.OWNER)
            ticket_field_create(
                actor=owner, label="Product", kind="dropdown", choices=[*PRODUCTS, RARE_PRODUCT]
            )
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE tickets_ticket SET custom = jsonb_build_object('product', CASE "
                "WHEN id %% 50 = 0 THEN %s ELSE (%s::text[])[1 + id %% 4] END) "
                "WHERE NOT custom ? 'product'",
                [RARE_PRODUCT, list(PRODUCTS)],
            )
            seeded = cursor.rowcount
    if seeded:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE tickets_ticket")


def _custom_plans(agent, cases: list[Case], connection) -> None:
    """How the custom-field filters find their tickets: the capped count (no order: the GIN
    index) and the page's ids (in list order: the sort's index, filtered, or the GIN index
    then a sort, whichever the planner finds cheaper)."""
    from django.http import QueryDict

    from tickets import selectors
    from tickets.views.lists import filters_from

    for case in cases:
        if "cf_" not in case.url:
            continue
        filters = filters_from(QueryDict(case.url.partition("?")[2]))
        matching = selectors._filtered(agent, filters)
        if filters.statuses:
            matching = matching.filter(status__in=filters.statuses)
        queries = {
            "count": matching.order_by().values("status")[: selectors.COUNT_CAP + 1],
            "page": matching.order_by(*selectors.SORTS[filters.sort]).values("id")[:26],
        }
        for name, queryset in queries.items():
            sql, params = queryset.query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN ANALYZE " + sql, params)
                plan = [row[0].strip() for row in cursor.fetchall()]
            scans = [line.split("  (")[0] for line in plan if "Scan" in line]
            took = next((line for line in plan if line.startswith("Execution Time")), "")
            print(f"plan of {case.label}, {name}: {' / '.join(scans)}; {took}")


def _accept_terms(users) -> None:
    """Signed-in people have accepted the terms in effect; otherwise every page is a
    redirect to the terms gate."""
    from legal import selectors

    try:
        from legal.services.terms import terms_accept
    except ImportError:  # before the legal services were split up
        from legal.services import terms_accept  # type: ignore[attr-defined,no-redef]

    current = selectors.terms_current()
    for user in users if current else []:
        terms_accept(user=user, version=current, ip=None, user_agent="benchmark")


def _busiest_agent():
    from django.db.models import Count

    from accounts.models import Role, User

    return (
        User.objects.filter(role=Role.AGENT, is_active=True)
        .annotate(n=Count("tickets_assigned"))
        .order_by("-n", "id")
        .first()
    )


def _cases(system) -> tuple[Any, Any, list[Case]]:
    """The pages to time, with how many tickets each one matches."""
    from django.db.models import Count
    from django.http import QueryDict
    from django.utils import timezone

    from accounts.models import Role, User
    from tickets import selectors
    from tickets.management.seed_text import COMMON_WORD, RARE_WORDS
    from tickets.models import Category, Tag, Ticket
    from tickets.views.lists import filters_from

    agent = _busiest_agent()
    by_load = User.objects.filter(role=Role.MEMBER).annotate(n=Count("tickets_requested"))
    # The requester filter shows the busiest requester; member pages a typical member.
    busiest = by_load.order_by("-n", "id").first()
    member = by_load.order_by("n", "id")[by_load.count() // 2]
    category = Category.objects.annotate(n=Count("tickets")).order_by("-n").first()
    tag = Tag.objects.annotate(n=Count("tickets")).order_by("-n").first()
    today = timezone.localdate()
    created = f"from={today - timedelta(days=60)}&to={today - timedelta(days=31)}"
    long_ticket = Ticket.objects.get(subject=LONG_SUBJECT)
    typical = Ticket.objects.filter(reply_count=5).order_by("-updated_at").first() or long_ticket
    cases = [
        Case("list: page 1", "/tickets/", "list"),
        Case("list: page 1,000", "/tickets/?page=1000", "list"),
        Case("list: page 4,000 (last)", "/tickets/?page=4000", "list"),
        Case("filter: status=open", "/tickets/?status=open", "list"),
        Case("filter: priority=urgent", "/tickets/?priority=urgent", "list"),
        Case("filter: assignee=me", "/tickets/?assignee=me", "list"),
        Case("filter: assignee=none", "/tickets/?assignee=none", "list"),
        Case(f"filter: category ({category})", f"/tickets/?category={category.pk}", "list"),
        Case(f"filter: tag ({tag})", f"/tickets/?tag={tag.name}", "list"),
        Case("filter: requester", f"/tickets/?requester={busiest.pk}", "list"),
        Case("filter: created (30 days)", f"/tickets/?{created}", "list"),
        Case("filter: custom (Laptop, 24%)", "/tickets/?cf_product=Laptop", "list"),
        Case(
            f"filter: custom ({RARE_PRODUCT}, 2%)", f"/tickets/?cf_product={RARE_PRODUCT}", "list"
        ),
        Case(
            "view: open + custom field",
            f"/tickets/?status=open&cf_product={RARE_PRODUCT}",
            "list",
        ),
        Case("sort: priority", "/tickets/?sort=priority", "list"),
        Case("sort: priority, page 1,000", "/tickets/?sort=priority&page=1000", "list"),
        Case("sort: SLA time left", "/tickets/?sort=sla", "list"),
        Case("sort: SLA time left, page 1,000", "/tickets/?sort=sla&page=1000", "list"),
        Case("filter: SLA breached", "/tickets/?sla=breached", "list"),
        Case("filter: SLA breaching within the hour", "/tickets/?sla=soon", "list"),
        Case(f"search: common “{COMMON_WORD}”", f"/tickets/?q={COMMON_WORD}", "search"),
        Case(f"search: rare “{RARE_WORDS[0]}”", f"/tickets/?q={RARE_WORDS[0]}", "search"),
        Case("search: two words", f"/tickets/?q=printer+{COMMON_WORD}", "search"),
        Case("dashboard", "/", "list"),
        Case("detail: 50 replies", f"/tickets/{long_ticket.number}/", "detail"),
        Case(f"detail: {typical.reply_count} replies", f"/tickets/{typical.number}/", "detail"),
        # Opened from a list: + its previous and next ticket (tickets.collab, keyset).
        Case(
            "detail: from list sort=priority",
            f"/tickets/{typical.number}/?list=sort%3Dpriority",
            "detail",
        ),
        Case(
            "detail: from list status=open, sort=due",
            f"/tickets/{typical.number}/?list=status%3Dopen%26sort%3Ddue",
            "detail",
        ),
        Case(
            "detail: from list assignee=me, oldest",
            f"/tickets/{typical.number}/?list=assignee%3Dme%26sort%3Doldest",
            "detail",
        ),
        Case("member: list page 1", "/tickets/", "list", member=True),
        Case(
            f"member: search “{COMMON_WORD}”", f"/tickets/?q={COMMON_WORD}", "search", member=True
        ),
    ]
    from tickets.saved.query import DEFAULT_BY_KEY
    from tickets.saved.selectors import ViewLink

    views = _saved_views(agent, busiest, category, tag, created)
    cases += [
        Case(f"sidebar: {len(views) + 4} views, cold", "/tickets/", "list", cold=True),
        *(Case(f"view: {link.name}", link.url, "list") for link in views),
        Case(
            "view: Mine (default)",
            ViewLink("mine", "Mine", DEFAULT_BY_KEY["mine"].query).url,
            "list",
        ),
    ]
    for case in cases:
        user = member if case.member else agent
        if case.kind == "detail":
            number = int(case.url.partition("?")[0].strip("/").split("/")[-1])
            case.rows = Ticket.objects.get(number=number).reply_count
            continue
        query = QueryDict(case.url.partition("?")[2])
        page = selectors.ticket_page(
            user=user, filters=filters_from(query), page=int(query.get("page", 1))
        )
        case.rows = page.total
    return agent, member, cases


def _bump_generation(connection, system) -> None:
    """What any ticket write does to the saved views' cached counts (tickets.saved.counts):
    one query, counted with the page's."""
    from tickets.saved.counts import GENERATION_SEQUENCE

    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [f'"{system.schema_name}".{GENERATION_SEQUENCE}'])


def _saved_views(agent, busiest, category, tag, created: str):
    """Shared and personal views such as a team keeps: each counts in the sidebar."""
    from tickets.management.seed_text import RARE_WORDS
    from tickets.saved.models import SavedView
    from tickets.saved.selectors import ViewLink

    active = "status=new&status=open&status=pending"
    wanted = [
        ("Urgent, active", None, f"priority=urgent&{active}"),
        ("Laptops, active", None, f"cf_product=Laptop&{active}"),  # a custom field
        (f"Tag {tag}", None, f"tag={tag.name}"),
        (f"{category}, open", None, f"category={category.pk}&status=open"),
        (f"Says {RARE_WORDS[0]}", None, f"q={RARE_WORDS[0]}&status=open"),
        ("My urgent", agent, "assignee=me&priority=urgent"),
        ("Busiest requester", agent, f"requester={busiest.pk}&{active}"),
        ("Created a month ago", agent, created),
        ("Pending, oldest first", agent, "sort=oldest&status=pending"),
    ]
    views = []
    for position, (name, owner, query) in enumerate(wanted):
        view, _ = SavedView.objects.get_or_create(
            name=name, owner=owner, defaults={"query": query, "position": position}
        )
        views.append(ViewLink(str(view.pk), view.name, view.query, view))
    return views


def _queries(get, connection, runs: int = 5) -> tuple[int, float]:
    """Queries per request, and the median time they spent in the database."""
    from django.test.utils import CaptureQueriesContext

    totals = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            get()
        totals.append(sum(float(q["time"]) for q in captured.captured_queries))
    return len(captured), p50(totals)


def _explain(case: Case, client, connection, system) -> None:
    """EXPLAIN ANALYZE the page's slowest query (as sent, parameters inlined)."""
    from django.test.utils import CaptureQueriesContext

    from tests.support.tenancy import in_schema

    if case.cold:
        _bump_generation(connection, system)
    with CaptureQueriesContext(connection) as captured:
        client.get(case.url)
    queries = captured.captured_queries
    slowest = max(queries, key=lambda q: float(q["time"]))
    in_db = sum(float(q["time"]) for q in queries)
    print(f"\n== {case.label}: {len(queries)} queries, {in_db * 1000:.0f} ms in the database")
    if float(slowest["time"]) < 0.005:
        print("   no query over 5 ms: the time goes to Python (rendering, ORM)")
        return
    print(f"   slowest ({float(slowest['time']) * 1000:.0f} ms): {slowest['sql']}")
    with in_schema(system), connection.cursor() as cursor:
        # No parameters: the SQL is sent as captured, with no placeholder processing.
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
        for (line,) in cursor.fetchall():
            print("   ", line)


if __name__ == "__main__":
    main()

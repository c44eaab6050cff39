"""The audit log page at 1M rows: first page, a deep page, each filter.

Prints p50/p95 server time (Django test client, full middleware stack, logged in) and the
ratio of each to a bare indexed query for the same rows.

    uv run python benchmarks/audit_log.py [--rows 1000000] [--repeat 30]
"""

from __future__ import annotations

import argparse

from _common import add_bare_view, ms, p50, p95, setup_django, timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    setup_django("audit")

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from accounts.models import AuditEvent, Role
    from accounts.services.seats import user_register
    from tenants.onboarding import services as onboarding
    from tests.support.tenancy import in_schema

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    customer = onboarding.customer_create(name="Bench", email="bench@example.com")
    system = onboarding.system_create(customer=customer, name="Bench", slug="bench-audit")
    with in_schema(system):
        owner = user_register(
            email="o@bench.example", full_name="Owner", role=Role.OWNER, password="pw-bench-123"
        )
        print(f"inserting {args.rows:,} audit rows...", flush=True)
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO accounts_auditevent
                    (created_at, action, actor_id, actor_label, target_label, ip, detail)
                SELECT now() - (n * interval '1 second'),
                       (ARRAY['login','logout','login_failed','invite_sent','role_changed'])[1 + n %% 5],
                       CASE WHEN n %% 7 = 0 THEN %s ELSE NULL END,
                       'person ' || (n %% 500), 'target ' || n, '10.0.0.1', '{}'::jsonb
                FROM generate_series(1, %s) AS n
                """,
                [owner.pk, args.rows],
            )
            cursor.execute("ANALYZE accounts_auditevent")
        deep_cursor_row = AuditEvent.objects.order_by("-created_at", "-id")[int(args.rows * 0.9)]
    from accounts.selectors import _encode_cursor

    client = Client(HTTP_HOST="bench-audit.localhost")
    with in_schema(system):
        client.force_login(owner)
    deep = _encode_cursor(deep_cursor_row)
    cases = {
        "page 1": "/settings/audit/",
        "page at 90% depth": f"/settings/audit/?after={deep}",
        "filter: action": "/settings/audit/?action=role_changed",
        "filter: actor": f"/settings/audit/?actor={owner.pk}",
        "filter: date range": "/settings/audit/?since=2026-01-01&until=2026-12-31",
    }

    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse

    @login_required
    def bare(request):
        rows = list(AuditEvent.objects.order_by("-created_at", "-id").values_list("id")[:51])
        return HttpResponse(str(len(rows)))

    add_bare_view("/bench/bare/", bare)
    baseline = p50(timed(lambda: client.get("/bench/bare/"), repeat=args.repeat))
    print(f"\naudit log at {args.rows:,} rows ({args.repeat} requests each)")
    print(f"{'page':<22}{'p50':>11}{'p95':>11}{'p50 / bare view':>19}")
    for label, url in cases.items():
        samples = timed(lambda url=url: client.get(url), repeat=args.repeat)
        print(
            f"{label:<22}{ms(p50(samples)):>11}{ms(p95(samples)):>11}{p50(samples) / baseline:>19.1f}x"
        )
    print(f"{'bare view (1 query)':<22}{ms(baseline):>11}")


if __name__ == "__main__":
    main()

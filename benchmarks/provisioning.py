"""Signup-to-ready time for a new System: from the warm pool and cold, 1st and 200th.

Runs against a throw-away database (``<name>_bench`` next to DATABASE_URL's) so nothing of
the developer's data is touched. "Ready" means `system_create` has returned *and* the new
System's host answers its login page. Prints medians and the ratios that matter:

    uv run python benchmarks/provisioning.py [--systems 200] [--samples 7]
"""

from __future__ import annotations

import argparse
import statistics
import time

from _common import setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", type=int, default=200)
    parser.add_argument("--samples", type=int, default=7)
    args = parser.parse_args()

    setup_django("provisioning")
    import kombu.transport.redis  # noqa: F401 - what a web process has loaded at start-up
    from django.core.management import call_command
    from django.test import Client

    from tenants import services
    from tenants.models import System
    from tenants.onboarding import services as onboarding

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    customer = onboarding.customer_create(name="Bench Ltd", email="bench@example.com")
    counter = iter(range(1, 10_000))

    claims: list[float] = []

    def ready(*, expect_pool: bool) -> float:
        slug = f"bench-{next(counter):05d}"
        pooled_before = System.objects.filter(status=System.Status.POOLED).count()
        assert (pooled_before > 0) == expect_pool
        started = time.perf_counter()
        system = onboarding.system_create(customer=customer, name=slug, slug=slug)
        claimed = time.perf_counter()
        response = Client(HTTP_HOST=f"{system.slug}.localhost").get("/accounts/login/")
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        claims.append(claimed - started)
        return elapsed

    def from_pool(samples: int) -> list[float]:
        services.pool_refill(size=samples)
        return [ready(expect_pool=True) for _ in range(samples)]

    def cold(samples: int) -> list[float]:
        return [ready(expect_pool=False) for _ in range(samples)]

    def made() -> int:
        return System.objects.exclude(status=System.Status.POOLED).count()

    # Warm the code paths once, outside the measurements.
    services.pool_refill(size=1)
    ready(expect_pool=True)

    first_pool = from_pool(args.samples)
    first_claims = claims[-args.samples :]
    first_cold = cold(max(3, args.samples // 2))
    print(f"filling up to {args.systems} Systems...", flush=True)
    while made() < args.systems - 1:
        services.pool_refill(size=min(20, args.systems - 1 - made()))
        while System.objects.filter(status=System.Status.POOLED).exists():
            ready(expect_pool=True)
    at_n_pool = from_pool(args.samples)
    at_n_claims = claims[-args.samples :]
    at_n_cold = cold(max(3, args.samples // 2))

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:8.1f} ms"

    print()
    print(f"{'signup-to-ready':<28}{'1st System':>14}{f'{args.systems}th System':>16}{'ratio':>8}")
    rows = (
        ("claim only (system_create)", first_claims, at_n_claims),
        ("from the warm pool", first_pool, at_n_pool),
        ("cold (pool empty)", first_cold, at_n_cold),
    )
    for label, a, b in rows:
        print(
            f"{label:<28}{ms(a):>14}{ms(b):>16}{statistics.median(b) / statistics.median(a):>8.2f}"
        )
    print()
    print(
        f"cold / pool at the {args.systems}th System: "
        f"{statistics.median(at_n_cold) / statistics.median(at_n_pool):.0f}x"
    )
    print(
        f"(median of {args.samples} pool and {len(first_cold)} cold signups each; "
        f"{made()} Systems in the database at the end)"
    )


if __name__ == "__main__":
    main()

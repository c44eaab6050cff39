"""Backup, verify and restore of one System of N tickets, while another System exists.

Seeds a throw-away System with ``manage.py seed_demo`` and prints the time and size of a
backup (pg_dump + tar + checksums + upload), a verification (scratch database restore and
comparison) and a restore (pre-restore backup, scratch database, rename, dump, restore,
check, swap), and proves the other System unchanged.

    uv run python benchmarks/backups.py [--tickets 10000] [--replies 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

from _common import setup_django

SLUG = "bench-backups"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--replies", type=float, default=3)
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="servicedesk-bench-backups-")
    os.environ["MEDIA_ROOT"] = f"{scratch}/media"
    os.environ["BACKUP_ROOT"] = f"{scratch}/backups"
    setup_django("backups")

    from django.core.management import call_command
    from django.template.defaultfilters import filesizeformat

    from accounts.models import Role
    from accounts.services.seats import user_register
    from tenants.backups.models import Backup
    from tenants.backups.services import backups, pgtools, restores
    from tenants.models import System
    from tenants.onboarding import services as onboarding
    from tests.support.tenancy import in_schema
    from tickets.models import Reply, Ticket

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    systems = []
    for slug in (SLUG, f"{SLUG}-other"):
        customer = onboarding.customer_create(name=slug, email=f"b@{slug}.example")
        system = onboarding.system_create(customer=customer, name=slug, slug=slug)
        with in_schema(system):
            user_register(
                email=f"owner@{slug}.example", full_name="Owner", role=Role.OWNER, password="pw-1"
            )
        systems.append(system)
    system, other = systems
    started = time.perf_counter()
    call_command("seed_demo", system=SLUG, tickets=args.tickets, replies=args.replies)
    call_command("seed_demo", system=other.slug, tickets=100, replies=2)
    seeded = time.perf_counter() - started
    with in_schema(system):
        tickets, replies = Ticket.objects.count(), Reply.objects.count()
    other_before = pgtools.checksums_of(schema=other.schema_name)

    def timed(label: str, fn):
        started = time.perf_counter()
        value = fn()
        took = time.perf_counter() - started
        print(f"{label:<44}{took:>8.2f} s", flush=True)
        return value

    print(f"\n{tickets:,} tickets, {replies:,} replies (seeded in {seeded:.0f} s)")
    print(f"pg_dump/pg_restore from {pgtools.bin_dir()}")
    backup = backups.backup_create(system=system)
    backup = timed(
        "backup (dump, checksums, tar, upload)", lambda: backups.backup_run(backup_id=backup.pk)
    )
    assert backup.status == Backup.Status.OK, backup.error
    artifacts = backup.manifest["artifacts"]
    print(
        f"{'  size: dump / files / total':<44}{filesizeformat(artifacts['schema.dump']['size'])}"
        f" / {filesizeformat(artifacts['files.tar']['size'])} / {filesizeformat(backup.size)}"
    )
    verified = timed(
        "verify (scratch database, compare)", lambda: backups.backup_verify(backup_id=backup.pk)
    )
    assert verified.verify_ok, verified.verify_detail
    restore = restores.restore_start(backup=backup, operator="bench")
    restore = timed(
        "restore (pre-backup, rename, restore, swap)",
        lambda: restores.restore_run(restore_id=restore.pk),
    )
    assert restore.status == "swapped", restore.error
    timed(
        "confirm (drop the previous schema)",
        lambda: restores.restore_confirm(restore=restore, operator="bench"),
    )
    system.refresh_from_db()
    with in_schema(system):
        assert Ticket.objects.count() == tickets
    assert pgtools.checksums_of(schema=other.schema_name) == other_before
    print("the other System is unchanged (every table's count and checksum)")
    print(
        f"load average {' / '.join(f'{n:.1f}' for n in os.getloadavg())} on {os.cpu_count()} CPUs"
    )
    System.objects.filter(pk__in=[s.pk for s in systems])  # the database is dropped next run


if __name__ == "__main__":
    sys.exit(main())

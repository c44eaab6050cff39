"""Export of a whole System at 100k tickets and ~1 GB of files: time and peak memory.

Seeds a throw-away System with ``manage.py seed_demo`` and attaches random (incompressible)
files to its tickets, then builds the export in a child process exactly as the worker does
(``tenants.portability.services.exports.export_build``) and compares it with ``tar`` of the same files:

- time of the export as a ratio to ``tar -cf`` of the System's file directory;
- peak resident memory of the export process, and as a ratio to a process that only
  imported Django (what the export itself adds). Target: <= 200 MB and flat with size.

    uv run python benchmarks/export.py [--tickets 100000] [--replies 3] [--files-mb 1024]
        [--reuse]   keep the database and files of the previous run (same sizes)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from _common import ROOT, bench_database_url, setup_django

SLUG = "bench-export"
FILE_MB = 1.25  # each attachment; files-mb / FILE_MB of them
MEMORY_TARGET_MB = 200

CHILD = """
import json, os, sys, time
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")
import django
django.setup()


def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024


# Start-up (imports) has its own peak: reset the high-water mark so that what is measured
# is the peak while the export runs (Linux: 5 > clear_refs).
with open("/proc/self/clear_refs", "w") as refs:
    refs.write("5")
before = status("VmRSS")
started = time.perf_counter()
if {export_id}:
    from tenants.portability.services.exports import export_build
    export = export_build(export_id={export_id})
    assert export is not None and export.status == "ready", export
seconds = time.perf_counter() - started
print(json.dumps({{"seconds": seconds, "peak_mb": status("VmHWM"), "before_mb": before}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--replies", type=float, default=3)
    parser.add_argument("--files-mb", type=int, default=1024)
    parser.add_argument("--reuse", action="store_true", help="Keep the last run's data.")
    args = parser.parse_args()
    url = bench_database_url("export")
    setup_django("export", fresh=not args.reuse)

    from django.conf import settings
    from django.core.management import call_command

    from tenants.models import System

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    system = System.objects.filter(slug=SLUG).first()
    if system is None:
        started = time.perf_counter()
        system = _seed(args)
        print(f"seeded in {time.perf_counter() - started:.0f} s")

    from tenants.portability.models import Export
    from tests.support.tenancy import in_schema
    from tickets.models import Attachment, Reply, Ticket

    with in_schema(system):
        tickets, replies = Ticket.objects.count(), Reply.objects.count()
        files = Attachment.objects.count()
    files_dir = Path(settings.MEDIA_ROOT) / "systems" / system.schema_name
    files_bytes = sum(p.stat().st_size for p in files_dir.rglob("*") if p.is_file())

    export = Export.objects.create(
        system=system, requested_by_label="Benchmark", requested_by_email="bench@example.com"
    )
    env = {**os.environ, "DATABASE_URL": url}
    baseline = _child(0, env)
    result = _child(export.pk, env)
    export.refresh_from_db()

    tar_out = Path(settings.EXPORT_ROOT) / "bench.tar"
    tar = _tar(files_dir, tar_out)
    tar_seconds, tar_peak = tar["seconds"], tar["peak_mb"]
    tar_size = tar_out.stat().st_size
    tar_out.unlink()

    print(
        f"\n{tickets:,} tickets, {replies:,} replies, {files:,} files of "
        f"{files_bytes / 2**20:,.0f} MB (System {system.schema_name})"
    )
    header = f"{'':<28}{'time':>10}{'peak memory':>14}{'archive':>12}"
    print(header)
    print("-" * len(header))
    print(
        f"{'export (zip + manifest)':<28}{result['seconds']:>8.1f} s{result['peak_mb']:>11.0f} MB"
        f"{export.size / 2**20:>9,.0f} MB"
    )
    print(
        f"{'tar of the files only':<28}{tar_seconds:>8.1f} s{tar_peak:>11.0f} MB{tar_size / 2**20:>9,.0f} MB"
    )
    print(f"{'Django imported, nothing done':<28}{'':>10}{baseline['peak_mb']:>11.0f} MB")
    added = result["peak_mb"] - result["before_mb"]
    print(
        f"\nexport / tar time: {result['seconds'] / tar_seconds:.1f}x; "
        f"export peak memory {result['peak_mb']:.0f} MB = {result['peak_mb'] / baseline['peak_mb']:.2f}x "
        f"a bare Django process (+{added:.1f} MB); target <= {MEMORY_TARGET_MB} MB: "
        f"{'ok' if result['peak_mb'] <= MEMORY_TARGET_MB else 'MISSED'}"
    )
    rows = sum(export.counts.values()) if isinstance(export.counts, dict) else 0
    print(f"rows written: {rows:,}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    from tenants.portability.services.exports import archive_path

    archive_path(export).unlink(missing_ok=True)


def _child(export_id: int, env: dict[str, str]) -> dict:
    code = CHILD.format(root=str(ROOT), export_id=export_id)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


TAR = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
subprocess.run(["tar", "-cf", sys.argv[2], "-C", sys.argv[1], "."], check=True)
seconds = time.perf_counter() - started
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024}))
"""


def _tar(files_dir: Path, out: Path) -> dict:
    """tar in a fresh process, so that its peak memory is tar's own."""
    done = subprocess.run(
        [sys.executable, "-c", TAR, str(files_dir), str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _seed(args: argparse.Namespace):
    import random

    from django.core.management import call_command

    from accounts.models import Role
    from accounts.services.seats import user_register
    from tenants.onboarding import services as onboarding
    from tests.support.tenancy import in_schema
    from tickets.models import Attachment, Ticket

    customer = onboarding.customer_create(name="Bench export", email="bench@example.com")
    system = onboarding.system_create(customer=customer, name="Bench export", slug=SLUG)
    with in_schema(system):
        user_register(
            email="owner@bench.example", full_name="Owner", role=Role.OWNER, password="pw-bench-1"
        )
    call_command(
        "seed_demo", system=SLUG, tickets=args.tickets, replies=args.replies, stdout=sys.stdout
    )
    # Files straight to disk (random bytes: nothing compresses) and their rows in bulk.
    count = max(1, int(args.files_mb / FILE_MB))
    size = int(FILE_MB * 2**20)
    rng = random.Random(2026)
    with in_schema(system):
        from django.core.files.storage import default_storage

        ids = list(Ticket.objects.values_list("pk", flat=True))
        rows = []
        for n in range(count):
            name = f"attachments/bench/{n:06d}"
            path = Path(default_storage.path(name))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(os.urandom(size))
            kind = ("video/mp4", "video") if n % 3 == 0 else ("application/pdf", "file")
            rows.append(
                Attachment(
                    ticket_id=rng.choice(ids),
                    file=name,
                    original_name=f"report-{n}.{'mp4' if kind[1] == 'video' else 'pdf'}",
                    content_type=kind[0],
                    kind=kind[1],
                    size=size,
                    sha256="0" * 64,
                )
            )
        Attachment.objects.bulk_create(rows, batch_size=1000)
    return system


if __name__ == "__main__":
    main()

"""Shared set-up for benchmarks: a throw-away database beside DATABASE_URL's."""

from __future__ import annotations

import atexit
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def bench_database_url(suffix: str) -> str:
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/servicedesk")
    parts = urlsplit(url)
    return parts._replace(path=parts.path.rstrip("/") + f"_bench_{suffix}").geturl()


def recreate_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django(suffix: str, *, fresh: bool = True) -> str:
    url = bench_database_url(suffix)
    if fresh:
        recreate_database(url)
        shutil.rmtree(ROOT / ".devdata" / f"bench-{suffix}", ignore_errors=True)
    os.environ["DATABASE_URL"] = url
    # Production settings (no DEBUG: cached templates, no query log), minus HTTPS.
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghijklmnop")
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["SECURE_COOKIES"] = "0"
    os.environ["STATIC_MANIFEST"] = "0"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["CELERY_QUEUE"] = f"bench-{suffix}"
    # Files of their own: schema names (s_000001...) repeat from one database to the next, so
    # a benchmark sharing the dev MEDIA_ROOT would write into the dev Systems' folders.
    files = ROOT / ".devdata" / f"bench-{suffix}"
    for name in ("MEDIA_ROOT", "EXPORT_ROOT", "BACKUP_ROOT"):
        os.environ[name] = str(files / name.removesuffix("_ROOT").lower())
    # Queued work goes to a queue of its own that no worker reads (cleared afterwards).
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")
    import django

    django.setup()
    atexit.register(_drop_queue, f"bench-{suffix}")
    return url


def _drop_queue(name: str) -> None:
    from servicedesk import redis

    redis.client().delete(name)


def timed(fn: Callable[[], object], *, repeat: int) -> list[float]:
    fn()  # warm
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def p50(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def ms(value: float) -> str:
    return f"{value * 1000:7.1f} ms"


def add_bare_view(path: str, view) -> None:
    """Mount ``view`` in the System URLconf: the baseline is a view on the same stack
    (middleware, session, login) doing one indexed query, so ratios show what our pages
    add over the minimum, not over raw SQL."""
    from django.urls import clear_url_caches
    from django.urls import path as url_path

    from servicedesk import urls_tenant

    urls_tenant.urlpatterns.insert(0, url_path(path.lstrip("/"), view))
    clear_url_caches()

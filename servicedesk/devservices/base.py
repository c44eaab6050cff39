"""What every part of devservices shares: where the project is, ports, messages, checks."""

from __future__ import annotations

import contextlib
import os
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
DEVDATA = ROOT / ".devdata"
PG_PORT = int(os.environ.get("DEV_PG_PORT", "54329"))
REDIS_PORT = int(os.environ.get("DEV_REDIS_PORT", "63790"))
WEB_PORT = int(os.environ.get("PORT", "8000"))
# The SMTP receiver's port (the same variable the settings read).
MAIL_PORT = int(os.environ.get("MAIL_RECEIVER_PORT", "2525"))
DB_NAME = "servicedesk"


class ServiceError(Exception):
    """A problem the person running the command can fix; printed without a traceback."""


def say(message: str) -> None:
    # Never let a closed terminal (or a dead `| tee`) stop the clean-up that follows.
    with contextlib.suppress(OSError):
        print(f"[servicedesk] {message}", flush=True)


def port_open(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def wait_for(check, *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise ServiceError(f"{what} did not come up within {seconds:.0f} s.")


# --- checking what the environment points at ---------------------------------------------


def check_postgres(url: str) -> None:
    """Connect to the server of ``url``; create its database if it is missing."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/") or DB_NAME
    maintenance = parts._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(maintenance, connect_timeout=5, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                say(f"created database {name}")
    except psycopg.OperationalError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__
        raise ServiceError(
            f"PostgreSQL at DATABASE_URL ({redact(url)}) does not answer: {first_line}"
        ) from None


def check_redis(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        raise ServiceError(f"Redis at REDIS_URL ({redact(url)}) does not answer: {exc}") from None


def redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url

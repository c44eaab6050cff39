"""A real Celery worker process for tests, on this test run's database and queue."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from email import message_from_string, policy
from email.message import EmailMessage
from pathlib import Path

from django.conf import settings
from django.db import connection

from servicedesk import redis
from servicedesk.celery import app

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}{port}/{db['NAME']}"


class Worker:
    def __init__(
        self,
        mail_dir: Path,
        queue: str | None = None,
        env: dict[str, str] | None = None,
        pool: str = "solo",
    ) -> None:
        self.queue = queue or settings.CELERY_TASK_DEFAULT_QUEUE
        self.mail_dir = mail_dir
        self.env = env or {}
        # solo: tasks run in this very process, one after another. prefork (one child):
        # as in production, where a child that dies has its task handed out again.
        self.pool = pool
        self.process: subprocess.Popen | None = None
        self.log = mail_dir.parent / f"worker-{self.queue}.log"

    def start(self) -> Worker:
        redis.client().delete(self.queue)  # nothing stale from an earlier run
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "servicedesk.settings_test",
            "DATABASE_URL": database_url(),
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "CELERY_QUEUE": self.queue,
            "TEST_MAIL_DIR": str(self.mail_dir),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            **self.env,
        }
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "servicedesk",
            "worker",
            f"--pool={self.pool}",
            "--concurrency=1",
            "--queues",
            self.queue,
            "--include",
            "tests.support.probe_tasks",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=INFO",
        ]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so a kill takes all of it
        )
        self._wait_ready()
        return self

    def _wait_ready(self, seconds: float = 60) -> None:
        """Ready when it has run a heartbeat we sent through the broker."""
        key = redis.key("worker-heartbeat")
        redis.client().delete(key)
        with eager_off():
            app.send_task("servicedesk.tasks.heartbeat", queue=self.queue)
        self._wait_for(key, seconds)

    def _wait_for(self, key: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if redis.client().get(key):
                return
            if self.process and self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"worker did not start:\n{self.log.read_text()[-3000:]}")

    def drain(self, seconds: float = 60) -> None:
        """Wait until everything sent before this call has run (the pool is solo: tasks run
        one after another, in the order they were queued)."""
        from tests.support.probe_tasks import record_users

        key = redis.key(f"drain-{uuid.uuid4().hex}")
        with eager_off():
            record_users.apply_async(args=[key], queue=self.queue)
        wait_for_key(key, seconds)

    def mails(self) -> list[EmailMessage]:
        """Every email the worker has sent so far, oldest first."""
        found = []
        for path in sorted(self.mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime_ns):
            found.extend(
                message_from_string(chunk.strip(), policy=policy.default)
                for chunk in path.read_text().split("-" * 79)
                if chunk.strip()
            )
        return found

    def clear_mail(self) -> None:
        for path in self.mail_dir.glob("*.log"):
            path.unlink()

    def kill(self) -> None:
        """Die as a machine would: SIGKILL to the whole process group, no cleanup."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)

    def peak_memory_reset(self) -> int:
        """Start measuring: the process's memory high-water mark drops to what it holds
        now (Linux: clear_refs 5). Returns that, in KiB."""
        assert self.process is not None
        Path(f"/proc/{self.process.pid}/clear_refs").write_text("5")
        return self.peak_memory()

    def peak_memory(self) -> int:
        """The highest resident memory since the last reset (VmHWM), in KiB."""
        assert self.process is not None
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        raise AssertionError("no VmHWM")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


class eager_off:
    """Send tasks to the broker (the real worker) instead of running them in-process."""

    def __enter__(self):
        self.previous = app.conf.task_always_eager
        app.conf.task_always_eager = False

    def __exit__(self, *exc):
        app.conf.task_always_eager = self.previous


def wait_for_key(key: str, seconds: float = 30) -> bytes:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = redis.client().get(key)
        if value is not None:
            return value
        time.sleep(0.1)
    raise AssertionError(f"nothing appeared at {key} within {seconds} s")


def wait_until(check, seconds: float = 60, every: float = 0.1):
    """Poll ``check`` until it returns something true (and return that)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"not true within {seconds} s: {check}")

"""A real IMAP server for tests: pymap (its in-memory "dict" backend) in a subprocess on a
free local port, plain IMAP (no certificates here), one user. Each test works in a folder of
its own, so tests never see each other's mail."""

from __future__ import annotations

import imaplib
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass

USER = "desk@mail.example"
PASSWORD = "correct horse battery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class ImapServer:
    host: str
    port: int
    process: subprocess.Popen
    user: str = USER
    password: str = PASSWORD

    def _client(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4(self.host, self.port, timeout=10)
        client.login(self.user, self.password)
        return client

    def new_folder(self) -> str:
        name = f"Support-{uuid.uuid4().hex[:8]}"
        client = self._client()
        try:
            assert client.create(name)[0] == "OK"
        finally:
            client.logout()
        return name

    def append(self, folder: str, *messages: bytes) -> None:
        client = self._client()
        try:
            for raw in messages:
                status, data = client.append(folder, None, None, raw)
                assert status == "OK", data
        finally:
            client.logout()

    def recreate(self, folder: str) -> None:
        """Delete the folder and make it again: a new UIDVALIDITY, UIDs from the start."""
        client = self._client()
        try:
            assert client.delete(folder)[0] == "OK"
            assert client.create(folder)[0] == "OK"
        finally:
            client.logout()

    def unseen(self, folder: str) -> int:
        client = self._client()
        try:
            client.select(folder, readonly=True)
            _, data = client.search(None, "UNSEEN")
            return len(data[0].split())
        finally:
            client.logout()


def start() -> ImapServer:
    port = _free_port()
    command = [
        sys.executable,
        "-c",
        "from pymap.main import main; main()",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-tls",
        "--no-service",
        "admin",
        "dict",
        "--demo-user",
        USER,
        "--demo-password",
        PASSWORD,
    ]
    # A file, not a pipe: a pipe nobody reads would stall the server once full.
    errors = tempfile.TemporaryFile()  # noqa: SIM115 - open while the server runs
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            errors.seek(0)
            raise RuntimeError(f"pymap exited: {errors.read().decode()[-2000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return ImapServer("127.0.0.1", port, process)
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("pymap did not start listening within 30 s")


def stop(server: ImapServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()

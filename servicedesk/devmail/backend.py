"""The development mail backend: keep every mail in the outbox, say so in one console line.

Django's console backend prints mail quoted-printable, so a long link comes out cut by `=`
line ends and breaks when copied. This prints each link whole instead, and the full mail is
at /dev/mail/ (or in the .eml file).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from servicedesk.devmail.outbox import mail_parse, mail_save, outbox_dir


class EmailBackend(BaseEmailBackend):
    """OPTIONS: ``directory`` (default: the MAIL_OUTBOX_DIR setting), ``stream`` (stdout)."""

    def __init__(
        self, *, directory: str | Path | None = None, stream: TextIO | None = None, **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self.directory = Path(directory) if directory else outbox_dir()
        self.stream = stream
        self._lock = threading.Lock()

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            path = mail_save(message=message, directory=self.directory)
            self._announce(path)
            sent += 1
        return sent

    def _announce(self, path: Path) -> None:
        mail = mail_parse(name=path.stem, data=path.read_bytes())
        line = f"[mail] to {mail.to or '(no To)'}: {mail.subject!r}"
        if mail.links:
            line += "  " + "  ".join(mail.links)
        stream = self.stream or sys.stdout
        with self._lock:
            stream.write(f"{line}\n")
            stream.flush()

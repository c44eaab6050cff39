"""Reading a mailbox over IMAP (imaplib), read-only.

The folder is opened with EXAMINE and messages fetched with ``BODY.PEEK[]``: nothing on the
server changes, not even the \\Seen flag. What was read is remembered by UID (RFC 3501: UIDs
only grow within one UIDVALIDITY of a folder), so a message is fetched once.

Every failure becomes a ``MailboxError`` whose message an admin can act on, tagged with the
form field it is about.
"""

from __future__ import annotations

import base64
import imaplib
import re
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from tickets.mail.models import ImapSecurity

# Seconds any one network operation may take (connect, a command, a read).
TIMEOUT = 30


class MailboxError(Exception):
    """What went wrong, in words for the admin; ``field`` names the setting it is about."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Account:
    host: str
    port: int
    security: str
    username: str
    password: str
    folder: str

    def __repr__(self) -> str:  # the password never reaches a log or a traceback
        return f"Account({self.username}@{self.host}:{self.port}/{self.folder})"


def _tls() -> ssl.SSLContext:
    return ssl.create_default_context()


def _open(account: Account) -> imaplib.IMAP4:
    where = f"{account.host}:{account.port}"
    try:
        if account.security == ImapSecurity.SSL:
            return imaplib.IMAP4_SSL(
                account.host, account.port, ssl_context=_tls(), timeout=TIMEOUT
            )
        conn = imaplib.IMAP4(account.host, account.port, timeout=TIMEOUT)
        if account.security == ImapSecurity.STARTTLS:
            try:
                conn.starttls(ssl_context=_tls())
            except imaplib.IMAP4.error as error:
                conn.shutdown()
                raise MailboxError(
                    f"{where} doesn't offer STARTTLS ({_text(error)}): choose SSL/TLS, "
                    "usually on port 993.",
                    field="security",
                ) from None
        return conn
    except MailboxError:
        raise
    except socket.gaierror:
        raise MailboxError(
            f"No server is known by the name {account.host}.", field="host"
        ) from None
    except ssl.SSLCertVerificationError as error:
        raise MailboxError(
            f"{where}'s certificate can't be trusted ({error.verify_message}).", field="host"
        ) from None
    except ssl.SSLError as error:
        raise MailboxError(
            f"The secure connection to {where} failed ({error.reason or error}): check the "
            "port and the security setting.",
            field="security",
        ) from None
    except TimeoutError:
        raise MailboxError(
            f"{where} didn't answer within {TIMEOUT} seconds.", field="host"
        ) from None
    except ConnectionRefusedError:
        raise MailboxError(
            f"{where} refused the connection: check the host and the port.", field="port"
        ) from None
    except (OSError, imaplib.IMAP4.error) as error:
        raise MailboxError(f"{where} can't be reached ({_text(error)}).", field="host") from None


def _text(error: BaseException) -> str:
    """An error's message (imaplib puts the server's bytes in it), short and printable."""
    raw = error.args[0] if error.args else error
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", "replace")
    text = " ".join(str(raw).split()) or type(error).__name__
    return text[:200]


def _login(conn: imaplib.IMAP4, account: Account) -> None:
    if (account.username + account.password).isascii():
        conn.login(account.username, account.password)
        return
    # LOGIN takes ASCII only; SASL PLAIN carries UTF-8 (RFC 4616).
    if "AUTH=PLAIN" not in conn.capabilities:
        raise MailboxError(
            "The server takes only plain ASCII user names and passwords.", field="password"
        )
    plain = b"\0" + account.username.encode() + b"\0" + account.password.encode()
    conn.authenticate("PLAIN", lambda _challenge: plain)


@contextmanager
def session(account: Account) -> Iterator[imaplib.IMAP4]:
    """A logged-in connection, logged out (or dropped) afterwards."""
    conn = _open(account)
    try:
        try:
            _login(conn, account)
        except imaplib.IMAP4.abort as error:
            raise MailboxError(
                f"The server closed the connection at login ({_text(error)}).", field="host"
            ) from None
        except imaplib.IMAP4.error as error:
            raise MailboxError(
                f"The server refused the user name or password ({_text(error)}).",
                field="password",
            ) from None
        yield conn
    except (OSError, imaplib.IMAP4.abort) as error:
        raise MailboxError(
            f"The connection to {account.host} broke off ({_text(error)}).", field="host"
        ) from None
    except imaplib.IMAP4.error as error:
        raise MailboxError(f"The server refused a command ({_text(error)}).") from None
    finally:
        try:
            conn.logout()
        except (OSError, imaplib.IMAP4.error):
            conn.shutdown()


def _utf7(name: str) -> str:
    """A folder name in IMAP's modified UTF-7 (RFC 3501 §5.1.3)."""
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            encoded = base64.b64encode("".join(pending).encode("utf-16-be")).decode()
            out.append("&" + encoded.rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for char in name:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            out.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    return "".join(out)


def _quoted(folder: str) -> str:
    escaped = _utf7(folder).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def examine(conn: imaplib.IMAP4, folder: str) -> int:
    """Open ``folder`` read-only; its UIDVALIDITY."""
    status, data = conn.select(_quoted(folder), readonly=True)
    if status != "OK":
        said = _text(imaplib.IMAP4.error(data[0] if data else b""))
        raise MailboxError(f"The folder “{folder}” can't be opened ({said}).", field="folder")
    _, values = conn.response("UIDVALIDITY")
    for value in values or ():
        if value:
            return int(value)
    raise MailboxError("The server didn't say the folder's UIDVALIDITY.", field="folder")


def uids_after(conn: imaplib.IMAP4, last_uid: int) -> list[int]:
    """UIDs above ``last_uid``, oldest first."""
    status, data = conn.uid("SEARCH", "UID", f"{last_uid + 1}:*")
    if status != "OK":
        raise MailboxError(f"The server refused to list new mail ({_text(Exception(data))}).")
    found = {int(uid) for chunk in data if chunk for uid in chunk.split()}
    # "n:*" always matches the highest UID, even one below n (RFC 3501 §6.4.8).
    return sorted(uid for uid in found if uid > last_uid)


def sizes(conn: imaplib.IMAP4, uids: list[int]) -> dict[int, int]:
    """Each message's size in bytes, read before fetching it."""
    if not uids:
        return {}
    status, data = conn.uid("FETCH", ",".join(map(str, uids)), "(RFC822.SIZE)")
    if status != "OK":
        raise MailboxError(f"The server refused to list new mail ({_text(Exception(data))}).")
    found = {}
    for line in data:
        head = line[0] if isinstance(line, tuple) else line
        uid = re.search(rb"UID (\d+)", head or b"")
        size = re.search(rb"RFC822\.SIZE (\d+)", head or b"")
        if uid and size:
            found[int(uid[1])] = int(size[1])
    return found


def fetch(conn: imaplib.IMAP4, uid: int) -> bytes | None:
    """The raw message with ``uid``, unread flags untouched; None if it is gone."""
    status, data = conn.uid("FETCH", str(uid), "(BODY.PEEK[])")
    if status != "OK":
        raise MailboxError(f"The server refused message {uid} ({_text(Exception(data))}).")
    for item in data:
        if isinstance(item, tuple) and b"BODY[]" in item[0].upper():
            return bytes(item[1])
    return None


def check(account: Account) -> tuple[int, int]:
    """Log in and open the folder, as a poll will: (UIDVALIDITY, highest UID there)."""
    with session(account) as conn:
        validity = examine(conn, account.folder)
        uids = uids_after(conn, 0)
    return validity, (uids[-1] if uids else 0)

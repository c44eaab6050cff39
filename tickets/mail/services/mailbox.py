"""A mailbox an admin connects (IMAP), polled by beat: each new message goes the way mail
from the SMTP receiver goes (``inbound_store``), in this System's schema.

Polling is read-only (tickets.mail.imap): nothing is moved, deleted or marked read on the
server. The place reached is the folder's UIDVALIDITY and the last UID stored, advanced in
the same transaction as each stored message, so a crash re-reads nothing; a new UIDVALIDITY
(the folder was recreated) reads the folder again, and the Message-ID dedupe keeps that from
opening a ticket twice. One poll per System at a time (a Redis lease), at most POLL_LIMIT
messages per poll, so a full mailbox never holds a worker for long.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from accounts.models import AuditEvent, User
from accounts.permissions import Perm, require
from accounts.services.audit import audit_record
from servicedesk.leases import Lease
from servicedesk.queue import enqueue_on_commit
from servicedesk.schema import current_schema
from tenants.models import System
from tickets.mail import imap
from tickets.mail.imap import Account, MailboxError
from tickets.mail.models import ImapSecurity, InboundMessage, MailSettings
from tickets.mail.secrets import SecretUnreadable, secret_is_current, secret_open, secret_seal
from tickets.mail.services.intake import RECEIVING, inbound_store

log = logging.getLogger(__name__)

POLL = "tickets.mail.tasks.mailbox_poll"
POLL_EVERY_SECONDS = 60
POLL_LIMIT = 200
# Renewed while the poll runs; lapses this long after a worker dies mid-poll.
LEASE_SECONDS = 120


@dataclass(frozen=True)
class PollResult:
    stored: int = 0
    duplicates: int = 0
    too_big: int = 0
    busy: bool = False
    error: str = ""


def mailbox_settings() -> MailSettings:
    """This System's mail settings (unsaved defaults when it has none yet): for reading."""
    return MailSettings.objects.first() or MailSettings()


def _where(row: MailSettings) -> str:
    if not row.imap_host:
        return ""
    return f"{row.imap_username}@{row.imap_host}:{row.imap_port}/{row.imap_folder}"


def _validated(
    *, host: str, port: int, security: str, username: str, folder: str
) -> dict[str, str]:
    errors = {}
    if not host or any(c.isspace() for c in host) or "/" in host:
        errors["host"] = _("Give the server's name, such as imap.example.com.")
    if not 1 <= port <= 65535:
        errors["port"] = _("A port is a number from 1 to 65535 (IMAP uses 993, or 143).")
    if security not in ImapSecurity.values:
        errors["security"] = _("Choose how the connection is secured.")
    if not username:
        errors["username"] = _("Give the user name the server knows the mailbox by.")
    if len(folder) > 255 or any(c in folder for c in "\r\n"):
        errors["folder"] = _("Give the folder's name as the server shows it, such as INBOX.")
    return errors


def _stored_password(row: MailSettings, account: Account) -> str | None:
    """The stored password, for the server it was given for only: sent to another host or
    user, or over a weaker connection, it would leak to whoever controls that."""
    if not row.imap_password or (
        row.imap_host,
        row.imap_port,
        row.imap_security,
        row.imap_username,
    ) != (account.host, account.port, account.security, account.username):
        return None
    try:
        return secret_open(row.imap_password)
    except SecretUnreadable:
        return None


def mailbox_configure(
    *,
    actor: User,
    host: str,
    port: int,
    security: str,
    username: str,
    password: str,
    folder: str,
    only_new: bool = False,
) -> MailSettings:
    """Connect the mailbox: a login and the folder are tried first, and a failure refuses
    with what went wrong (nothing is saved). An empty ``password`` keeps the stored one, for
    the same server, port, security and user only. ``only_new`` leaves the messages already
    in the folder alone: only mail arriving later becomes tickets."""
    require(actor, Perm.MANAGE_MAIL)
    host, username, folder = host.strip().lower(), username.strip(), folder.strip() or "INBOX"
    errors = _validated(host=host, port=port, security=security, username=username, folder=folder)
    if errors:
        raise ValidationError(errors)
    current = mailbox_settings()
    account = Account(host, port, security, username, password, folder)
    if not password:
        stored = _stored_password(current, account)
        if stored is None:
            raise ValidationError({"password": _("Give the mailbox's password.")})
        account = Account(host, port, security, username, stored, folder)
    try:
        # Outside the transaction: no row stays locked while a server takes its time.
        validity, highest = imap.check(account)
    except MailboxError as error:
        raise ValidationError({error.field or NON_FIELD_ERRORS: error.message}) from None
    with transaction.atomic():
        row = MailSettings.objects.select_for_update().first() or MailSettings()
        before = _where(row) if row.imap_enabled else ""
        place = (row.imap_host, row.imap_username, row.imap_folder, row.imap_uidvalidity)
        same_place = place == (host, username, folder, validity)
        row.imap_enabled = True
        row.imap_host, row.imap_port, row.imap_security = host, port, security
        row.imap_username, row.imap_folder = username, folder
        row.imap_password = secret_seal(account.password)
        row.imap_error = ""
        if not same_place:
            row.imap_uidvalidity, row.imap_last_uid = validity, 0
        if only_new:
            row.imap_last_uid = max(row.imap_last_uid, highest)
        row.save()
        audit_record(
            action=AuditEvent.Action.SETTINGS_CHANGED,
            actor=actor,
            detail={"mailbox": [before, _where(row)]},
        )
    return row


@transaction.atomic
def mailbox_disable(*, actor: User) -> MailSettings:
    """Stop polling, and forget the password (the server, user and place stay, so connecting
    the same mailbox again reads on from where it stopped)."""
    require(actor, Perm.MANAGE_MAIL)
    row = MailSettings.objects.select_for_update().first() or MailSettings()
    was = _where(row) if row.imap_enabled else ""
    row.imap_enabled, row.imap_password, row.imap_error = False, "", ""
    row.save()
    if was:
        audit_record(
            action=AuditEvent.Action.SETTINGS_CHANGED, actor=actor, detail={"mailbox": [was, ""]}
        )
    return row


def mailbox_check_now(*, actor: User) -> None:
    """An admin asks for a poll now rather than within the minute: a worker does it."""
    require(actor, Perm.MANAGE_MAIL)
    enqueue_on_commit(POLL)


def mailboxes_to_poll() -> list[str]:
    """Schemas of the receiving Systems with a mailbox connected (from the public schema)."""
    found = []
    schemas = System.objects.filter(status__in=RECEIVING).values_list("schema_name", flat=True)
    for schema in schemas:
        with schema_context(schema):
            if MailSettings.objects.filter(imap_enabled=True).exists():
                found.append(schema)
    return found


def mailbox_poll(*, limit: int = POLL_LIMIT) -> PollResult:
    """Read this System's mailbox from where it stopped. A poll already running here (another
    beat's) makes this one a no-op; a failure is kept on the settings for the admin."""
    lease = Lease(f"mailbox-poll:{current_schema()}", ttl=LEASE_SECONDS)
    if not lease.take():
        return PollResult(busy=True)
    try:
        return _poll(limit=limit)
    finally:
        lease.release()


def _poll(*, limit: int) -> PollResult:
    row = MailSettings.objects.filter(imap_enabled=True).first()
    if row is None:
        return PollResult()
    try:
        password = secret_open(row.imap_password)
    except SecretUnreadable:
        return _finish(
            row,
            error="The stored password can't be read (the credentials key changed): "
            "enter it again and save.",
        )
    account = Account(
        row.imap_host, row.imap_port, row.imap_security, row.imap_username, password,
        row.imap_folder,
    )  # fmt: skip
    counts = {"stored": 0, "duplicates": 0, "too_big": 0}
    try:
        with imap.session(account) as conn:
            validity = imap.examine(conn, account.folder)
            last = row.imap_last_uid
            if validity != row.imap_uidvalidity:
                if row.imap_uidvalidity is not None:
                    log.warning(
                        "mailbox of %s: UIDVALIDITY changed, reading it again", current_schema()
                    )
                last = 0
                if not _advance(row, validity=validity, uid=0):
                    return PollResult()
            uids = imap.uids_after(conn, last)[:limit]
            _read(conn, row, account, validity=validity, uids=uids, counts=counts)
    except MailboxError as error:
        return _finish(row, error=error.message, **counts)
    if not secret_is_current(row.imap_password):
        MailSettings.objects.filter(pk=row.pk, imap_password=row.imap_password).update(
            imap_password=secret_seal(password)
        )
    return _finish(row, error="", **counts)


def _read(conn, row: MailSettings, account: Account, *, validity: int, uids, counts) -> None:
    largest = settings.MAIL_MAX_MESSAGE_MB * 1024 * 1024
    size_of = imap.sizes(conn, uids)
    recipients = [account.username.lower()] if "@" in account.username else []
    for uid in uids:
        raw = None
        if size_of.get(uid, 0) > largest:
            # Left on the server: the SMTP receiver would refuse it too.
            counts["too_big"] += 1
            log.warning(
                "mailbox of %s: message UID %d is over the size limit", current_schema(), uid
            )
        else:
            raw = imap.fetch(conn, uid)
        with transaction.atomic():
            if not _advance(row, validity=validity, uid=uid):
                return  # the admin changed or disabled the mailbox meanwhile
            if raw is not None:
                stored = inbound_store(raw=raw, via=InboundMessage.Via.IMAP, recipients=recipients)
                counts["duplicates" if stored.duplicate else "stored"] += 1


def _advance(row: MailSettings, *, validity: int, uid: int) -> bool:
    """Remember the place reached, unless the mailbox was changed under this poll."""
    return bool(
        MailSettings.objects.filter(
            pk=row.pk,
            imap_enabled=True,
            imap_host=row.imap_host,
            imap_username=row.imap_username,
            imap_folder=row.imap_folder,
        ).update(imap_uidvalidity=validity, imap_last_uid=uid)
    )


def _finish(
    row: MailSettings, *, error: str, stored: int = 0, duplicates: int = 0, too_big: int = 0
) -> PollResult:
    if error:
        # The message names the server and the failure, never the password.
        log.warning("mailbox of %s: %s", current_schema(), error)
    MailSettings.objects.filter(pk=row.pk).update(imap_checked_at=timezone.now(), imap_error=error)
    return PollResult(stored=stored, duplicates=duplicates, too_big=too_big, error=error)

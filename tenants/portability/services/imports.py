"""Imports: a new System made from an export archive, the proof that exports are whole.

The archive is verified entirely (signature, every checksum, every size) before anything
is made. Then one transaction claims a schema, loads every row with COPY, and writes the
System's settings; files are written next to it. If anything fails, the transaction rolls
back (the schema goes back to the pool untouched) and the files written so far are
removed: nothing is left half-made.

Only what an export writes comes in: every row may hold only the columns
``contents.columns`` gives its model. An archive holding a secret or derived column (a
password hash, an invitation token, a search vector) or one this code doesn't know is
refused with the reason; the operator's notes that older exports wrote are dropped.

People keep their accounts, roles and history, but not their passwords (never exported):
each sets a new one through "forgot password". Pending invitations get new tokens, so the
links already mailed are dead; admins send them again. An archive not signed by this
deployment is trusted less still: its people are each emailed a link to choose a password,
and every stored rendering (``*_html``) is made again from its Markdown, so no HTML from
outside is ever shown as safe.
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zipfile import BadZipFile, ZipFile

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import AuditEvent, User
from accounts.services.audit import audit_record
from servicedesk import mail
from servicedesk.markdown import render_markdown
from servicedesk.queue import enqueue_on_commit
from servicedesk.tokens import new_token
from tenants import selectors
from tenants.models import Customer, System
from tenants.onboarding import services as tenant_services
from tenants.portability.models import SystemImport
from tenants.portability.services import archive, contents
from tenants.portability.services.archive import ArchiveError
from tickets import search
from tickets.event_values import event_codes_convert
from tickets.kb import search as kb_search
from tickets.kb.models import Article
from tickets.models import InboundMessage, Ticket

# The names our storage gives files, per kind: anything else in an archive is refused.
STORED_NAME = re.compile(
    r"^(attachments/[0-9]{4}/[0-9]{2}/[0-9a-f]{32}"
    r"|mail/inbound/[0-9]{4}/[0-9]{2}/[0-9a-f]{32}\.eml)$"
)
SETTINGS_KEYS = ("idle_timeout_minutes", "invite_expiry_days", "attachment_max_mb")
# An imported operator access record keeps its history but names no operator here (ids
# are never 0), so it can never open the new System to anyone.
NO_OPERATOR = 0


def import_queue(
    *,
    path: Path,
    slug: str,
    by: str,
    name: str | None = None,
    customer: Customer | None = None,
    trust_foreign: bool = False,
) -> SystemImport:
    """Import in a worker (from admin): the record shows how it went."""
    record = SystemImport.objects.create(
        slug=slug, archive_name=path.name, by=by, archive_sha256=_sha256(path)
    )
    enqueue_on_commit(
        "tenants.tasks.system_import",
        record_id=record.pk,
        path=str(path),
        name=name,
        customer_id=customer.pk if customer else None,
        trust_foreign=trust_foreign,
    )
    return record


def system_import(
    *,
    path: Path,
    slug: str,
    by: str,
    name: str | None = None,
    customer: Customer | None = None,
    trust_foreign: bool = False,
    record: SystemImport | None = None,
) -> System:
    """Make a new System at ``slug`` from the archive at ``path``. Raises ArchiveError or
    ValidationError with the reason, leaving nothing behind."""
    if record is None:
        record = SystemImport.objects.create(
            slug=slug, archive_name=path.name, by=by, archive_sha256=_sha256(path)
        )
    try:
        try:
            zipped = ZipFile(path)
        except (BadZipFile, OSError) as error:
            raise ArchiveError(f"This is not a readable zip file ({error}).") from None
        with zipped:
            manifest = archive.verify(zipped, trust_foreign=trust_foreign)
            system = _load(
                zipped,
                manifest,
                slug=slug,
                name=name,
                customer=customer,
                by=by,
                signed=archive.signature_ok(manifest),
            )
    except (ArchiveError, ValidationError) as error:
        reason = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        SystemImport.objects.filter(pk=record.pk).update(
            status=SystemImport.Status.REFUSED, reason=reason, finished_at=timezone.now()
        )
        raise
    SystemImport.objects.filter(pk=record.pk).update(
        system=system,
        status=SystemImport.Status.DONE,
        source_slug=manifest["system"]["slug"] or "",
        counts={n: e["rows"] for n, e in manifest["files"].items() if "rows" in e},
        finished_at=timezone.now(),
    )
    return system


def _sha256(path: Path) -> str:

    digest = hashlib.sha256()
    try:
        with path.open("rb") as source:
            while chunk := source.read(contents.FILE_CHUNK):
                digest.update(chunk)
    except OSError:
        return ""
    return digest.hexdigest()


def _load(
    zipped: ZipFile,
    manifest: dict,
    *,
    slug: str,
    name: str | None,
    customer: Customer | None,
    by: str,
    signed: bool,
) -> System:
    facts = archive.read_json(zipped, "system.json")
    written: list[Path] = []
    try:
        with transaction.atomic():
            if customer is None:
                customer = tenant_services.customer_create(
                    name=facts["customer"]["name"] or facts["name"],
                    email=facts["customer"]["email"] or facts["owner_email"],
                )
            system = tenant_services.system_create(
                customer=customer, name=name or facts["name"], slug=slug
            )
            with schema_context(system.schema_name):
                counts = _load_rows(zipped, manifest, render=not signed)
                written = _load_files(zipped)
                written += _load_raw_mail(zipped)
                _after_rows()
                audit_record(
                    action=AuditEvent.Action.SYSTEM_IMPORTED,
                    actor_label_override=f"Operator ({by})",
                    target=f"{facts['slug']} exported {manifest['exported_at'][:10]}",
                    detail={"rows": sum(counts.values()), "signed_here": signed},
                )
                if not signed:
                    _passwords_to_choose(system)
            _load_public(zipped, manifest, system)
            _settings(system, facts)
    except Exception:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return system


def _tenant_labels() -> dict[str, type[models.Model]]:
    return {model._meta.label_lower: model for model in contents.tenant_models()}


def _load_rows(zipped: ZipFile, manifest: dict, *, render: bool) -> dict[str, int]:
    known = _tenant_labels()
    counts = {}
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    for entry_name in manifest["files"]:
        if not entry_name.startswith("data/") or entry_name.startswith("data/public/"):
            continue
        label = entry_name.removeprefix("data/").removesuffix(".json")
        if label in contents.SKIPPED_MODELS:
            raise ArchiveError(
                f"{entry_name}: an export never holds this (sessions, second factors, "
                "sign-in links and the like stay where they were made); refused."
            )
        model = known.get(label)
        if model is None:
            raise ArchiveError(f"{entry_name}: this Service Desk has no such kind of data.")
        counts[label] = _copy(model, archive.read_rows(zipped, entry_name), render=render)
        if counts[label] != manifest["files"][entry_name]["rows"]:
            raise ArchiveError(f"{entry_name} holds a different number of rows than listed.")
    return counts


def _check_columns(model: type[models.Model], row: dict, allowed: frozenset[str]) -> None:
    """A row may hold only what an export writes for its model. The operator's notes that
    older exports wrote are dropped; anything else is refused."""
    if row.keys() <= allowed:
        return
    label = model._meta.label_lower
    by_attname = {field.attname: field.name for field in model._meta.concrete_fields}
    notes = contents.OPERATOR_NOTES.get(label, set())
    for attname in [a for a in row if a not in allowed and by_attname.get(a) in notes]:
        del row[attname]
    extra = set(row) - allowed
    if not extra:
        return
    hidden = sorted(a for a in extra if by_attname.get(a) in contents.HIDDEN_FIELDS.get(label, ()))
    if hidden:
        raise ArchiveError(
            f"{label} holds {', '.join(hidden)}, which an export never writes (secrets such "
            "as password hashes and invitation tokens, and what is derived on import): this "
            "archive was not made by a Service Desk export; refused."
        )
    raise ArchiveError(
        f"{label} has columns this Service Desk doesn't know: {', '.join(sorted(extra))}."
    )


def rendered_columns(model: type[models.Model]) -> dict[str, str | None]:
    """Every stored rendering of the model (``<name>_html``) and the Markdown it is made
    from (``<name>``; None when there is none)."""
    names = {field.name: field.attname for field in model._meta.concrete_fields}
    return {
        attname: names.get(name.removesuffix("_html"))
        for name, attname in names.items()
        if name.endswith("_html")
    }


def _render(row: dict, renderings: dict[str, str | None]) -> dict:
    """Make every rendering again from its Markdown; one without a source is left empty
    (pages render the Markdown when they find none)."""
    for target, source in renderings.items():
        text = row.get(source) if source else None
        row[target] = str(render_markdown(text)) if text else ""
    return row


def _copy(model: type[models.Model], rows: Iterator[dict], *, render: bool) -> int:
    """COPY rows into the model's table: raw values, so nothing (auto_now, signals) alters
    them on the way in."""
    fields = [field for field in model._meta.concrete_fields]
    allowed = frozenset(contents.columns(model))
    renderings = rendered_columns(model) if render else {}
    first = next(rows, None)
    if first is None:
        return 0
    table = connection.ops.quote_name(model._meta.db_table)
    column_names = [str(field.column) for field in fields]
    quoted = ", ".join(connection.ops.quote_name(c) for c in column_names)
    count = 0
    with connection.cursor() as cursor:
        # Table names come from our models, never from the archive.
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - a fresh schema may carry seed rows
        with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
            for row in _chain(first, rows):
                _check_columns(model, row, allowed)
                if renderings:
                    _render(row, renderings)
                copy.write_row([_db_value(field, row) for field in fields])
                count += 1
    return count


def _chain(first: dict, rest: Iterator[dict]) -> Iterator[dict]:
    yield first
    yield from rest


def _db_value(field: models.Field, row: dict) -> Any:
    label = field.model._meta.label_lower
    if field.attname not in row:
        if field.name == "token_hash":
            return new_token()[1]  # invitations arrive unusable; admins send them again
        if field.name == "password":
            return "!" + new_token()[0][:40]  # unusable: each person sets a new one
        if field.null:
            return None
        default = field.get_default()
        return field.get_db_prep_save(default, connection)
    value = row[field.attname]
    if value is None:
        return None
    if (
        isinstance(value, dict)
        and set(value) == {"base64"}
        and isinstance(field, models.BinaryField)
    ):
        return base64.b64decode(value["base64"])
    if isinstance(field, models.FileField) and value and not STORED_NAME.match(value):
        raise ArchiveError(f"{label}: the stored file name {value!r} is not one of ours.")
    return field.get_db_prep_save(field.to_python(value), connection)


def _load_files(zipped: ZipFile) -> list[Path]:
    """Write every attachment where its row says it lives, in this schema's files."""

    written = []
    rows = contents.attachments_with_bytes().values_list(
        "pk", "ticket__number", "original_name", "file"
    )
    for pk, number, original_name, stored in rows.iterator(chunk_size=contents.CHUNK):
        name = contents.attachment_path(
            number=number, attachment_id=pk, original_name=original_name
        )
        try:
            info = zipped.getinfo(name)
        except KeyError:
            raise ArchiveError(f"{name} is missing: the file of attachment {pk}.") from None
        target = Path(default_storage.path(stored))
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipped.open(info) as source, target.open("wb") as out:
            shutil.copyfileobj(source, out, contents.FILE_CHUNK)
        written.append(target)
    return written


def _load_raw_mail(zipped: ZipFile) -> list[Path]:
    """Write every message as it arrived where its row says it lives. Archives made before
    mail went into them name no file: those rows keep their line and lose the original."""
    written = []
    missing = []
    rows = contents.raw_mail_with_bytes().values_list("pk", "raw")
    for pk, stored in rows.iterator(chunk_size=contents.CHUNK):
        try:
            info = zipped.getinfo(contents.raw_mail_path(message_id=pk))
        except KeyError:
            missing.append(pk)
            continue
        target = Path(default_storage.path(stored))
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipped.open(info) as source, target.open("wb") as out:
            shutil.copyfileobj(source, out, contents.FILE_CHUNK)
        written.append(target)
    if missing:
        InboundMessage.objects.filter(pk__in=missing).update(raw="", size=0)
    return written


def _after_rows() -> None:
    """What the database derives: sequences past the highest ids, ticket numbers, search;
    and what older archives hold in an older form (the history's status labels)."""
    event_codes_convert()
    # The reports' rollup is not in the archive: built again.
    enqueue_on_commit("tickets.reports.tasks.report_rollup", rebuild=True)

    with connection.cursor() as cursor:
        for model in contents.tenant_models():
            key = model._meta.pk
            if not isinstance(key, models.AutoField | models.BigAutoField) or not key.column:
                continue
            column = connection.ops.quote_name(key.column)
            table = connection.ops.quote_name(model._meta.db_table)
            highest = f"(SELECT MAX({column}) FROM {table})"  # noqa: S608 - our names
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE({highest}, 0) + 1, false)",
                [model._meta.db_table, key.column],
            )
        cursor.execute(
            "SELECT setval('tickets_number_seq', "
            "COALESCE((SELECT MAX(number) FROM tickets_ticket), 0) + 1, false)"
        )
    ids = Ticket.objects.order_by("pk").values_list("pk", flat=True)
    batch: list[int] = []
    for pk in ids.iterator(chunk_size=contents.CHUNK):
        batch.append(pk)
        if len(batch) == 5000:
            search.refresh(batch)
            batch = []
    search.refresh(batch)
    kb_search.refresh(Article.objects.values_list("pk", flat=True))


def _load_public(zipped: ZipFile, manifest: dict, system: System) -> None:
    """The System's history kept in public (consents, operator access, takedowns...):
    new rows for the new System, with their links to each other kept."""
    new_ids: dict[str, dict[int, int]] = {}
    for label, path in contents.PUBLIC_DATA.items():
        model = apps.get_model(label)
        entry = contents.data_name(model, public=True)
        if entry not in manifest["files"]:
            continue
        link = path.split("__")[0]
        by_attname = {field.attname: field for field in model._meta.concrete_fields}
        allowed = frozenset(contents.columns(model))
        new_ids[label] = {}
        for row in archive.read_rows(zipped, entry):
            _check_columns(model, row, allowed)
            old_id = row.pop("id")
            values: dict[str, Any] = (
                {"operator_id": NO_OPERATOR} if "operator_id" in by_attname else {}
            )
            for attname, value in row.items():
                field = by_attname[attname]
                if field.name == link and link == "system":
                    values["system_id"] = system.pk
                elif field.is_relation and value is not None:
                    target = field.related_model._meta.label_lower
                    values[attname] = new_ids.get(target, {}).get(value)
                else:
                    values[attname] = field.to_python(value)
            with schema_context("public"):
                made = model._base_manager.create(**values)
            new_ids[label][old_id] = made.pk


def _passwords_to_choose(system: System) -> None:
    """Mail every active person of an imported System a link to choose a password (the
    worker sends it once the import commits). It is allauth's reset link: it stops working
    once used, or once the password changes."""

    def url(name: str, **kwargs: str) -> str:
        # A System's URLs, whichever site (admin, command, worker) runs the import.
        path = reverse(name, kwargs=kwargs or None, urlconf=settings.ROOT_URLCONF)
        return selectors.system_url(system=system, path=path)

    login_url = url("account_login")
    people = User.objects.filter(is_active=True).order_by("pk")
    for person in people.iterator(chunk_size=contents.CHUNK):
        reset_url = url(
            "account_reset_password_from_key",
            uidb36=user_pk_to_url_str(person),
            key=default_token_generator.make_token(person),
        )
        mail.send_templated(
            to=[person.email],
            template="import_choose_password",
            essential=True,
            context={
                "system": system,
                "person": person,
                "reset_url": reset_url,
                "login_url": login_url,
            },
        )


def _settings(system: System, facts: dict) -> None:
    with schema_context(system.schema_name):
        active = User.objects.filter(is_active=True).count()
        owner = User.objects.filter(role=User.Role.OWNER).values_list("email", flat=True).first()
    values = {key: facts["settings"][key] for key in SETTINGS_KEYS if key in facts["settings"]}
    System.objects.filter(pk=system.pk).update(
        **values,
        agents_may_delete=facts["settings"].get("agents_may_delete", False),
        consent_reference=facts["consents"]["reference"],
        consent_announcements=facts["consents"]["announcements"],
        seats_used=active,
        seat_cap=max(system.seat_cap, active),
        owner_email=owner or "",
    )
    system.refresh_from_db()

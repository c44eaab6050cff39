"""Imports: a new System made from an export archive, the proof that exports are whole.

The archive is verified entirely (signature, every checksum, every size) before anything
is made. Then one transaction claims a schema, loads every row with COPY, and writes the
System's settings; files are written next to it. If anything fails, the transaction rolls
back (the schema goes back to the pool untouched) and the files written so far are
removed: nothing is left half-made.

People keep their accounts, roles and history, but not their passwords (never exported):
each sets a new one through "forgot password". Pending invitations must be sent again.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zipfile import BadZipFile, ZipFile

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import AuditEvent, User
from accounts.services.audit import audit_record
from servicedesk.queue import enqueue_on_commit
from servicedesk.tokens import new_token
from tenants import services as tenant_services
from tenants.models import Customer, System, SystemImport
from tenants.services import archive, exports
from tenants.services.archive import ArchiveError

STORED_NAME = re.compile(r"^attachments/[0-9]{4}/[0-9]{2}/[0-9a-f]{32}$")
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
    from tenants.tasks import system_import as task

    record = SystemImport.objects.create(
        slug=slug, archive_name=path.name, by=by, archive_sha256=_sha256(path)
    )
    enqueue_on_commit(
        task,
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
            system = _load(zipped, manifest, slug=slug, name=name, customer=customer, by=by)
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
    import hashlib

    digest = hashlib.sha256()
    try:
        with path.open("rb") as source:
            while chunk := source.read(exports.FILE_CHUNK):
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
                counts = _load_rows(zipped, manifest)
                written = _load_files(zipped)
                _after_rows()
                audit_record(
                    action=AuditEvent.Action.SYSTEM_IMPORTED,
                    actor_label_override=f"Operator ({by})",
                    target=f"{facts['slug']} exported {manifest['exported_at'][:10]}",
                    detail={"rows": sum(counts.values())},
                )
            _load_public(zipped, manifest, system)
            _settings(system, facts)
    except Exception:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return system


def _tenant_labels() -> dict[str, type[models.Model]]:
    return {model._meta.label_lower: model for model in exports.tenant_models()}


def _load_rows(zipped: ZipFile, manifest: dict) -> dict[str, int]:
    known = _tenant_labels()
    counts = {}
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    for entry_name in manifest["files"]:
        if not entry_name.startswith("data/") or entry_name.startswith("data/public/"):
            continue
        label = entry_name.removeprefix("data/").removesuffix(".json")
        model = known.get(label)
        if model is None:
            raise ArchiveError(f"{entry_name}: this Service Desk has no such kind of data.")
        counts[label] = _copy(model, archive.read_rows(zipped, entry_name))
        if counts[label] != manifest["files"][entry_name]["rows"]:
            raise ArchiveError(f"{entry_name} holds a different number of rows than listed.")
    return counts


def _copy(model: type[models.Model], rows: Iterator[dict]) -> int:
    """COPY rows into the model's table: raw values, so nothing (auto_now, signals) alters
    them on the way in."""
    fields = [field for field in model._meta.concrete_fields]
    by_attname = {field.attname: field for field in fields}
    first = next(rows, None)
    if first is None:
        return 0
    unknown = set(first) - set(by_attname)
    if unknown:
        raise ArchiveError(
            f"{model._meta.label_lower} has columns this Service Desk doesn't know: "
            f"{', '.join(sorted(unknown))}."
        )
    table = connection.ops.quote_name(model._meta.db_table)
    column_names = [str(field.column) for field in fields]
    quoted = ", ".join(connection.ops.quote_name(c) for c in column_names)
    count = 0
    with connection.cursor() as cursor:
        # Table names come from our models, never from the archive.
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - a fresh schema may carry seed rows
        with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
            for row in _chain(first, rows):
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
        import base64

        return base64.b64decode(value["base64"])
    if isinstance(field, models.FileField) and value and not STORED_NAME.match(value):
        raise ArchiveError(f"{label}: the stored file name {value!r} is not one of ours.")
    return field.get_db_prep_save(field.to_python(value), connection)


def _load_files(zipped: ZipFile) -> list[Path]:
    """Write every attachment where its row says it lives, in this schema's files."""
    from tickets.models import Attachment

    written = []
    rows = Attachment.objects.order_by("pk").values_list(
        "pk", "ticket__number", "original_name", "file"
    )
    for pk, number, original_name, stored in rows.iterator(chunk_size=exports.CHUNK):
        name = exports.attachment_path(number=number, attachment_id=pk, original_name=original_name)
        try:
            info = zipped.getinfo(name)
        except KeyError:
            raise ArchiveError(f"{name} is missing: the file of attachment {pk}.") from None
        target = Path(default_storage.path(stored))
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipped.open(info) as source, target.open("wb") as out:
            shutil.copyfileobj(source, out, exports.FILE_CHUNK)
        written.append(target)
    return written


def _after_rows() -> None:
    """What the database derives: sequences past the highest ids, ticket numbers, search."""
    from tickets import search
    from tickets.models import Ticket

    with connection.cursor() as cursor:
        for model in exports.tenant_models():
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
    for pk in ids.iterator(chunk_size=exports.CHUNK):
        batch.append(pk)
        if len(batch) == 5000:
            search.refresh(batch)
            batch = []
    search.refresh(batch)


def _load_public(zipped: ZipFile, manifest: dict, system: System) -> None:
    """The System's history kept in public (consents, operator access, takedowns...):
    new rows for the new System, with their links to each other kept."""
    new_ids: dict[str, dict[int, int]] = {}
    for label, path in exports.PUBLIC_DATA.items():
        model = apps.get_model(label)
        entry = exports.data_name(model, public=True)
        if entry not in manifest["files"]:
            continue
        link = path.split("__")[0]
        by_attname = {field.attname: field for field in model._meta.concrete_fields}
        new_ids[label] = {}
        for row in archive.read_rows(zipped, entry):
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

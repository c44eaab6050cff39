"""Writing the archive: the System's rows as JSON, tickets as CSV, every attached file, and
the manifest, with a progress meter the page reads from Redis."""

from __future__ import annotations

import csv
import io
import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZIP_STORED, ZipFile, ZipInfo

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.db.models import StringAgg, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_tenants.utils import schema_context

from servicedesk import redis
from servicedesk.spreadsheet import csv_cell
from tenants.models import System
from tenants.portability.models import Export
from tenants.portability.services import archive
from tenants.portability.services.contents import (
    CHUNK,
    FILE_CHUNK,
    PUBLIC_DATA,
    PUBLIC_RECORDS,
    STORED_TYPES,
    attachment_path,
    attachments_with_bytes,
    columns,
    data_name,
    raw_mail_path,
    raw_mail_with_bytes,
    tenant_models,
)
from tickets.fields import values as custom_values
from tickets.models import Attachment, Ticket, TicketField

log = logging.getLogger(__name__)


def progress_key(export_id: int) -> str:
    return redis.key(f"export:{export_id}:progress")


def _snapshot() -> None:
    """Make the open transaction a consistent, read-only view of the whole schema."""
    with connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


class Progress:
    def __init__(self, export_id: int, total: int) -> None:
        self.key = progress_key(export_id)
        self.total = total
        self.done = 0
        self.stage = ""
        self.sent = 0.0

    def step(self, count: int = 1, stage: str | None = None) -> None:
        self.done += count
        if stage is not None:
            self.stage = stage
        now = time.monotonic()
        if stage is not None or now - self.sent >= 0.5:
            mapping = {"done": self.done, "total": self.total, "stage": self.stage}
            redis.client().hset(self.key, mapping=mapping)  # type: ignore[arg-type]
            redis.client().expire(self.key, 3600)
            self.sent = now


def write(export: Export, path: Path) -> dict:
    system = export.system
    with connection.cursor() as cursor:  # sets the search path before the snapshot starts
        cursor.execute("SELECT 1")
    # Inside a caller's transaction (a test) that transaction is the snapshot already.
    own_transaction = not connection.in_atomic_block
    with transaction.atomic(), ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True) as zipped:
        if own_transaction:
            _snapshot()
        models_in = tenant_models()
        counts = {model: model._base_manager.count() for model in models_in}

        total = (
            sum(counts.values())
            + counts.get(Attachment, 0)
            + counts.get(Ticket, 0)
            + raw_mail_with_bytes().count()
        )
        meter = Progress(export.pk, total)
        files: dict[str, dict] = {}

        files["system.json"] = _write_json(zipped, "system.json", _system_facts(system, export))
        for model in models_in:
            name = data_name(model)
            # Stages are codes (exports.progress names them in the reader's language).
            meter.step(0, stage=f"model:{model._meta.label}")
            files[name] = archive.write_rows(zipped, name, _rows(model, meter))
        for label, path_to_system in {**PUBLIC_DATA, **PUBLIC_RECORDS}.items():
            model = apps.get_model(label)
            name = (
                data_name(model, public=True) if label in PUBLIC_DATA else (f"records/{label}.json")
            )
            rows = _public_rows(model, path_to_system, system)
            files[name] = archive.write_rows(zipped, name, rows)
        meter.step(0, stage="tickets_csv")
        files["tickets.csv"] = _write_tickets_csv(zipped, meter)
        meter.step(0, stage="files")
        files.update(_write_attachments(zipped, meter))
        meter.step(0, stage="raw_mail")
        files.update(_write_raw_mail(zipped, meter))

        manifest = archive.sign(
            {
                "format": archive.FORMAT,
                "version": archive.VERSION,
                "system": {"slug": system.slug, "name": system.name},
                "exported_at": timezone.now(),
                "exported_by": export.requested_by_label,
                "export_id": export.pk,
                "files": files,
            }
        )
        manifest = _plain(manifest)
        with zipped.open(archive.MANIFEST, "w") as target:
            target.write(archive.dumps(manifest).encode())
    return manifest


def _plain(value: Any) -> Any:

    return json.loads(archive.dumps(value))


def _write_json(zipped: ZipFile, name: str, value: Any) -> dict:
    with zipped.open(name, "w") as target:
        out = archive.HashingWriter(target)
        out.write(archive.dumps(value).encode() + b"\n")
    return out.entry()


def _system_facts(system: System, export: Export) -> dict:
    return {
        "name": system.name,
        "slug": system.slug,
        "status": system.status,
        "created_at": system.claimed_at or system.created_at,
        "owner_email": system.owner_email,
        "customer": {
            "name": system.customer.name if system.customer else "",
            "email": system.customer.email if system.customer else "",
        },
        "plan": system.plan.name if system.plan else None,
        "seat_cap": system.seat_cap,
        "seats_used": system.seats_used,
        "settings": {
            "idle_timeout_minutes": system.idle_timeout_minutes,
            "invite_expiry_days": system.invite_expiry_days,
            "attachment_max_mb": system.attachment_max_mb,
            "agents_may_delete": system.agents_may_delete,
        },
        "consents": {
            "reference": system.consent_reference,
            "announcements": system.consent_announcements,
        },
    }


def _rows(model: type[models.Model], meter: Progress) -> Iterator[dict]:
    names = columns(model)
    queryset = model._base_manager.order_by("pk").values_list(*names)
    for values in queryset.iterator(chunk_size=CHUNK):
        meter.step()
        yield dict(zip(names, values, strict=True))


def _public_rows(model: type[models.Model], path: str, system: System) -> Iterator[dict]:
    names = columns(model)
    queryset = model._base_manager.filter(**{path: system}).order_by("pk").values_list(*names)
    with schema_context("public"):
        for values in queryset.iterator(chunk_size=CHUNK):
            yield dict(zip(names, values, strict=True))


CSV_HEADER = [
    "number",
    "subject",
    "status",
    "priority",
    "requester",
    "assignee",
    "category",
    "tags",
    "created_at",
    "updated_at",
    "solved_at",
    "due_on",
]


def _custom_columns() -> tuple[list[str], list[TicketField]]:
    """One column per custom field (archived ones too: their values stay), headed by its
    label; a label that is also one of the columns above is marked as a field's."""
    fields = list(TicketField.objects.order_by("position", "id"))
    taken = {name.lower() for name in CSV_HEADER}
    headers = []
    for field in fields:
        header = field.label if field.label.lower() not in taken else f"{field.label} (field)"
        taken.add(header.lower())
        headers.append(header)
    return headers, fields


def _write_tickets_csv(zipped: ZipFile, meter: Progress) -> dict:

    rows = (
        Ticket.objects.order_by("number")
        .annotate(
            tag_list=StringAgg("tags__name", delimiter=Value("; "), order_by="tags__name"),
            # Someone who wrote by mail without an account: his address.
            requester_email=Coalesce("requester__email", "contact__email"),
        )
        .values_list(
            "number",
            "subject",
            "status",
            "priority",
            "requester_email",
            "assignee__email",
            "category__name",
            "tag_list",
            "created_at",
            "updated_at",
            "solved_at",
            "due_on",
            "custom",
        )
    )
    custom_headers, custom_fields = _custom_columns()
    with zipped.open("tickets.csv", "w", force_zip64=True) as target:
        out = archive.HashingWriter(target)
        sink = io.BufferedWriter(_Sink(out))
        text = io.TextIOWrapper(sink, encoding="utf-8", newline="", write_through=True)
        writer = csv.writer(text)
        writer.writerow(CSV_HEADER + custom_headers)
        for *row, custom in rows.iterator(chunk_size=CHUNK):
            row += [custom_values.text(custom.get(field.key)) for field in custom_fields]
            writer.writerow([csv_cell(value) for value in row])
            out.rows += 1
            meter.step()
        text.flush()
        sink.flush()
        text.detach()
    return {**out.entry(), "rows": out.rows}


class _Sink(io.RawIOBase):
    def __init__(self, out: archive.HashingWriter) -> None:
        self.out = out

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        self.out.write(bytes(data))
        return len(data)


def _write_attachments(zipped: ZipFile, meter: Progress) -> dict[str, dict]:

    entries = {}
    rows = attachments_with_bytes().values_list(
        "pk", "ticket__number", "original_name", "file", "content_type"
    )
    for pk, number, original_name, stored, content_type in rows.iterator(chunk_size=CHUNK):
        name = attachment_path(number=number, attachment_id=pk, original_name=original_name)
        info = ZipInfo(name, date_time=time.localtime(time.time())[:6])
        info.compress_type = ZIP_STORED if content_type.startswith(STORED_TYPES) else ZIP_DEFLATED
        with (
            default_storage.open(stored, "rb") as source,
            zipped.open(info, "w", force_zip64=True) as target,
        ):
            out = archive.HashingWriter(target)
            while chunk := source.read(FILE_CHUNK):
                out.write(chunk)
        entries[name] = out.entry()
        meter.step()
    return entries


def _write_raw_mail(zipped: ZipFile, meter: Progress) -> dict[str, dict]:
    entries = {}
    for pk, stored in raw_mail_with_bytes().values_list("pk", "raw").iterator(chunk_size=CHUNK):
        name = raw_mail_path(message_id=pk)
        with (
            default_storage.open(stored, "rb") as source,
            zipped.open(name, "w", force_zip64=True) as target,
        ):
            out = archive.HashingWriter(target)
            while chunk := source.read(FILE_CHUNK):
                out.write(chunk)
        entries[name] = out.entry()
        meter.step()
    return entries

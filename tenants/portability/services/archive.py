"""The export archive format, shared by the export job and the import command.

A zip file holding:

    manifest.json            format, version, the System, and for every other entry its
                             SHA-256, size and (for data files) row count; signed
    system.json              the System's own settings and consents
    data/<app>.<model>.json  one JSON array per model, one object per line, in id order
    records/<...>.json       the operator's records about the System (invoices, payments,
                             lifecycle): the customer's copy, not imported
    tickets.csv              the tickets as a spreadsheet
    files/tickets/<number>/<id>/<original name>   every attachment, under its ticket
    mail/inbound/<id>.eml    every message kept as it arrived (the row of the same id in
                             data/tickets.inboundmessage.json says what became of it)

Rows are written one per line so both sides stream: memory stays flat however big the
System is. Values keep full precision (microseconds, exact decimals), so exporting an
imported System gives the same bytes.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO, Any
from zipfile import ZipFile

from django.core import signing

FORMAT = "servicedesk-export"
VERSION = 1
MANIFEST = "manifest.json"
SIGNING_SALT = "servicedesk.export.manifest"


class ArchiveError(Exception):
    """The archive can't be used; the message says why, for a person to read."""


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, bytes | memoryview):
        return {"base64": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"can't write {type(value).__name__} into an export")


def dumps(value: Any) -> str:
    return json.dumps(value, default=_default, ensure_ascii=False, sort_keys=True)


class HashingWriter:
    """Writes to a zip entry and keeps its SHA-256, size and row count."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.digest = hashlib.sha256()
        self.size = 0
        self.rows = 0

    def write(self, data: bytes) -> None:
        self.target.write(data)
        self.digest.update(data)
        self.size += len(data)

    def entry(self) -> dict[str, Any]:
        return {"sha256": self.digest.hexdigest(), "bytes": self.size}


def write_rows(archive: ZipFile, name: str, rows: Iterable[dict]) -> dict[str, Any]:
    """One JSON array, one row per line. Returns the manifest entry."""
    with archive.open(name, "w", force_zip64=True) as target:
        out = HashingWriter(target)
        out.write(b"[")
        for row in rows:
            out.write((b"\n" if out.rows == 0 else b",\n") + dumps(row).encode())
            out.rows += 1
        out.write(b"\n]\n")
    return {**out.entry(), "rows": out.rows}


def read_rows(archive: ZipFile, name: str) -> Iterator[dict]:
    """The rows of a file written by ``write_rows``, one at a time."""
    with archive.open(name) as source:
        for raw in source:
            line = raw.strip()
            if line in (b"[", b"]", b""):
                continue
            yield json.loads(line.removesuffix(b","))


def read_json(archive: ZipFile, name: str) -> Any:
    try:
        return json.loads(archive.read(name))
    except KeyError:
        raise ArchiveError(f"{name} is missing.") from None
    except ValueError:
        raise ArchiveError(f"{name} is not valid JSON.") from None


def sign(manifest: dict) -> dict:
    body = {key: value for key, value in manifest.items() if key != "signature"}
    return {**body, "signature": signing.dumps(_digest(body), salt=SIGNING_SALT)}


def signature_ok(manifest: dict) -> bool:
    body = {key: value for key, value in manifest.items() if key != "signature"}
    try:
        return signing.loads(manifest.get("signature", ""), salt=SIGNING_SALT) == _digest(body)
    except signing.BadSignature:
        return False


def _digest(body: dict) -> str:
    return hashlib.sha256(dumps(body).encode()).hexdigest()


def verify(archive: ZipFile, *, trust_foreign: bool = False) -> dict:
    """Check an archive before anything is made from it; return its manifest.

    Every entry must be listed, with the size and SHA-256 the manifest says, and the
    manifest must carry this deployment's signature (``trust_foreign`` accepts an archive
    signed elsewhere: its checksums still have to hold).
    """
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise ArchiveError(
            "There is no manifest.json: this is not a Service Desk export."
        ) from None
    except ValueError:
        raise ArchiveError("manifest.json is not valid JSON.") from None
    if manifest.get("format") != FORMAT:
        raise ArchiveError("manifest.json does not describe a Service Desk export.")
    if manifest.get("version") != VERSION:
        raise ArchiveError(
            f"This export has format version {manifest.get('version')}; "
            f"this Service Desk reads version {VERSION}."
        )
    if not trust_foreign and not signature_ok(manifest):
        raise ArchiveError(
            "The manifest's signature does not match: the archive was changed after it was "
            "exported, or it comes from another Service Desk."
        )
    listed: dict[str, dict] = manifest.get("files", {})
    present = {info.filename: info for info in archive.infolist() if not info.is_dir()}
    present.pop(MANIFEST, None)
    if missing := sorted(set(listed) - set(present)):
        raise ArchiveError(f"{missing[0]} is listed in the manifest but missing.")
    if extra := sorted(set(present) - set(listed)):
        raise ArchiveError(f"{extra[0]} is in the archive but not in the manifest.")
    for name, expected in listed.items():
        if present[name].file_size != expected["bytes"]:
            raise ArchiveError(f"{name} has a different size than the manifest says.")
        digest = hashlib.sha256()
        with archive.open(name) as source:
            while chunk := source.read(1024 * 1024):
                digest.update(chunk)
        if digest.hexdigest() != expected["sha256"]:
            raise ArchiveError(f"{name} does not match its checksum: the file was changed.")
    return manifest

"""Hand-made archives for import tests: an export with some rows edited, packed again with
checksums that hold, and a signature that is (or isn't) this deployment's."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from zipfile import ZipFile

from tenants.portability.services import archive

Rows = list[dict]


def repack(
    source: Path,
    target: Path,
    *,
    edits: dict[str, Callable[[Rows], Rows]] | None = None,
    sign: bool = False,
) -> Path:
    """Copy ``source`` to ``target`` with ``edits[name](rows)`` applied to those data files
    (a name not in the archive starts from no rows). The manifest lists the new sizes,
    checksums and counts; it carries our signature only when ``sign``."""
    edits = dict(edits or {})
    with ZipFile(source) as old, ZipFile(target, "w") as new:
        manifest = json.loads(old.read(archive.MANIFEST))
        for info in old.infolist():
            if info.filename == archive.MANIFEST:
                continue
            if info.filename in edits:
                name = info.filename
                rows = edits.pop(name)(list(archive.read_rows(old, name)))
                manifest["files"][name] = archive.write_rows(new, name, rows)
            else:
                new.writestr(info, old.read(info))
        for name, edit in edits.items():
            manifest["files"][name] = archive.write_rows(new, name, edit([]))
        manifest.pop("signature", None)
        if sign:
            manifest = archive.sign(manifest)
        else:
            manifest["signature"] = "made-by-another-service-desk"
        new.writestr(archive.MANIFEST, archive.dumps(manifest))
    return target


def everything_in(path: Path) -> bytes:
    """Every entry of the archive, uncompressed, one after the other."""
    with ZipFile(path) as zipped:
        return b"\n".join(zipped.read(name) for name in zipped.namelist())

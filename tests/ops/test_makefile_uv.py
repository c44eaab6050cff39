"""`make` uses a `uv` from PATH only if it runs; a broken one (a pyenv shim for another
Python) falls back to `python3 -m uv`."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def make_dry_run(tmp_path: Path, uv_script: str) -> str:
    """What `make install` would run with ``uv_script`` first on PATH."""
    (tmp_path / "uv").write_text(f"#!/bin/sh\n{uv_script}\n")
    (tmp_path / "uv").chmod(0o755)
    env = {**os.environ, "PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        ["make", "-n", "install"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout


def test_a_uv_on_path_that_fails_to_run_is_passed_over_for_python3_m_uv(tmp_path):
    commands = make_dry_run(tmp_path, "echo 'pyenv: uv: command not found' >&2; exit 1")

    assert "python3 -m uv sync --frozen" in commands
    assert "\nuv sync" not in f"\n{commands}"


def test_a_uv_on_path_that_runs_is_used(tmp_path):
    commands = make_dry_run(tmp_path, "echo 'uv 0.13.0'")

    assert "\nuv sync --frozen" in f"\n{commands}"
    assert "python3 -m uv sync" not in commands

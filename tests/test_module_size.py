"""No module of ours grows past 500 lines: past that, a file holds more than one idea and is
split by domain (STYLE.md). Migrations are generated and exempt."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("servicedesk", "tenants", "accounts", "tickets", "legal", "tests", "benchmarks")
LIMIT = 500


def test_no_module_is_longer_than_500_lines():
    too_long = {
        str(path.relative_to(ROOT)): lines
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > LIMIT
    }

    assert too_long == {}
    assert len(list((ROOT / "tickets").rglob("*.py"))) > 20  # it looked at the real tree

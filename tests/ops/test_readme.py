"""The README keeps up with the code: every environment variable is documented."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READ = re.compile(
    r"""(?:env_(?:str|bool|int|list)\(|os\.environ\.get\(|os\.environ\[)\s*["']([A-Z][A-Z0-9_]+)["']"""
)
# Set by the test tooling itself, not by anyone configuring the product.
TOOLING = {"DJANGO_ALLOW_ASYNC_UNSAFE", "PYTEST_XDIST_WORKER", "DJANGO_SETTINGS_MODULE"}


def test_every_environment_variable_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    sources = [*(ROOT / "servicedesk").rglob("*.py"), ROOT / "tests" / "conftest.py"]
    names = {name for path in sources for name in READ.findall(path.read_text())} - TOOLING

    assert len(names) > 40
    missing = sorted(name for name in names if f"`{name}`" not in readme)
    assert missing == []

"""Services queue tasks by name (servicedesk.queue): every name written in the code is a
task a worker knows."""

import re
from pathlib import Path

from celery import current_app

ROOT = Path(__file__).resolve().parents[2]
APPS = ("servicedesk", "tenants", "accounts", "tickets", "legal")
TASK_NAME = re.compile(r"""["']((?:servicedesk|tenants|accounts|tickets|legal)\.tasks\.\w+)["']""")


def _names_in_code() -> dict[str, str]:
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for name in TASK_NAME.findall(path.read_text()):
                found[name] = str(path.relative_to(ROOT))
    return found


def test_every_task_name_in_the_code_is_registered():
    current_app.loader.import_default_modules()
    names = _names_in_code()

    assert len(names) >= 20  # the services' and the beat schedule's
    unknown = {name: where for name, where in names.items() if name not in current_app.tasks}
    assert unknown == {}

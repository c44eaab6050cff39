"""Every periodic job beat sends names a task a worker knows, with arguments it accepts."""

import inspect

from django.conf import settings

from servicedesk.celery import app


def test_every_beat_entry_names_a_registered_task_that_takes_its_arguments():
    app.loader.import_default_modules()
    assert settings.CELERY_BEAT_SCHEDULE
    for label, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, f"{label}: no task {entry['task']}"
        task = app.tasks[entry["task"]]
        signature = inspect.signature(task.run)
        signature.bind(*entry.get("args", ()), **entry.get("kwargs", {}))  # raises if not

"""An archive made before the history kept codes (status labels such as "Open") imports
with the labels turned into codes, as migration 0021 did for the rows here."""

from __future__ import annotations

from django.core.management import call_command

from tenants.models import System
from tests.exports.archives import repack
from tests.exports.test_round_trip import export_now
from tests.support.tenancy import in_schema
from tickets.models import Status, TicketEvent
from tickets.services import tickets as ticket_services


def test_an_archive_with_status_labels_in_the_history_imports_them_as_codes(
    rich_system_a, system_a, owner_a, agent_a, django_capture_on_commit_callbacks, tmp_path
):
    with in_schema(system_a):
        ticket = ticket_services.ticket_create(actor=owner_a, subject="Old", description="x")
        ticket_services.ticket_update(
            actor=agent_a, ticket=ticket, changes={"status": Status.PENDING}
        )
    _export, path = export_now(system_a, owner_a, django_capture_on_commit_callbacks)

    def labels(rows: list[dict]) -> list[dict]:
        for row in rows:
            if row["field"] == "status":
                row["old_value"], row["new_value"] = "New", "Pending"
        return rows

    old = repack(
        path, tmp_path / "old.zip", edits={"data/tickets.ticketevent.json": labels}, sign=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_system", str(old), "--slug", "alpha-old")

    with in_schema(System.objects.get(slug="alpha-old")):
        values = set(
            TicketEvent.objects.filter(field="status").values_list("old_value", "new_value")
        )
    assert values == {("new", "pending")}

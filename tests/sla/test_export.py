"""A System's service levels travel with its export: hours, holidays, policies and each
ticket's clock come back the same from an import."""

from __future__ import annotations

from datetime import datetime

import time_machine
from django.core.management import call_command

from tenants.models import System
from tenants.portability.models import Export
from tenants.portability.services import exports
from tests.sla.conftest import BERLIN
from tests.support.tenancy import in_schema
from tickets.models import Ticket
from tickets.services import tickets as ticket_services
from tickets.sla.models import BusinessHoliday, BusinessHours, SLAPolicy, TicketSLA

MODELS = (BusinessHours, BusinessHoliday, SLAPolicy, TicketSLA)


def _rows() -> dict[str, list[dict]]:
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}
    rows["Ticket"] = list(Ticket.objects.order_by("pk").values("pk", "sla_due_at"))
    return rows


def test_service_levels_survive_an_export_and_an_import(
    sla_a, owner_a, member_a, agent_a, django_capture_on_commit_callbacks
):
    with in_schema(sla_a):
        with time_machine.travel(datetime(2026, 12, 1, 10, 0, tzinfo=BERLIN), tick=False):
            paused = ticket_services.ticket_create(actor=member_a, subject="A", description="a")
            ticket_services.ticket_create(actor=member_a, subject="B", description="b")
        with time_machine.travel(datetime(2026, 12, 1, 11, 0, tzinfo=BERLIN), tick=False):
            ticket_services.ticket_reply(
                actor=agent_a, ticket=paused, body="Which one?", status="pending"
            )
        assert TicketSLA.objects.get(ticket=paused).resolution_remaining_seconds == 15 * 3600
        before = _rows()
        with django_capture_on_commit_callbacks(execute=True):
            export = exports.export_request(actor=owner_a)
    export.refresh_from_db()
    assert export.status == Export.Status.READY, export.error

    call_command("import_system", str(exports.archive_path(export)), "--slug", "alpha-sla")

    with in_schema(System.objects.get(slug="alpha-sla")):
        assert _rows() == before

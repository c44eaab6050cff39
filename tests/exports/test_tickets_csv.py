"""tickets.csv opens in a spreadsheet as text: nothing in it runs as a formula."""

from __future__ import annotations

import csv
import io
from zipfile import ZipFile

import pytest

from servicedesk.spreadsheet import csv_cell as _csv_value
from tests.exports.test_round_trip import export_now
from tests.support.tenancy import in_schema
from tickets.models import Ticket
from tickets.services import tickets as ticket_services

FORMULA = '=HYPERLINK("http://evil.example","x")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_starts_like_a_formula_is_written_as_text(start):
    assert _csv_value(start + FORMULA) == "'" + start + FORMULA


@pytest.mark.parametrize("value", ["Printer jams", "a=b", " 1", "42", "mia@alpha.example"])
def test_other_cells_are_written_as_they_are(value):
    assert _csv_value(value) == value


def test_subjects_starting_with_a_tab_or_carriage_return_are_text_in_the_spreadsheet(
    system_a, owner_a, django_capture_on_commit_callbacks
):
    with in_schema(system_a):
        for start in ("\t", "\r"):
            ticket = ticket_services.ticket_create(actor=owner_a, subject="x", description="y")
            # The form strips what people type; an imported row comes as it was written.
            Ticket.objects.filter(pk=ticket.pk).update(subject=start + FORMULA)

    _export, path = export_now(system_a, owner_a, django_capture_on_commit_callbacks)

    with ZipFile(path) as zipped:
        table = list(csv.DictReader(io.StringIO(zipped.read("tickets.csv").decode(), newline="")))
    assert [row["subject"] for row in table] == ["'\t" + FORMULA, "'\r" + FORMULA]

"""An export holds what belongs to the customer; the operator's own case notes stay out,
and an imported copy of the operator's records opens nothing to any operator."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from zipfile import ZipFile

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import AccountDispute, SecurityReport, User
from legal.models import ContentKind, OperatorAccess, Takedown
from legal.selectors import operator_access_open
from tenants.backups.models import RestoreRequest
from tenants.billing.models import Payment
from tenants.models import System
from tenants.portability.services import archive
from tests.exports.archives import everything_in, repack
from tests.exports.test_round_trip import export_now
from tests.factories import InvoiceFactory

# What only the operator wrote or saw: none of it may appear anywhere in the archive.
INTERNAL = {
    "report ip": "203.0.113.77",
    "report browser": "CanaryBrowser/9.9",
    "report notes": "Canary-notes: looked like a phishing kit",
    "report resolution": "Canary-resolution: password reset, sessions killed",
    "claimant": "Canary Claimant",
    "claimant email": "claimant-canary@elsewhere.example",
    "claim": "Canary-claim: I founded this company",
    "evidence": "Canary-evidence: registry extract no. 4711",
    "decision": "Canary-decision: the registry extract is forged",
    "decided by": "judge-canary@operator.example",
    "takedown by": "takedown-canary@operator.example",
    "restored by": "restorer-canary@operator.example",
    "payment recorded by": "bookkeeper-canary@operator.example",
    "restore handled by": "handler-canary@operator.example",
}
# What the customer saw or wrote himself: it stays.
CUSTOMER = {
    "reporting person": "agent@alpha.example",
    "takedown reason": "Shown-reason: a leaked password list",
    "restore answer": "Shown-note: restored to Monday's backup",
    "payment reference": "Bank-ref-0042",
}


@pytest.fixture
def operator_records(rich_system_a, system_a, owner_a, agent_a):
    SecurityReport.objects.create(
        system=system_a,
        user_id_in_system=agent_a.pk,
        user_email=agent_a.email,
        ip=INTERNAL["report ip"],
        user_agent=INTERNAL["report browser"],
        status=SecurityReport.Status.RESOLVED,
        operator_notes=INTERNAL["report notes"],
        resolution=INTERNAL["report resolution"],
        resolved_at=timezone.now(),
    )
    AccountDispute.objects.create(
        system=system_a,
        claimant_name=INTERNAL["claimant"],
        claimant_email=INTERNAL["claimant email"],
        account_email=owner_a.email,
        claim=INTERNAL["claim"],
        evidence=INTERNAL["evidence"],
        status=AccountDispute.Status.DECIDED,
        decision=INTERNAL["decision"],
        new_owner_email=owner_a.email,
        decided_at=timezone.now(),
        decided_by=INTERNAL["decided by"],
    )
    first = rich_system_a["tickets"][0]
    Takedown.objects.create(
        system=system_a,
        kind=ContentKind.TICKET,
        object_id=first.pk,
        ticket_number=first.number,
        reason=CUSTOMER["takedown reason"],
        operator_email=INTERNAL["takedown by"],
        restored_at=timezone.now(),
        restored_by=INTERNAL["restored by"],
    )
    invoice = InvoiceFactory(system=system_a)
    Payment.objects.create(
        invoice=invoice,
        provider="manual",
        amount=Decimal("30.00"),
        paid_on=timezone.now().date(),
        reference=CUSTOMER["payment reference"],
        recorded_by=INTERNAL["payment recorded by"],
    )
    RestoreRequest.objects.create(
        system=system_a,
        reason="We lost the printer tickets",
        due_at=timezone.now() + timedelta(days=1),
        status=RestoreRequest.Status.DONE,
        operator_note=CUSTOMER["restore answer"],
        handled_by=INTERNAL["restore handled by"],
        handled_at=timezone.now(),
        requested_by_label="Olga",
        requested_by_email=owner_a.email,
    )


def test_an_export_holds_none_of_the_operators_case_notes(
    operator_records, system_a, owner_a, django_capture_on_commit_callbacks
):
    _export, path = export_now(system_a, owner_a, django_capture_on_commit_callbacks)

    everything = everything_in(path)
    leaked = {what for what, text in INTERNAL.items() if text.encode() in everything}
    assert not leaked
    kept = {what for what, text in CUSTOMER.items() if text.encode() in everything}
    assert kept == set(CUSTOMER)
    with ZipFile(path) as zipped:
        (access,) = archive.read_rows(zipped, "data/public/legal.operatoraccess.json")
        (dispute,) = archive.read_rows(zipped, "data/public/accounts.accountdispute.json")
    assert "operator_id" not in access and access["note"] == "Looking at a slow page"
    assert dispute["account_email"] == dispute["new_owner_email"] == owner_a.email


def test_an_imported_copy_keeps_the_history_but_opens_nothing_to_the_operator(
    operator_records, system_a, owner_a, agent_a, django_capture_on_commit_callbacks
):
    operator = User.objects.get(email="op@example.com")
    assert operator_access_open(system_id=system_a.pk, operator_id=operator.pk) is not None
    _export, path = export_now(system_a, owner_a, django_capture_on_commit_callbacks)

    call_command("import_system", str(path), "--slug", "alpha-notes")

    copy = System.objects.get(slug="alpha-notes")
    # The grant is history in the copy: it names nobody, so nobody enters by it.
    assert operator_access_open(system_id=copy.pk, operator_id=operator.pk) is None
    access = OperatorAccess.objects.get(system=copy)
    assert access.note == "Looking at a slow page" and access.views.count() == 1
    report = SecurityReport.objects.get(system=copy)
    assert (report.user_email, report.operator_notes, report.ip) == (agent_a.email, "", None)
    dispute = AccountDispute.objects.get(system=copy)
    assert (dispute.claim, dispute.decision, dispute.status) == ("", "", "decided")
    assert Takedown.objects.get(system=copy).reason == CUSTOMER["takedown reason"]


def test_an_older_archive_holding_the_operators_notes_comes_in_without_them(
    operator_records, system_a, owner_a, django_capture_on_commit_callbacks, tmp_path
):
    operator = User.objects.get(email="op@example.com")
    _export, path = export_now(system_a, owner_a, django_capture_on_commit_callbacks)

    def with_notes(**values):
        return lambda rows: [{**row, **values} for row in rows]

    # What an export wrote before the notes were left out, signed here.
    older = repack(
        path,
        tmp_path / "older.zip",
        edits={
            "data/public/legal.operatoraccess.json": with_notes(operator_id=operator.pk),
            "data/public/accounts.securityreport.json": with_notes(
                ip=INTERNAL["report ip"], operator_notes=INTERNAL["report notes"]
            ),
        },
        sign=True,
    )

    call_command("import_system", str(older), "--slug", "alpha-older")

    copy = System.objects.get(slug="alpha-older")
    assert operator_access_open(system_id=copy.pk, operator_id=operator.pk) is None
    report = SecurityReport.objects.get(system=copy)
    assert (report.ip, report.operator_notes) == (None, "")

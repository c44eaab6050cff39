"""Being staff opens admin, not every door in it: each operator action checks its own
permission, and the operator groups hold exactly what their job needs."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission

from accounts.models import User
from tenants.backups.models import Backup
from tenants.models import System
from tests.support.urls import endpoints

STANDARD = {
    "index",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "autocomplete",
    "jsi18n",
    "view_on_site",
    "app_list",
}
STANDARD_SUFFIXES = ("_changelist", "_add", "_change", "_delete", "_history")


def _admin_endpoints():
    return [
        e
        for e in endpoints(settings.PUBLIC_SCHEMA_URLCONF, {"app_label": "tenants"})
        if e.path.startswith("/admin/")
    ]


CUSTOM = [
    e
    for e in _admin_endpoints()
    if e.name not in STANDARD
    and not e.name.endswith(STANDARD_SUFFIXES)
    and not e.name.startswith(("<path", "(?P"))
]
CHANGELISTS = [e for e in _admin_endpoints() if e.name.endswith("_changelist")]


def test_the_custom_admin_views_are_all_found():
    names = {e.name for e in CUSTOM}
    assert {
        "tenants_system_access",
        "tenants_system_data",
        "tenants_system_lifecycle",
        "tenants_invoice_record_payment",
        "tenants_backup_restore",
        "tenants_systemimport_new",
        "legal_contentreport_disable",
        "legal_takedownnotice_takedown",
        "legal_takedownnotice_document",
        "accounts_accountdispute_decide",
    } <= names
    assert len(CUSTOM) >= 13


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("endpoint", CUSTOM, ids=[e.name for e in CUSTOM])
def test_a_staff_account_without_permissions_is_refused_every_custom_view(
    endpoint, method, staff_client, system_a
):
    client = staff_client()

    response = getattr(client, method)(endpoint.path)

    assert response.status_code == 403, (endpoint.path, response.status_code)


@pytest.mark.parametrize("endpoint", CHANGELISTS, ids=[e.name for e in CHANGELISTS])
def test_a_staff_account_without_permissions_sees_no_list(endpoint, staff_client):
    assert staff_client().get(endpoint.path).status_code == 403


def test_the_four_operator_groups_exist_with_permissions(db):
    groups = {group.name: group for group in Group.objects.prefetch_related("permissions")}

    assert {"Support", "Billing", "Trust & safety", "Superuser"} <= set(groups)
    codes = {
        name: {f"{p.content_type.app_label}.{p.codename}" for p in g.permissions.all()}
        for name, g in groups.items()
    }
    assert "tenants.add_payment" in codes["Billing"]
    assert "tenants.add_payment" not in codes["Support"] | codes["Trust & safety"]
    assert "tenants.access_system_data" not in codes["Billing"]
    assert "legal.add_takedown" in codes["Trust & safety"]
    assert "legal.add_takedown" not in codes["Support"] | codes["Billing"]
    assert "legal.add_takedownnotice" in codes["Trust & safety"] & codes["Superuser"]
    assert "legal.view_takedownnotice" not in codes["Support"] | codes["Billing"]
    assert "tenants.add_restore" in codes["Support"]
    assert codes["Superuser"] >= codes["Support"] | codes["Billing"] | codes["Trust & safety"]


# (group, URL name, the status it gets). A page it may use answers 200.
JOBS = [
    ("Billing", "tenants_invoice_record_payment", 200),
    ("Billing", "tenants_system_lifecycle", 200),
    ("Billing", "tenants_dashboard", 200),
    ("Billing", "tenants_system_access", 403),
    ("Billing", "tenants_backup_restore", 403),
    ("Support", "tenants_system_access", 200),
    ("Support", "tenants_backup_restore", 200),
    ("Support", "tenants_systemimport_new", 200),
    ("Support", "tenants_invoice_record_payment", 403),
    ("Support", "legal_contentreport_disable", 403),
    ("Trust & safety", "legal_contentreport_disable", 200),
    ("Trust & safety", "legal_takedownnotice_takedown", 200),
    ("Support", "legal_takedownnotice_takedown", 403),
    ("Billing", "legal_takedownnotice_document", 403),
    ("Trust & safety", "accounts_accountdispute_decide", 200),
    ("Trust & safety", "tenants_system_suspend_account", 200),
    ("Trust & safety", "tenants_system_lifecycle", 403),
]


@pytest.fixture
def objects(system_a):
    """One of each thing the custom views open, with the ids they are asked for."""
    from accounts.models import AccountDispute
    from legal.models import ContentReport, TakedownNotice
    from tests.factories import InvoiceFactory

    backup = Backup.objects.create(
        system=system_a, system_slug="alpha", schema_name=system_a.schema_name, status="ok"
    )
    invoice = InvoiceFactory(system=system_a)
    report = ContentReport.objects.create(
        system=system_a, kind="ticket", object_id=1, ticket_number=1, category="illegal"
    )
    notice = TakedownNotice.objects.create(
        sender_kind="authority",
        sender_name="Court",
        sender_contact="court@example.com",
        system=system_a,
        system_slug="alpha",
        kind="ticket",
        object_id=1,
        ticket_number=1,
        document_name="order.pdf",
        document_type="application/pdf",
        document_size=1,
        document_sha256="0" * 64,
        recorded_by="op@example.com",
    )
    dispute = AccountDispute.objects.create(
        system=system_a,
        claimant_name="C",
        claimant_email="c@example.com",
        account_email="owner@alpha.example",
        claim="Mine",
    )
    return {
        "tenants_invoice_record_payment": f"/admin/tenants/invoice/{invoice.pk}/record-payment/",
        "tenants_system_lifecycle": f"/admin/tenants/system/{system_a.pk}/lifecycle/",
        "tenants_dashboard": "/admin/tenants/system/dashboard/",
        "tenants_system_access": f"/admin/tenants/system/{system_a.pk}/access/",
        "tenants_system_suspend_account": f"/admin/tenants/system/{system_a.pk}/suspend-account/",
        "tenants_backup_restore": f"/admin/tenants/backup/{backup.pk}/restore/",
        "tenants_systemimport_new": "/admin/tenants/systemimport/new/",
        "legal_contentreport_disable": f"/admin/legal/contentreport/{report.pk}/disable/",
        "legal_takedownnotice_takedown": f"/admin/legal/takedownnotice/{notice.pk}/take-down/",
        "legal_takedownnotice_document": f"/admin/legal/takedownnotice/{notice.pk}/document/",
        "accounts_accountdispute_decide": f"/admin/accounts/accountdispute/{dispute.pk}/decide/",
    }


@pytest.mark.parametrize(("group", "name", "status"), JOBS)
def test_each_group_opens_the_pages_of_its_job_and_no_others(
    group, name, status, objects, staff_client
):
    assert staff_client(group).get(objects[name]).status_code == status


def test_an_action_outside_the_groups_job_is_not_offered_nor_run(staff_client, system_a):
    billing = staff_client("Billing")

    listing = billing.get("/admin/tenants/system/")
    posted = billing.post(
        "/admin/tenants/system/", {"action": "back_up_now", "_selected_action": [system_a.pk]}
    )

    assert listing.status_code == 200 and b"back_up_now" not in listing.content
    assert posted.status_code in {200, 302}
    assert not Backup.objects.filter(system=system_a).exists()


def test_an_operator_who_may_edit_accounts_cannot_raise_his_own_rights(staff_client, db):
    client = staff_client("Support", email="helper@example.com")
    helper = User.objects.get(email="helper@example.com")
    helper.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_user", "view_user"])
    )

    client.post(
        f"/admin/accounts/user/{helper.pk}/change/",
        {
            "email": helper.email,
            "full_name": "Helper",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [g.pk for g in Group.objects.all()],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )

    helper.refresh_from_db()
    assert not helper.is_superuser
    assert list(helper.groups.values_list("name", flat=True)) == ["Support"]
    assert System.objects.exists()  # the test database is the one with the groups

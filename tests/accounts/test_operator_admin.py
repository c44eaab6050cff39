"""What the operator does to accounts from Django admin, and how the System sees it."""

import pytest
from django.test import Client

from accounts.models import AccountDispute, AuditEvent, Role, SecurityReport, User
from tests.factories import PASSWORD
from tests.support.tenancy import client_for, in_schema


def test_the_system_list_shows_owner_seats_and_cap_without_entering_schemas(
    operator, system_a, owner_a, django_assert_max_num_queries
):
    system_a.owner_email, system_a.seats_used = owner_a.email, 1
    system_a.save()
    with django_assert_max_num_queries(12):
        response = operator.get("/admin/tenants/system/")
    page = response.content.decode()
    assert owner_a.email in page and "1 / 5" in page


def test_changing_the_seat_cap_is_written_to_the_systems_audit_log(operator, system_a):
    response = operator.post(f"/admin/tenants/system/{system_a.pk}/change/", {"seat_cap": "12"})

    assert response.status_code == 302
    system_a.refresh_from_db()
    assert system_a.seat_cap == 12
    with in_schema(system_a):
        event = AuditEvent.objects.get(action="seat_cap_changed")
    assert event.actor_label == "Operator (op@example.com)"
    assert event.detail == {"from": 5, "to": 12}


@pytest.mark.parametrize(
    ("cap", "message"), [("0", "at least one seat"), ("1", "2 seats are in use")]
)
def test_the_operator_cannot_set_a_seat_cap_billing_would_refuse(
    cap, message, operator, system_a, owner_a, agent_a
):
    response = operator.post(f"/admin/tenants/system/{system_a.pk}/change/", {"seat_cap": cap})

    assert response.status_code == 200  # the form again, with the reason
    assert message in response.content.decode()
    system_a.refresh_from_db()
    assert system_a.seat_cap == 5
    with in_schema(system_a):
        assert not AuditEvent.objects.filter(action="seat_cap_changed").exists()


def test_the_operator_suspends_one_account_with_a_reason_the_person_sees(
    operator, system_a, agent_a, owner_a
):
    agent = client_for(system_a, agent_a)
    url = f"/admin/tenants/system/{system_a.pk}/suspend-account/"

    response = operator.post(
        url, {"email": agent_a.email, "action": "suspend", "reason": "Fraud check"}
    )

    assert response.status_code == 302
    blocked = agent.get("/")
    assert blocked.status_code == 302  # sessions ended
    relogin = Client(HTTP_HOST="alpha.localhost").post(
        "/accounts/login/", {"login": agent_a.email, "password": PASSWORD}
    )
    assert relogin.status_code == 403 and b"Fraud check" in relogin.content
    with in_schema(system_a):
        assert AuditEvent.objects.filter(
            action="user_suspended", target_label=agent_a.email
        ).exists()
    owner_view = client_for(system_a, owner_a).get("/settings/audit/").content.decode()
    assert "Operator (op@example.com)" in owner_view

    operator.post(url, {"email": agent_a.email, "action": "unsuspend"})
    again = Client(HTTP_HOST="alpha.localhost").post(
        "/accounts/login/", {"login": agent_a.email, "password": PASSWORD}
    )
    assert again.status_code == 302


def test_suspending_needs_a_reason_and_an_existing_account(operator, system_a, agent_a):
    url = f"/admin/tenants/system/{system_a.pk}/suspend-account/"
    no_reason = operator.post(url, {"email": agent_a.email, "action": "suspend", "reason": ""})
    nobody = operator.post(url, {"email": "ghost@example.com", "action": "suspend", "reason": "x"})
    assert b"Give the reason" in no_reason.content
    assert b"No account ghost@example.com" in nobody.content


def test_deciding_a_dispute_transfers_ownership_and_is_audited(
    operator, system_a, owner_a, admin_a
):
    dispute = AccountDispute.objects.create(
        system=system_a,
        claimant_name="Ada",
        claimant_email=admin_a.email,
        account_email=owner_a.email,
        claim="The company's owner left; Ada runs support now.",
        evidence="Letter from the director, 3 Nov.",
    )

    response = operator.post(
        f"/admin/accounts/accountdispute/{dispute.pk}/decide/",
        {
            "decision": "Ownership goes to Ada per the director's letter.",
            "new_owner_email": admin_a.email,
        },
    )

    assert response.status_code == 302
    dispute.refresh_from_db()
    assert (
        dispute.status == AccountDispute.Status.DECIDED and dispute.decided_by == "op@example.com"
    )
    with in_schema(system_a):
        assert User.objects.get(pk=admin_a.pk).role == Role.OWNER
        assert User.objects.get(pk=owner_a.pk).role == Role.ADMIN
        event = AuditEvent.objects.get(action="ownership_transferred")
    assert event.actor_label.startswith("Operator (op@example.com, dispute #")


def test_security_reports_are_listed_for_the_operator(operator, system_a):
    SecurityReport.objects.create(
        system=system_a, user_id_in_system=1, user_email="x@alpha.example"
    )

    page = operator.get("/admin/accounts/securityreport/").content.decode()

    assert "x@alpha.example" in page and "Open" in page


def test_operators_cannot_be_deleted_only_deactivated(operator, operator_user):
    response = operator.get(f"/admin/accounts/user/{operator_user.pk}/delete/")
    assert response.status_code == 403

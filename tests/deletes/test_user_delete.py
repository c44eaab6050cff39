"""Deleting accounts: someone else's by the owner or an admin, one's own with the password;
never the owner's. The row goes, the seat is freed, the sessions end, what he wrote stays
signed "Deleted user", and no public row with the same id is touched."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType

from accounts.models import AuditEvent, Role, SeatEvent, User
from accounts.services import removal
from tests.factories import PASSWORD, UserFactory
from tests.support.tenancy import client_for, in_schema
from tickets.services.tickets import ticket_reply


def test_an_admin_deletes_a_member_whose_words_stay_as_deleted_user(
    system_a, owner_a, admin_a, admin_client, member_a, make_ticket
):
    ticket = make_ticket(member_a, subject="Broken chair")
    with in_schema(system_a):
        ticket_reply(actor=member_a, ticket=ticket, body="Still broken")
        ticket_reply(actor=owner_a, ticket=ticket, body="On it")
    member = client_for(system_a, member_a)
    assert member.get("/").status_code == 200
    seats_before = system_a.seats_used

    confirm = admin_client.get(f"/settings/people/{member_a.pk}/delete/").content.decode()
    assert "Delete the account of Mia Member?" in confirm
    response = admin_client.post(f"/settings/people/{member_a.pk}/delete/", follow=True)

    assert "The account of mia@alpha.example is deleted" in response.content.decode()
    with in_schema(system_a):
        assert not User.objects.filter(pk=member_a.pk).exists()
        event = SeatEvent.objects.get(reason=SeatEvent.Reason.DELETED)
        audit = AuditEvent.objects.get(action=AuditEvent.Action.USER_DELETED)
    assert (event.user_email, event.delta) == ("mia@alpha.example", -1)
    assert audit.target_label == "mia@alpha.example" and "Ada Admin" in audit.actor_label
    system_a.refresh_from_db()
    assert system_a.seats_used == event.seats_after
    assert seats_before == 0 or system_a.seats_used <= seats_before
    page = admin_client.get(f"/tickets/{ticket.number}/").content.decode()
    assert "Deleted user" in page and "Mia Member" not in page
    assert "Broken chair" in admin_client.get("/tickets/").content.decode()
    assert member.get("/").status_code == 302  # his session is over


def test_nobody_deletes_the_owner_or_himself_from_the_people_page(
    system_a, owner_a, admin_a, admin_client
):
    assert admin_client.post(f"/settings/people/{owner_a.pk}/delete/").status_code == 403
    assert admin_client.post(f"/settings/people/{admin_a.pk}/delete/").status_code == 403
    with in_schema(system_a):
        assert User.objects.filter(pk__in=[owner_a.pk, admin_a.pk]).count() == 2


@pytest.mark.parametrize("role", [Role.AGENT, Role.MEMBER])
def test_agents_and_members_delete_nobody(system_a, member_a, role):
    with in_schema(system_a):
        actor = UserFactory(role=role)
    response = client_for(system_a, actor).post(f"/settings/people/{member_a.pk}/delete/")

    assert response.status_code == 403
    with in_schema(system_a):
        assert User.objects.filter(pk=member_a.pk).exists()


def test_a_person_deletes_his_own_account_after_his_password(system_a, member_a):
    client = client_for(system_a, member_a)
    assert "Delete my account" in client.get("/account/security/").content.decode()

    wrong = client.post("/account/delete/", {"password": "not-it"})
    assert wrong.status_code == 400
    assert "That is not your password." in wrong.content.decode()
    with in_schema(system_a):
        assert User.objects.filter(pk=member_a.pk).exists()

    response = client.post("/account/delete/", {"password": PASSWORD})

    assert response.status_code == 200
    assert "Your account is deleted" in response.content.decode()
    with in_schema(system_a):
        assert not User.objects.filter(pk=member_a.pk).exists()
        audit = AuditEvent.objects.get(action=AuditEvent.Action.USER_DELETED)
    assert audit.detail["by_self"] is True
    assert client.get("/").status_code == 302


def test_the_owner_must_transfer_ownership_before_deleting_his_account(system_a, owner_a):
    client = client_for(system_a, owner_a)

    page = client.get("/account/delete/").content.decode()
    response = client.post("/account/delete/", {"password": PASSWORD})

    assert "Transfer ownership" in page
    assert response.status_code == 400
    with in_schema(system_a), pytest.raises(Exception, match="transfer ownership"):
        removal.account_delete_own(user=owner_a, password=PASSWORD)
    with in_schema(system_a):
        assert User.objects.filter(pk=owner_a.pk).exists()


def test_a_deactivated_account_is_deleted_without_freeing_its_seat_twice(
    system_a, owner_a, member_a
):
    from accounts.services.seats import user_deactivate

    with in_schema(system_a):
        user_deactivate(actor=owner_a, user=member_a)
        removal.user_delete(actor=owner_a, user=member_a)
        reasons = list(SeatEvent.objects.values_list("reason", flat=True))
    assert SeatEvent.Reason.DELETED not in reasons


def test_deleting_an_account_leaves_public_rows_with_the_same_id_alone(system_a, owner_a):
    """The cascade runs in the System's schema; the operator with the same id keeps his
    admin log and email address in public."""
    with in_schema(system_a):
        victim = UserFactory(role=Role.MEMBER, email="victim@alpha.example")
        LogEntry.objects.create(
            user=victim,
            content_type=ContentType.objects.get_for_model(User),
            object_repr="in the System",
            action_flag=ADDITION,
        )
    operator = User(pk=victim.pk, email="twin-operator@example.com", is_staff=True)
    operator.set_password(PASSWORD)
    operator.save()
    EmailAddress.objects.create(user=operator, email=operator.email, verified=True, primary=True)
    LogEntry.objects.create(
        user=operator,
        content_type=ContentType.objects.get_for_model(User),
        object_repr="operator's own",
        action_flag=ADDITION,
    )

    with in_schema(system_a):
        removal.user_delete(actor=owner_a, user=victim)
        assert not LogEntry.objects.filter(user_id=victim.pk).exists()

    assert User.objects.filter(pk=operator.pk, email="twin-operator@example.com").exists()
    assert EmailAddress.objects.filter(user_id=operator.pk).exists()
    assert LogEntry.objects.filter(user_id=operator.pk, object_repr="operator's own").exists()


def test_his_name_leaves_the_history_of_assignments_and_followers(
    system_a, owner_a, agent_a, member_a, make_ticket
):
    from tickets.services.tickets import ticket_follow, ticket_update

    ticket = make_ticket(member_a, subject="Projector")
    with in_schema(system_a):
        ticket_update(actor=owner_a, ticket=ticket, changes={"assignee": agent_a})
        ticket_follow(actor=agent_a, ticket=ticket, follow=True)
        removal.user_delete(actor=owner_a, user=agent_a)

    page = client_for(system_a, owner_a).get(f"/tickets/{ticket.number}/").content.decode()
    assert "Arno Agent" not in page
    assert "Deleted user" in page

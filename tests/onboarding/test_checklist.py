"""The set-up checklist on the dashboard: owners and admins see what is left to set up,
each step ticks itself from the System's state, and "Hide this checklist" is for good."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Invitation, User
from tests.factories import UserFactory
from tests.support.tenancy import client_for, host_of, in_schema
from tickets.mail.models import ForwardingAddress, MailSettings
from tickets.models import Category, ChecklistHidden
from tickets.onboarding.selectors import checklist_for_user
from tickets.sla.models import BusinessHours

pytestmark = pytest.mark.django_db

# The dashboard as before (16 on a first visit) and the checklist's one query.
DASHBOARD_QUERIES = 17


def _invite() -> None:
    Invitation.objects.create(
        email="new@alpha.example",
        token_hash="0" * 64,
        invited_by_name="Olga",
        expires_at=timezone.now() + timedelta(days=7),
    )


def _agent() -> None:
    UserFactory(email="agent@alpha.example", role=User.Role.AGENT)


def _forwarding(*, verified: bool) -> None:
    ForwardingAddress.objects.create(
        address="help@alpha.example",
        token="t" * 40,
        verified_at=timezone.now() if verified else None,
    )


def _mailbox() -> None:
    MailSettings.objects.create(imap_enabled=True, imap_host="imap.alpha.example")


def _done(system, user) -> set[str]:
    with in_schema(system):
        checklist = checklist_for_user(user=user)
    assert checklist is not None
    return {item.key for item in checklist.items if item.done}


def test_a_new_system_shows_the_owner_five_steps_to_do(system_a, owner_a, user_b, system_b):
    page = client_for(system_a, owner_a).get("/").content.decode()

    assert "Set up your help desk" in page
    assert "0 of 5 done" in page
    assert '<progress id="setup-progress"' in page
    for link in ('href="/settings/people/"', 'href="/settings/sla/"', 'href="/settings/email/"'):
        assert link in page
    response = client_for(system_b, user_b).get("/", HTTP_HOST=host_of(system_a))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("step", "make"),
    [
        ("team", _agent),
        ("team", _invite),
        ("hours", lambda: BusinessHours.objects.create()),
        ("category", lambda: Category.objects.create(name="Printers")),
        ("email", _mailbox),
        ("email", lambda: _forwarding(verified=True)),
    ],
)
def test_each_step_ticks_itself_when_the_system_gets_there(system_a, owner_a, step, make):
    assert _done(system_a, owner_a) == set()
    with in_schema(system_a):
        make()
    assert _done(system_a, owner_a) == {step}


def test_a_first_ticket_ticks_its_step(system_a, owner_a, make_ticket):
    make_ticket(owner_a)
    assert _done(system_a, owner_a) == {"ticket"}


def test_what_is_not_done_yet_does_not_tick(system_a, owner_a):
    with in_schema(system_a):
        _forwarding(verified=False)  # the confirmation never came back
        MailSettings.objects.create(imap_enabled=False, imap_host="imap.alpha.example")
        UserFactory(email="gone@alpha.example", role=User.Role.AGENT, is_active=False)
        Invitation.objects.create(
            email="late@alpha.example",
            token_hash="1" * 64,
            invited_by_name="Olga",
            expires_at=timezone.now() - timedelta(days=1),
        )
    assert _done(system_a, owner_a) == set()


@pytest.mark.parametrize("rows", [0, 3])
def test_the_steps_are_read_in_one_query_whatever_the_system_holds(system_a, owner_a, rows):
    with in_schema(system_a):
        for n in range(rows):
            UserFactory(email=f"agent{n}@alpha.example", role=User.Role.AGENT)
            Category.objects.create(name=f"Category {n}")
        with CaptureQueriesContext(connection) as captured:
            checklist_for_user(user=owner_a)
    # The first statement of a request sets the schema: not the checklist's.
    reads = [q["sql"] for q in captured if not q["sql"].startswith("SET search_path")]
    assert len(reads) == 1, reads


@pytest.mark.parametrize("rows", [1, 4])
def test_the_dashboard_with_the_checklist_keeps_its_query_count(
    system_a, owner_a, make_ticket, rows, django_assert_max_num_queries
):
    for n in range(rows):
        make_ticket(owner_a, subject=f"Broken thing {n}", assignee=owner_a)
    client = client_for(system_a, owner_a)
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        page = client.get("/").content.decode()
        assert "1 of 5 done" in page
        assert "Broken thing 0" in page


def test_an_admin_sees_it_with_his_own_account_counting_as_the_team(system_a, admin_a):
    assert _done(system_a, admin_a) == {"team"}


def test_agents_and_members_never_see_it(system_a, agent_a, member_a):
    for user in (agent_a, member_a):
        page = client_for(system_a, user).get("/").content.decode()
        assert "Welcome" in page
        assert "Set up your help desk" not in page
        assert client_for(system_a, user).post("/setup/checklist/hide/").status_code == 403
    with in_schema(system_a):
        assert not ChecklistHidden.objects.exists()


def test_hiding_it_is_for_good_and_only_for_whoever_hid_it(system_a, owner_a, admin_a):
    client = client_for(system_a, owner_a)
    response = client.post("/setup/checklist/hide/", follow=True)

    assert response.redirect_chain == [("/", 302)]
    assert "The set-up checklist is hidden." in response.content.decode()
    assert "Set up your help desk" not in response.content.decode()
    assert client.post("/setup/checklist/hide/").status_code == 302  # twice is harmless
    with in_schema(system_a):
        Category.objects.create(name="Printers")  # more done: still hidden
    assert "Set up your help desk" not in client.get("/").content.decode()
    assert "Set up your help desk" in client_for(system_a, admin_a).get("/").content.decode()


def test_hiding_takes_a_post(system_a, owner_a):
    assert client_for(system_a, owner_a).get("/setup/checklist/hide/").status_code == 405


def test_it_goes_away_by_itself_once_everything_is_done(system_a, owner_a, make_ticket):
    with in_schema(system_a):
        _invite()
        BusinessHours.objects.create()
        Category.objects.create(name="Printers")
        _mailbox()
    assert "4 of 5 done" in client_for(system_a, owner_a).get("/").content.decode()
    make_ticket(owner_a)
    with in_schema(system_a):
        assert checklist_for_user(user=owner_a) is None
    assert "Set up your help desk" not in client_for(system_a, owner_a).get("/").content.decode()


def test_system_b_user_cannot_hide_system_a_checklist(system_a, system_b, owner_a, user_b):
    client = client_for(system_b, user_b)  # signed in at B, asking A's host
    response = client.post("/setup/checklist/hide/", HTTP_HOST=host_of(system_a))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    with in_schema(system_a):
        assert not ChecklistHidden.objects.exists()

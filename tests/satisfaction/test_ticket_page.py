"""On the ticket's page: its requester is asked "How did we do?" once it is solved and sees
his own answer; staff see the answer; nobody else can answer; pages in a fixed number of
queries."""

from __future__ import annotations

import pytest
from django.core import mail

from tests.factories import UserFactory
from tests.satisfaction.support import reopen, solve
from tests.support.tenancy import client_for, host_of, in_schema
from tickets.models import SatisfactionRating

pytestmark = pytest.mark.django_db


def _solved(system, ticket, agent, commit, times=1):
    for n in range(times):
        if n:
            reopen(system, actor=agent, ticket=ticket)
        solve(system, commit, actor=agent, ticket=ticket)


@pytest.mark.parametrize("solves", [1, 3])
def test_the_requester_is_asked_and_answers_on_the_ticket_in_a_fixed_number_of_queries(
    solves,
    system_a,
    member_a,
    agent_a,
    make_ticket,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    ticket = make_ticket(member_a)
    _solved(system_a, ticket, agent_a, django_capture_on_commit_callbacks, times=solves)
    member = client_for(system_a, member_a)
    path = f"/tickets/{ticket.number}/"
    member.get(path)

    with django_assert_max_num_queries(15):
        page = member.get(path).content.decode()
    assert "How did we do?" in page and 'action="/tickets/' in page

    answered = member.post(f"{path}satisfaction/", {"answer": "good", "comment": "Quick fix"})
    assert answered.status_code == 302 and answered["Location"] == path
    with django_assert_max_num_queries(15):
        page = member.get(path).content.decode()
    assert "Good" in page and "Quick fix" in page and "Change your answer" in page

    agent = client_for(system_a, agent_a)
    agent.get(path)
    with django_assert_max_num_queries(19):
        staff_page = agent.get(path).content.decode()
    assert "Satisfaction" in staff_page and "Quick fix" in staff_page
    assert "Change your answer" not in staff_page
    with in_schema(system_a):
        rating = SatisfactionRating.objects.order_by("-solved_at").first()
    assert rating is not None and rating.answered_by_id == member_a.pk


def test_staff_see_a_solve_not_answered_yet_and_members_see_nothing_once_reopened(
    system_a, member_a, agent_a, make_ticket, django_capture_on_commit_callbacks
):
    ticket = make_ticket(member_a)
    solve(system_a, django_capture_on_commit_callbacks, actor=agent_a, ticket=ticket)
    path = f"/tickets/{ticket.number}/"
    assert "no answer yet" in client_for(system_a, agent_a).get(path).content.decode()

    reopen(system_a, actor=member_a, ticket=ticket)
    assert "How did we do?" not in client_for(system_a, member_a).get(path).content.decode()


def test_only_the_requester_answers_and_system_b_gets_nothing(
    system_a, system_b, member_a, agent_a, user_b, make_ticket, django_capture_on_commit_callbacks
):
    ticket = make_ticket(member_a)
    with in_schema(system_a):
        other = UserFactory(email="otto@alpha.example", full_name="Otto", role="member")
        ticket.followers.add(other)  # he may read the ticket, not rate it
    solve(system_a, django_capture_on_commit_callbacks, actor=agent_a, ticket=ticket)
    path = f"/tickets/{ticket.number}/satisfaction/"
    data = {"answer": "bad"}

    assert client_for(system_a, agent_a).post(path, data).status_code == 404
    assert client_for(system_a, other).post(path, data).status_code == 404
    crossed = client_for(system_b, user_b).post(path, data, HTTP_HOST=host_of(system_a))
    assert crossed.status_code == 302 and crossed["Location"].startswith("/accounts/login/")
    with in_schema(system_a):
        assert SatisfactionRating.objects.get(ticket=ticket).answer == ""


def test_a_comment_too_long_is_refused_and_kept(
    system_a, member_a, agent_a, make_ticket, django_capture_on_commit_callbacks
):
    ticket = make_ticket(member_a)
    solve(system_a, django_capture_on_commit_callbacks, actor=agent_a, ticket=ticket)
    mail.outbox.clear()
    long = "Too slow. " * 201

    page = client_for(system_a, member_a).post(
        f"/tickets/{ticket.number}/satisfaction/", {"answer": "bad", "comment": long}
    )
    assert page.status_code == 400
    body = page.content.decode()
    assert "Too slow. Too slow." in body and "2000 characters" in body
    with in_schema(system_a):
        assert SatisfactionRating.objects.get(ticket=ticket).answer == ""

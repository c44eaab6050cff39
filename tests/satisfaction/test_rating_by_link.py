"""The mail that asks, and its links: they work signed out, record nothing on a GET, take
one answer per solve that may change for 7 days, and are worth nothing tampered with, too
old, or at another System."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from tenants.models import System
from tests.mail.outbound_support import contact_ticket
from tests.satisfaction.support import links, reopen, solve, visitor
from tests.support.tenancy import host_of, in_schema
from tickets.models import NotificationPreference, SatisfactionRating
from tickets.satisfaction.tokens import rating_token

pytestmark = pytest.mark.django_db


def _rating(system, ticket) -> SatisfactionRating:
    with in_schema(system):
        return SatisfactionRating.objects.get(ticket=ticket)


def test_the_mail_link_shows_the_answer_chosen_and_records_it_only_on_the_button(
    system_a,
    member_a,
    agent_a,
    make_ticket,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    ticket = make_ticket(member_a)
    mail.outbox.clear()
    solve(system_a, django_capture_on_commit_callbacks, actor=agent_a, ticket=ticket)
    path = links(member_a.email)["bad"]
    client = visitor(system_a)  # signed out

    with django_assert_max_num_queries(6):  # a first visit, signed out
        page = client.get(path)
    assert page.status_code == 200
    body = page.content.decode()
    assert f"#{ticket.number}" in body and "Printer on floor 3" in body
    assert re.search(r'<input[^>]*value="bad"[^>]*checked', body)  # the link's answer
    assert not re.search(r'<input[^>]*value="good"[^>]*checked', body)
    assert _rating(system_a, ticket).answer == ""  # a mail scanner's GET changes nothing

    done = client.post(path, {"answer": "bad", "comment": "Still jams on Mondays."})
    assert done.status_code == 200
    assert "your answer is recorded" in done.content.decode()
    rating = _rating(system_a, ticket)
    assert (rating.answer, rating.comment, rating.answered_by) == (
        "bad",
        "Still jams on Mondays.",
        None,
    )


def test_one_answer_per_solve_changes_for_seven_days_then_is_refused(
    system_a, member_a, agent_a, make_ticket, django_capture_on_commit_callbacks
):
    ticket = make_ticket(member_a)
    solve(system_a, django_capture_on_commit_callbacks, actor=agent_a, ticket=ticket)
    paths = links(member_a.email)
    client = visitor(system_a)
    client.post(paths["good"], {"answer": "good"})

    with time_machine.travel(timezone.now() + timedelta(days=6)):
        assert (
            client.post(paths["bad"], {"answer": "bad", "comment": "It broke again"}).status_code
            == 200
        )
    rating = _rating(system_a, ticket)
    assert (rating.answer, rating.comment) == ("bad", "It broke again")
    assert rating.changed_at is not None

    with time_machine.travel(timezone.now() + timedelta(days=8)):
        late = client.post(paths["good"], {"answer": "good"})
    assert "can be changed for 7 days" in late.content.decode()
    assert _rating(system_a, ticket).answer == "bad"
    with in_schema(system_a):
        assert SatisfactionRating.objects.count() == 1  # one row, one answer, per solve


def test_reopened_and_solved_again_is_a_new_solve_asked_again(
    system_a, member_a, agent_a, make_ticket, django_capture_on_commit_callbacks
):
    ticket = make_ticket(member_a)
    solve(system_a, django_capture_on_commit_callbacks, actor=agent_a, ticket=ticket)
    first = links(member_a.email)
    reopen(system_a, actor=member_a, ticket=ticket)
    client = visitor(system_a)

    refused = client.post(first["good"], {"answer": "good"})
    assert "reopened since" in refused.content.decode()

    mail.outbox.clear()
    solve(system_a, django_capture_on_commit_callbacks, actor=agent_a, ticket=ticket)
    second = links(member_a.email)
    assert client.post(second["good"], {"answer": "good"}).status_code == 200
    with in_schema(system_a):
        answers = list(
            SatisfactionRating.objects.filter(ticket=ticket)
            .order_by("solved_at")
            .values_list("answer", flat=True)
        )
    assert answers == ["", "good"]
    assert "reopened since" in client.get(first["good"]).content.decode()


def test_tampered_expired_and_other_systems_tokens_are_refused(
    system_a, system_b, member_a, agent_a, make_ticket, django_capture_on_commit_callbacks
):
    ticket = make_ticket(member_a)
    solve(system_a, django_capture_on_commit_callbacks, actor=agent_a, ticket=ticket)
    path = links(member_a.email)["good"]
    client = visitor(system_a)
    token = path.rstrip("/").rsplit("/", 1)[1]

    tampered = path.replace(token, token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
    assert client.get(tampered).status_code == 404
    assert client.post(tampered, {"answer": "good"}).status_code == 404
    rating = _rating(system_a, ticket)
    foreign = rating_token(system=system_b, rating_id=rating.pk, ticket_id=ticket.pk, answer="good")
    assert client.get(f"/satisfaction/{foreign}/").status_code == 404
    # A's own link at B's host: B signs with its own salt.
    assert visitor(system_b).get(path).status_code == 404
    assert host_of(system_a) != host_of(system_b)

    with time_machine.travel(timezone.now() + timedelta(days=22)):
        expired = client.post(path, {"answer": "good"})
    assert expired.status_code == 410
    assert _rating(system_a, ticket).answer == ""


def test_a_contact_requester_is_asked_by_mail_and_answers_by_the_link(
    system_a, agent_a, django_capture_on_commit_callbacks
):
    ticket = contact_ticket(system_a, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    solve(system_a, django_capture_on_commit_callbacks, actor=agent_a, ticket=ticket)

    path = links("eve@outside.example")["good"]
    assert (
        visitor(system_a).post(path, {"answer": "good", "comment": "Fast, thanks"}).status_code
        == 200
    )
    rating = _rating(system_a, ticket)
    assert (rating.answer, rating.comment) == ("good", "Fast, thanks")


def test_no_mail_to_a_person_who_turned_these_questions_off_but_he_is_asked_on_the_ticket(
    system_a, member_a, agent_a, make_ticket, django_capture_on_commit_callbacks
):
    ticket = make_ticket(member_a)
    with in_schema(system_a):
        NotificationPreference.objects.create(user=member_a, satisfaction=False)
    mail.outbox.clear()
    solve(system_a, django_capture_on_commit_callbacks, actor=agent_a, ticket=ticket)

    assert [m for m in mail.outbox if m.to == [member_a.email]] == []
    assert _rating(system_a, ticket).answer == ""  # asked: the ticket's page shows it


def test_turning_reply_mail_off_leaves_the_question_and_its_link_turns_off_only_questions(
    system_a, member_a, agent_a, make_ticket, django_capture_on_commit_callbacks
):
    ticket = make_ticket(member_a)
    with in_schema(system_a):
        NotificationPreference.objects.create(user=member_a, replies=False)
    mail.outbox.clear()
    solve(system_a, django_capture_on_commit_callbacks, actor=agent_a, ticket=ticket)

    (asked,) = [m for m in mail.outbox if m.to == [member_a.email]]
    assert "how did we do?" in asked.subject
    link = urlsplit(asked.message()["List-Unsubscribe"].strip("<>")).path
    one_click = Client(HTTP_HOST=host_of(system_a)).post(link, {"List-Unsubscribe": "One-Click"})

    assert one_click.status_code == 200
    with in_schema(system_a):
        preference = NotificationPreference.objects.get(user=member_a)
    assert (preference.satisfaction, preference.replies, preference.assignments) == (
        False,
        False,
        True,
    )


def test_a_suspended_system_asks_on_the_ticket_but_sends_no_mail(
    system_a, member_a, agent_a, make_ticket, django_capture_on_commit_callbacks
):
    ticket = make_ticket(member_a)
    System.objects.filter(pk=system_a.pk).update(status=System.Status.SUSPENDED)
    mail.outbox.clear()
    solve(system_a, django_capture_on_commit_callbacks, actor=agent_a, ticket=ticket)

    assert mail.outbox == []
    assert _rating(system_a, ticket).answer == ""

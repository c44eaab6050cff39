"""satisfaction_summary (and per group): what reports read, in one query."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.support.tenancy import in_schema
from tickets.models import Category, SatisfactionRating
from tickets.satisfaction.selectors import satisfaction_by, satisfaction_summary

pytestmark = pytest.mark.django_db


def test_the_summary_counts_good_and_bad_of_the_solves_in_range_and_gives_the_rate(
    system_a, member_a, agent_a, make_ticket, django_assert_num_queries
):
    now = timezone.now()
    with in_schema(system_a):
        printers = Category.objects.create(name="Printers")
    tickets = [
        make_ticket(agent_a, requester=member_a, assignee=agent_a, category=printers)
        for _ in range(4)
    ]
    tickets.append(make_ticket(member_a))
    answers = ["good", "good", "bad", "", "good"]
    with in_schema(system_a):
        for ticket, answer in zip(tickets, answers, strict=True):
            SatisfactionRating.objects.create(
                ticket=ticket,
                solved_at=now - timedelta(days=1),
                answer=answer,
                answered_at=now if answer else None,
            )
        SatisfactionRating.objects.create(  # out of range
            ticket=tickets[0], solved_at=now - timedelta(days=40), answer="bad", answered_at=now
        )
        tickets[4].deleted_at = now  # in the trash: not counted
        tickets[4].save(update_fields=["deleted_at"])

        start, end = now - timedelta(days=30), now
        with django_assert_num_queries(1):
            summary = satisfaction_summary(start=start, end=end)
        assert (summary.asked, summary.good, summary.bad, summary.answered) == (4, 2, 1, 3)
        assert summary.rate == pytest.approx(2 / 3)
        assert summary.response_rate == pytest.approx(3 / 4)
        mine = satisfaction_summary(start=start, end=end, assignee_id=agent_a.pk)
        assert (mine.good, mine.bad) == (2, 1)
        assert satisfaction_summary(start=end, end=end + timedelta(days=1)).rate is None
        with django_assert_num_queries(1):
            by_category = satisfaction_by(start=start, end=end, group="category")
        assert by_category[printers.pk].good == 2

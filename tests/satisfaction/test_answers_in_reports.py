"""The reports page lists the latest answers themselves: the ticket, the answer, the
comment and when, in the reader's zone (named), newest first, in one query."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from tests.support.tenancy import client_for, in_schema
from tickets.models import SatisfactionRating
from tickets.satisfaction.report import satisfaction_answers_table

pytestmark = pytest.mark.django_db
SAIGON = ZoneInfo("Asia/Ho_Chi_Minh")


def _rated(system, make_ticket, actor, *, subject, answer, comment, answered):
    ticket = make_ticket(actor, subject=subject)
    with in_schema(system):
        SatisfactionRating.objects.create(
            ticket=ticket,
            solved_at=answered - timedelta(hours=1),
            answer=answer,
            comment=comment,
            answered_at=answered,
        )
    return ticket


def test_the_latest_answers_show_ticket_answer_comment_and_local_time(
    system_a, admin_a, member_a, make_ticket, django_assert_num_queries
):
    now = timezone.now().replace(microsecond=0)
    _rated(system_a, make_ticket, member_a, subject="Printer fixed", answer="good",
           comment="Quick and clear", answered=now - timedelta(hours=2))  # fmt: skip
    _rated(system_a, make_ticket, member_a, subject="VPN still slow", answer="bad",
           comment="", answered=now - timedelta(hours=1))  # fmt: skip
    unanswered = make_ticket(member_a, subject="Not answered")
    with in_schema(system_a):
        SatisfactionRating.objects.create(ticket=unanswered, solved_at=now)
        with timezone.override(SAIGON), django_assert_num_queries(1):
            table = satisfaction_answers_table(start=now - timedelta(days=1), end=now)

    assert table.headers[-1] == "Answered at (Asia/Ho_Chi_Minh)"
    assert [row[0].split(" ", 1)[1] for row in table.rows] == ["VPN still slow", "Printer fixed"]
    assert [row[1] for row in table.rows] == ["Bad", "Good"]
    assert table.rows[1][2] == "Quick and clear"
    local = (now - timedelta(hours=2)).astimezone(SAIGON)
    assert table.rows[1][3] == date_format(local, "SHORT_DATETIME_FORMAT")


def test_an_admin_in_saigon_reads_them_on_the_reports_page(
    system_a, admin_a, member_a, make_ticket
):
    answered = timezone.now().replace(microsecond=0) - timedelta(minutes=30)
    _rated(system_a, make_ticket, member_a, subject="Invoice found", answer="good",
           comment="Cảm ơn!", answered=answered)  # fmt: skip
    with in_schema(system_a):
        User.objects.filter(pk=admin_a.pk).update(time_zone="Asia/Ho_Chi_Minh")

    page = client_for(system_a, admin_a).get("/reports/").content.decode()

    assert "Latest answers" in page
    assert "Answered at (Asia/Ho_Chi_Minh)" in page
    assert "Invoice found" in page and "Cảm ơn!" in page
    assert date_format(answered.astimezone(SAIGON), "SHORT_DATETIME_FORMAT") in page

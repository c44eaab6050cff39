"""Previous / next in the list the ticket was opened from: same filters, same order."""

import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.utils import timezone

from tests.support.tenancy import in_schema
from tickets.collab.neighbours import ticket_neighbours
from tickets.models import PRIORITY_RANK, Priority, Status, Ticket
from tickets.selectors import SORTS, TicketFilters, ticket_page


@pytest.fixture
def tickets(system_a, make_ticket, agent_a, member_a):
    """Seven tickets with ties on every sort key and some without a due date."""
    now = timezone.now()
    made = []
    specs = [  # priority, hours ago (updated and created), due in days or None, status
        ("high", 5, 3, Status.OPEN),
        ("normal", 5, None, Status.OPEN),
        ("urgent", 1, 3, Status.OPEN),
        ("normal", 3, 1, Status.PENDING),
        ("low", 2, None, Status.OPEN),
        ("high", 4, 3, Status.OPEN),
        ("normal", 6, 2, Status.SOLVED),
    ]
    for index, (priority, hours, due, status) in enumerate(specs):
        ticket = make_ticket(member_a, subject=f"Printer {index}")
        with in_schema(system_a):
            Ticket.objects.filter(pk=ticket.pk).update(
                priority=priority,
                priority_rank=PRIORITY_RANK[Priority(priority)],
                updated_at=now - timedelta(hours=hours),
                created_at=now - timedelta(hours=hours),
                due_on=now.date() + timedelta(days=due) if due is not None else None,
                status=status,
            )
        made.append(ticket)
    return made


@pytest.mark.parametrize("sort", sorted(SORTS))
def test_walking_previous_and_next_gives_the_lists_own_order(system_a, agent_a, tickets, sort):
    filters = TicketFilters(statuses=[Status.OPEN, Status.PENDING], sort=sort)
    with in_schema(system_a):
        order = [row.ticket for row in ticket_page(user=agent_a, filters=filters).rows]
        assert len(order) == 6
        for at, ticket in enumerate(order):
            around = ticket_neighbours(user=agent_a, ticket=ticket, filters=filters)
            assert around.previous == (order[at - 1].number if at else None)
            assert around.next == (order[at + 1].number if at + 1 < len(order) else None)


def test_a_searched_list_walks_in_rank_order(system_a, agent_a, tickets):
    filters = TicketFilters(q="printer")
    with in_schema(system_a):
        order = [row.ticket.number for row in ticket_page(user=agent_a, filters=filters).rows]
        middle = Ticket.objects.get(number=order[3])
        around = ticket_neighbours(user=agent_a, ticket=middle, filters=filters)
    assert (around.previous, around.next) == (order[2], order[4])


def test_the_list_links_carry_it_and_the_ticket_page_links_its_neighbours(
    system_a, agent_client, tickets, django_assert_max_num_queries
):
    listed = "status=open&sort=priority"
    page = agent_client.get(f"/tickets/?{listed}").content.decode()
    carried = f"?list={quote(listed, safe='')}"
    numbers = re.findall(rf'<a href="/tickets/(\d+)/{re.escape(carried)}">', page)
    assert len(numbers) == 5

    first, second, last = numbers[0], numbers[1], numbers[-1]
    # 19: the staff ticket page's 18 (canned responses, custom fields), + both neighbours
    # in one query (a UNION of two LIMIT 1 keyset scans): the same for a list of one ticket
    # as for a long one.
    alone = f"?list={quote('status=solved', safe='')}"
    solved = re.findall(
        r'<a href="/tickets/(\d+)/', agent_client.get("/tickets/?status=solved").content.decode()
    )
    with django_assert_max_num_queries(19):
        html = agent_client.get(f"/tickets/{solved[0]}/{alone}").content.decode()
        assert "Back to the list" in html and 'rel="next"' not in html and 'rel="prev"' not in html
    with django_assert_max_num_queries(19):
        html = agent_client.get(f"/tickets/{first}/{carried}").content.decode()
        links = {
            name: href
            for href, name in re.findall(
                r'<a href="([^"]+)" (?:rel="\w+" )?data-shortcut="(\w+)"', html
            )
        }
        assert links == {
            "list": f"/tickets/?{listed.replace('&', '&amp;')}",
            "next": f"/tickets/{second}/{carried}",
        }
        assert '<span class="text-body-secondary">← Previous</span>' in html
    html = agent_client.get(f"/tickets/{last}/{carried}").content.decode()
    assert 'rel="prev"' in html and 'rel="next"' not in html
    assert '<dialog id="keyboard-shortcuts"' in html and "js/shortcuts.js" in html
    # Opened on its own, the page has no list to walk.
    assert "Back to the list" not in agent_client.get(f"/tickets/{first}/").content.decode()


def test_a_member_asking_for_the_sla_order_walks_the_order_his_list_shows(
    system_a, member_a, tickets
):
    filters = TicketFilters(sort="sla")
    with in_schema(system_a):
        shown = [row.ticket.number for row in ticket_page(user=member_a, filters=filters).rows]
        middle = Ticket.objects.get(number=shown[1])
        found = ticket_neighbours(user=member_a, ticket=middle, filters=filters)

    assert (found.previous, found.next) == (shown[0], shown[2])

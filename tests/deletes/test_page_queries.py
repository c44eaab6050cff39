"""The delete pages answer in a fixed number of queries, however many people and tickets
the System holds."""

from __future__ import annotations

import pytest

from accounts.models import Role
from tests.factories import UserFactory
from tests.support.tenancy import client_for, in_schema


def _grow(system, make_ticket, owner, people: int) -> None:
    with in_schema(system):
        made = [UserFactory(role=Role.MEMBER) for _ in range(people)]
    for person in made:
        make_ticket(person, subject=f"From {person.full_name}")
    make_ticket(owner, subject="Owner's own")


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("owner", "/settings/delete/"),
        ("member", "/account/delete/"),
        ("admin", "/settings/people/{member}/delete/"),
    ],
)
def test_delete_pages_cost_the_same_queries_with_2_or_22_people(
    system_a, owner_a, admin_a, member_a, make_ticket, django_assert_max_num_queries, who, url
):
    client = client_for(system_a, {"owner": owner_a, "admin": admin_a, "member": member_a}[who])
    url = url.format(member=member_a.pk)
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(20) as few:
        client.get(url)

    _grow(system_a, make_ticket, owner_a, people=20)

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_trash_confirm_pages_cost_the_same_queries_with_2_or_22_people(
    system_a, owner_a, admin_a, member_a, make_ticket, django_assert_max_num_queries
):
    from tickets.services import trash

    live = make_ticket(member_a, subject="Keep", files=[("a.txt", b"a")])
    gone = make_ticket(member_a, subject="Gone", files=[("b.txt", b"b")])
    with in_schema(system_a):
        live_file = live.attachments.get()
        trash.ticket_trash(actor=admin_a, ticket=gone)
    client = client_for(system_a, admin_a)
    urls = [
        f"/tickets/{live.number}/trash/",
        f"/tickets/{live.number}/files/{live_file.pk}/trash/",
        f"/trash/tickets/{gone.number}/delete/",
    ]
    counts = {}
    for url in urls:
        assert client.get(url).status_code == 200, url
        with django_assert_max_num_queries(20) as few:
            client.get(url)
        counts[url] = len(few.captured_queries)

    _grow(system_a, make_ticket, owner_a, people=20)

    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200, url

"""Article search (tickets' ranking, in English and Vietnamese), the suggestions on a new
ticket and the agents' article picker."""

from __future__ import annotations

import pytest

from tests.support.tenancy import client_for, host_of, in_schema
from tickets.kb import search


def _titles(response) -> list[str]:
    return [article.title for article in response.context["found"]]


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_body(kb, system_a, member_a):
    kb.article("Printers and scanners", "How to add a device.")
    kb.article("Adding a device", "Works for printers and phones alike.")

    response = client_for(system_a, member_a).get("/help/search/", {"q": "printers"})

    assert _titles(response) == ["Printers and scanners", "Adding a device"]


@pytest.mark.parametrize("typed", ["hóa đơn", "hoa don", "Hóa", "HOA DON"])
def test_a_vietnamese_article_is_found_with_or_without_diacritics(typed, kb, system_a, member_a):
    kb.article("Cách xem hóa đơn điện tử", "Vào mục Thanh toán.", language="vi")
    kb.article("Đổi mật khẩu", "Vào mục Tài khoản.", language="vi")

    response = client_for(system_a, member_a).get("/help/search/", {"q": typed})

    assert _titles(response) == ["Cách xem hóa đơn điện tử"]


def test_the_last_word_matches_as_a_prefix_and_every_word_must_match(kb, system_a, member_a):
    kb.article("Connect to the VPN", "Use the company client.")
    kb.article("VPN on a phone", "Install the app.")
    client = client_for(system_a, member_a)

    assert _titles(client.get("/help/search/", {"q": "vpn conn"})) == ["Connect to the VPN"]
    assert client.get("/help/search/", {"q": "  "}).context["found"] is None


def test_folded_queries_hold_only_word_characters():
    assert search.to_tsquery("Hóa đơn") == "('hóa' | 'hoa') & ('đơn':* | 'don':*)"
    assert search.to_tsquery("it's") == "('it') & ('s':*)"
    assert search.to_tsquery("!!!") is None


def test_search_results_are_paginated(kb, system_a, member_a):
    for n in range(23):
        kb.article(f"Laptop tip {n:02}", "laptop")
    client = client_for(system_a, member_a)

    first = client.get("/help/search/", {"q": "laptop"})
    second = client.get("/help/search/", {"q": "laptop", "page": 2})

    assert len(_titles(first)) == 20 and len(_titles(second)) == 3
    assert b"23 articles found" in first.content and b"Page 1 of 2" in first.content


def test_suggestions_list_only_public_articles_in_a_fixed_number_of_queries(
    kb, system_a, member_a, django_assert_max_num_queries
):
    kb.article("Reset your password", "Use the link.")
    kb.article("Password rules for admins", "Twelve characters.", visibility="internal")
    kb.article("Password manager rollout", "Soon.", visibility="draft")
    client = client_for(system_a, member_a)
    client.get("/help/suggest/", {"q": "password"})

    with django_assert_max_num_queries(6) as captured:
        response = client.get("/help/suggest/", {"q": "passw"})
        assert [a["title"] for a in response.json()["articles"]] == ["Reset your password"]
    for n in range(10):
        kb.article(f"Password tip {n}", "password")
    with django_assert_max_num_queries(len(captured.captured_queries)):
        response = client.get("/help/suggest/", {"q": "password"})
        assert len(response.json()["articles"]) == 5
    assert response.json()["articles"][0]["url"].startswith("/help/articles/")


def test_suggestions_need_a_signed_in_person_of_this_system(kb, system_a, system_b, user_b):
    kb.article("Reset your password")
    intruder = client_for(system_b, user_b)

    response = intruder.get("/help/suggest/", {"q": "password"}, HTTP_HOST=host_of(system_a))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_new_ticket_page_carries_the_suggestions_box(system_a, member_a):
    page = client_for(system_a, member_a).get("/tickets/new/")

    assert b'data-kb-suggest="/help/suggest/"' in page.content
    assert b"js/kb-suggest.js" in page.content and b'aria-live="polite"' in page.content


def test_agents_find_public_articles_to_link_with_their_full_address(
    kb, system_a, agent_a, member_a, make_ticket
):
    article = kb.article("Reset your password")
    kb.article("Password rules for admins", visibility="internal")
    ticket = make_ticket(member_a, subject="Locked out")
    agent = client_for(system_a, agent_a)

    found = agent.get("/help/manage/lookup/", {"q": "password"}).json()["articles"]

    assert found == [
        {
            "title": "Reset your password",
            "url": f"http://{host_of(system_a)}/help/articles/{article.pk}-reset-your-password/",
        }
    ]
    page = agent.get(f"/tickets/{ticket.number}/")
    assert b"data-kb-link=" in page.content and b'target="_blank"' in page.content
    member = client_for(system_a, member_a)
    assert b"data-kb-link=" not in member.get(f"/tickets/{ticket.number}/").content
    assert member.get("/help/manage/lookup/", {"q": "password"}).status_code == 404


def test_an_edit_updates_what_search_finds(kb, system_a, agent_a, member_a):
    from tickets.kb import services

    article = kb.article("Old words", "nothing here")
    with in_schema(system_a):
        services.article_update(
            actor=agent_a,
            article=article,
            section=article.section,
            title="Fresh words",
            body="about the badge printer",
            visibility="public",
            language="en",
        )
    client = client_for(system_a, member_a)

    assert _titles(client.get("/help/search/", {"q": "badge"})) == ["Fresh words"]
    assert _titles(client.get("/help/search/", {"q": "old"})) == []

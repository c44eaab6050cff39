"""The help center: who reads which article, the public setting, pages and their query
counts, and "did this help?" counted once per reader."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.support.tenancy import client_for, host_of, in_schema
from tickets.kb import services
from tickets.kb.models import ArticleVote


@pytest.fixture
def three(kb):
    """One article of each visibility, in one section."""
    return {
        "public": kb.article("Reset your password", "Open **Your account**."),
        "internal": kb.article("Escalation phone tree", "Call Bob.", visibility="internal"),
        "draft": kb.article("Upcoming VPN change", "Not yet.", visibility="draft"),
    }


def _visitor(system) -> Client:
    return Client(HTTP_HOST=host_of(system))


def _open_to_visitors(system, admin, public: bool) -> None:
    with in_schema(system):
        services.help_center_set(actor=admin, public=public)


@pytest.mark.parametrize("who", ["member", "visitor", "system_b_user"])
def test_readers_see_public_articles_and_never_internal_or_draft_ones(
    who, three, system_a, member_a, system_b, user_b
):
    client = {
        "member": lambda: client_for(system_a, member_a),
        "visitor": lambda: _visitor(system_a),
        "system_b_user": lambda: _b_at_a(system_a, system_b, user_b),
    }[who]()

    home = client.get("/help/")
    assert home.status_code == 200
    assert b"Reset your password" in home.content
    assert b"Escalation phone tree" not in home.content
    assert b"Upcoming VPN change" not in home.content
    assert client.get(three["public"].get_absolute_url()).status_code == 200
    for hidden in (three["internal"], three["draft"]):
        assert client.get(hidden.get_absolute_url()).status_code == 404
        assert client.get(f"/help/articles/{hidden.pk}-x/").status_code == 404  # no redirect
        assert (
            client.post(f"/help/articles/{hidden.pk}/vote/", {"helpful": "yes"}).status_code == 404
        )
    found = client.get("/help/search/", {"q": "phone"})
    assert b"Escalation" not in found.content and b"No article matches" in found.content


def _b_at_a(system_a, system_b, user_b) -> Client:
    client = client_for(system_b, user_b)
    client.defaults["HTTP_HOST"] = host_of(system_a)
    return client


def test_agents_read_every_article_with_its_visibility_marked(three, system_a, agent_a):
    client = client_for(system_a, agent_a)

    home = client.get("/help/")

    for article in three.values():
        assert article.title.encode() in home.content
        assert client.get(article.get_absolute_url()).status_code == 200
    assert b"Internal</span>" in home.content and b"Draft</span>" in home.content


def test_a_section_of_internal_articles_only_is_hidden_from_members(
    kb, system_a, member_a, agent_a
):
    secret = kb.section("Night shift")
    kb.article("Where the keys are", section=secret, visibility="internal")
    kb.article("Printing", visibility="public")
    member = client_for(system_a, member_a)

    assert b"Night shift" not in member.get("/help/").content
    assert member.get(f"/help/sections/{secret.pk}/").status_code == 404
    assert client_for(system_a, agent_a).get(f"/help/sections/{secret.pk}/").status_code == 200


def test_a_closed_help_center_sends_visitors_to_sign_in_and_still_serves_members(
    three, system_a, admin_a, member_a
):
    _open_to_visitors(system_a, admin_a, public=False)
    url = three["public"].get_absolute_url()

    for path in ("/help/", url, "/help/search/?q=password"):
        response = _visitor(system_a).get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert client_for(system_a, member_a).get(url).status_code == 200

    _open_to_visitors(system_a, admin_a, public=True)
    assert _visitor(system_a).get(url).status_code == 200


def test_an_article_at_a_wrong_slug_moves_to_its_own_address(three, system_a, member_a):
    article = three["public"]

    response = client_for(system_a, member_a).get(f"/help/articles/{article.pk}-old-title/")

    assert response.status_code == 301
    assert response["Location"] == f"/help/articles/{article.pk}-reset-your-password/"


def test_a_vote_counts_once_per_person_and_once_per_browser_session(
    three, system_a, member_a, agent_a
):
    article = three["public"]
    vote = f"/help/articles/{article.pk}/vote/"
    member = client_for(system_a, member_a)
    visitor = _visitor(system_a)

    for _ in range(3):
        member.post(vote, {"helpful": "yes"})
        visitor.post(vote, {"helpful": "yes"})
    member.post(vote, {"helpful": "no"})  # changes his answer, adds none
    _visitor(system_a).post(vote, {"helpful": "yes"})  # another browser: another reader

    with in_schema(system_a):
        votes = sorted(
            ArticleVote.objects.filter(article=article).values_list("helpful", flat=True)
        )
    assert votes == [False, True, True]
    page = client_for(system_a, agent_a).get(article.get_absolute_url())
    assert b"2 found it helpful, 1 did not." in page.content
    assert b"You answered no" in member.get(article.get_absolute_url()).content


def test_an_article_page_shows_its_html_its_translation_and_when_it_changed(kb, system_a, member_a):
    english = kb.article("Read your invoice", "The **total** is at the bottom.")
    vietnamese = kb.article(
        "Cách đọc hóa đơn", "Tổng tiền ở cuối.", language="vi", translation=english
    )

    page = client_for(system_a, member_a).get(english.get_absolute_url())

    assert b"The <strong>total</strong> is at the bottom." in page.content
    assert vietnamese.get_absolute_url().encode() in page.content
    assert "Đọc bằng tiếng Việt".encode() in page.content
    assert b"Last updated" in page.content and b"Was this helpful?" in page.content


def test_a_draft_translation_is_not_linked_for_members(kb, system_a, member_a):
    english = kb.article("Read your invoice")
    kb.article("Cách đọc hóa đơn", language="vi", translation=english, visibility="draft")

    page = client_for(system_a, member_a).get(english.get_absolute_url())

    assert "hóa đơn".encode() not in page.content


@pytest.mark.parametrize("reader", ["member", "visitor"])
def test_help_center_pages_answer_in_the_same_queries_for_1_and_10_articles(
    reader, kb, system_a, member_a, django_assert_max_num_queries
):
    client = client_for(system_a, member_a) if reader == "member" else _visitor(system_a)
    section = kb.section("Accounts")
    first = kb.article("Printer setup 1", "printer", section=section)

    def pages(n: int) -> dict[str, tuple[str, bytes]]:
        return {
            "home": ("/help/", f"Printer setup {n}".encode()),
            "section": (f"/help/sections/{section.pk}/", f"Printer setup {n}".encode()),
            "article": (first.get_absolute_url(), b"Was this helpful?"),
            "search": ("/help/search/?q=printer", f"{n} article".encode()),
        }

    counts = {}
    for name, (path, expected) in pages(1).items():
        client.get(path)
        with django_assert_max_num_queries(12) as captured:
            response = client.get(path)
            assert response.status_code == 200 and expected in response.content, name
        counts[name] = len(captured.captured_queries)
    for n in range(2, 11):
        kb.article(f"Printer setup {n}", "printer", section=section)
    for name, (path, expected) in pages(10).items():
        with django_assert_max_num_queries(counts[name]):
            response = client.get(path)
            assert response.status_code == 200 and expected in response.content, name

"""/api/v1/kb: the help center's rule per role (drafts and internal articles never reach
members), search, and agents writing articles with versions and If-Match."""

from __future__ import annotations

import pytest

from accounts.apitokens.models import Scope
from tests.api.conftest import bearer_client
from tests.support.tenancy import CANARY_A, in_schema
from tickets.kb import services
from tickets.kb.models import Article, ArticleVersion


@pytest.fixture
def articles(system_a, agent_a):
    """One public, one internal and one draft article in a section each (the last two
    sections hold nothing a member may read)."""
    with in_schema(system_a):
        public_section = services.section_create(actor=agent_a, name="Printing")
        staff_section = services.section_create(actor=agent_a, name=f"Staff {CANARY_A}")
        made = {
            visibility: services.article_create(
                actor=agent_a,
                section=public_section if visibility == "public" else staff_section,
                title=f"{visibility.title()} printer guide",
                body=f"Printer E42 {'' if visibility == 'public' else CANARY_A}",
                visibility=visibility,
            )
            for visibility in ("public", "internal", "draft")
        }
    return made


def _titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(item["title"] for item in response.json()["items"])


def test_drafts_and_internal_articles_never_reach_members(
    system_a, member_a, agent_a, articles, api_for
):
    member = api_for(member_a)

    assert _titles(member.get("/api/v1/kb/articles")) == ["Public printer guide"]
    assert _titles(member.get("/api/v1/kb/articles", {"q": "printer"})) == ["Public printer guide"]
    assert _titles(member.get("/api/v1/kb/articles", {"visibility": "draft"})) == []
    assert [s["name"] for s in member.get("/api/v1/kb/sections").json()["items"]] == ["Printing"]
    for visibility in ("internal", "draft"):
        hidden = articles[visibility].pk
        for path in (f"/api/v1/kb/articles/{hidden}", f"/api/v1/kb/articles/{hidden}/versions"):
            response = member.get(path)
            assert response.status_code == 404
            assert CANARY_A not in response.content.decode()
    assert CANARY_A not in member.get("/api/v1/kb/sections").content.decode()


@pytest.mark.parametrize("reader", ["owner", "admin", "agent"])
def test_staff_read_every_article(system_a, owner_a, admin_a, agent_a, articles, api_for, reader):
    person = {"owner": owner_a, "admin": admin_a, "agent": agent_a}[reader]
    agent = api_for(person, scope=Scope.READ)

    assert _titles(agent.get("/api/v1/kb/articles")) == [
        "Draft printer guide",
        "Internal printer guide",
        "Public printer guide",
    ]
    assert _titles(agent.get("/api/v1/kb/articles", {"visibility": "internal"})) == [
        "Internal printer guide"
    ]
    read = agent.get(f"/api/v1/kb/articles/{articles['draft'].pk}")
    assert read.status_code == 200 and CANARY_A in read.json()["body"]


def test_search_finds_words_without_diacritics(system_a, agent_a, member_a, api_for):
    with in_schema(system_a):
        section = services.section_create(actor=agent_a, name="Hóa đơn")
        services.article_create(
            actor=agent_a,
            section=section,
            title="Cách in hóa đơn",
            body="Hướng dẫn.",
            visibility="public",
            language="vi",
        )

    found = api_for(member_a).get("/api/v1/kb/articles", {"q": "hoa don"})

    assert _titles(found) == ["Cách in hóa đơn"]


def test_an_agent_writes_and_edits_an_article_keeping_the_earlier_text(
    system_a, agent_a, articles, api_for
):
    client = api_for(agent_a)
    section = articles["public"].section_id

    made = client.post(
        "/api/v1/kb/articles",
        {"section": section, "title": "Reset a password", "body": "Step one."},
        "application/json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["visibility"] == "draft"
    url = f"/api/v1/kb/articles/{made.json()['id']}"
    etag = made["ETag"]

    edited = client.patch(
        url,
        {"body": "Step one, then two.", "visibility": "public"},
        "application/json",
        HTTP_IF_MATCH=etag,
    )

    assert edited.status_code == 200, edited.content
    assert edited.json()["body"] == "Step one, then two."
    assert (
        client.patch(url, {"title": "X"}, "application/json", HTTP_IF_MATCH=etag).status_code == 412
    )
    assert client.patch(url, {"title": "X"}, "application/json").status_code == 428
    versions = client.get(f"{url}/versions").json()
    assert [v["body"] for v in versions] == ["Step one."]
    with in_schema(system_a):
        assert ArticleVersion.objects.count() == 1
        assert Article.objects.get(pk=made.json()["id"]).title == "Reset a password"


def test_members_and_read_tokens_cant_write_articles(
    system_a, agent_a, member_a, articles, api_for
):
    body = {"section": articles["public"].section_id, "title": "X", "body": "Y"}

    assert (
        api_for(member_a).post("/api/v1/kb/articles", body, "application/json").status_code == 403
    )
    read_only = api_for(agent_a, scope=Scope.READ).post(
        "/api/v1/kb/articles", body, "application/json"
    )
    assert read_only.status_code == 403


def test_bad_input_is_field_errors(system_a, agent_a, articles, api_for):
    response = api_for(agent_a).post(
        "/api/v1/kb/articles",
        {"section": 999999, "title": "T", "body": "B", "visibility": "secret"},
        "application/json",
    )

    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"visibility"}
    missing = api_for(agent_a).post(
        "/api/v1/kb/articles", {"section": 999999, "title": "T", "body": "B"}, "application/json"
    )
    assert missing.json()["errors"] == [{"field": "section", "message": "No such section."}]


def test_an_article_answers_304_to_its_etag(system_a, member_a, articles, api_for):
    client = api_for(member_a)
    path = f"/api/v1/kb/articles/{articles['public'].pk}"
    etag = client.get(path)["ETag"]

    assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304


@pytest.mark.parametrize("count", [5, 50])
def test_the_list_costs_the_same_queries_for_5_or_50_articles(
    system_a, agent_a, member_a, api_for, django_assert_num_queries, count
):
    with in_schema(system_a):
        section = services.section_create(actor=agent_a, name="S")
        for n in range(count):
            services.article_create(
                actor=agent_a, section=section, title=f"A{n}", body="B", visibility="public"
            )
    client = api_for(member_a)
    client.get("/api/v1/kb/articles")

    with django_assert_num_queries(6):
        assert len(client.get("/api/v1/kb/articles?limit=100").json()["items"]) == count


def test_system_bs_token_gets_401(system_a, system_b, user_b, articles, token_for):
    client = bearer_client(system_a, token_for(user_b, system=system_b))

    for path in ("/api/v1/kb/articles", f"/api/v1/kb/articles/{articles['public'].pk}"):
        response = client.get(path)
        assert response.status_code == 401
        assert CANARY_A not in response.content.decode()

"""The agents' pages: write and edit articles (every edit keeps the earlier text), history,
delete, translations, sections, the list with filters, and the help center's setting."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts.models import AuditEvent
from tests.support.tenancy import client_for, host_of, in_schema
from tickets.kb import services
from tickets.kb.models import Article, ArticleVersion, KbSection, KbSettings


def _form(section: KbSection, **fields) -> dict:
    return {
        "title": "Reset your password",
        "section": section.pk,
        "body": "Open **Your account**.",
        "visibility": "public",
        "language": "en",
        "translation": "",
        "position": 0,
        **fields,
    }


def test_an_agent_writes_an_article_and_each_edit_keeps_the_earlier_text(
    kb, system_a, agent_a, admin_a
):
    section = kb.section("Accounts")
    agent = client_for(system_a, agent_a)

    response = agent.post("/help/manage/articles/new/", _form(section))
    with in_schema(system_a):
        article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    assert article.body_html == "<p>Open <strong>Your account</strong>.</p>\n"
    assert article.author_id == agent_a.pk

    admin = client_for(system_a, admin_a)
    for edit in (
        {"body": "Version two."},
        {"title": "New title", "body": "Three."},
        {"title": "New title", "body": "Three.", "visibility": "internal"},
    ):
        response = admin.post(f"/help/manage/articles/{article.pk}/", _form(section, **edit))
        assert response.status_code == 302

    with in_schema(system_a):
        versions = list(ArticleVersion.objects.filter(article=article).order_by("replaced_at"))
        article.refresh_from_db()
    assert [(v.title, v.body) for v in versions] == [
        ("Reset your password", "Open **Your account**."),
        ("Reset your password", "Version two."),
    ]  # the change of visibility alone kept no copy of an unchanged text
    assert (versions[0].written_by_id, versions[0].replaced_by_id) == (agent_a.pk, admin_a.pk)
    assert (article.title, article.slug, article.visibility) == (
        "New title",
        "new-title",
        "internal",
    )
    history = agent.get(f"/help/manage/articles/{article.pk}/history/")
    assert b"Open **Your account**." in history.content and b"Version two." in history.content
    assert b"Ada Admin" in history.content and b"Arno Agent" in history.content


def test_a_form_with_errors_comes_back_with_what_was_typed(kb, system_a, agent_a):
    section = kb.section("Accounts")

    response = client_for(system_a, agent_a).post(
        "/help/manage/articles/new/", _form(section, title="", body="Kept *text*")
    )

    assert response.status_code == 400
    assert b"This field is required." in response.content
    assert b"Kept *text*" in response.content
    for name in ("title", "section", "body", "visibility", "language", "translation"):
        assert f'for="id_{name}"'.encode() in response.content


def test_translations_link_both_ways_and_move_when_relinked(kb, system_a, agent_a):
    english = kb.article("Read your invoice")
    first = kb.article("Đọc hóa đơn", language="vi", translation=english)
    second = kb.article("Cách đọc hóa đơn", language="vi")

    with in_schema(system_a):
        english.refresh_from_db()
        assert english.translation == first
        services.article_update(
            actor=agent_a,
            article=english,
            section=english.section,
            title=english.title,
            body=english.body,
            visibility="public",
            language="en",
            translation=second,
        )
        links = dict(Article.objects.values_list("title", "translation__title"))
        with pytest.raises(ValidationError):
            services.article_update(
                actor=agent_a,
                article=first,
                section=first.section,
                title=first.title,
                body=first.body,
                visibility="public",
                language="vi",
                translation=second,  # same language
            )
    assert links == {
        "Read your invoice": "Cách đọc hóa đơn",
        "Cách đọc hóa đơn": "Read your invoice",
        "Đọc hóa đơn": None,
    }


def test_deleting_an_article_asks_first_then_removes_it_with_its_history(
    kb, system_a, agent_a, member_a
):
    article = kb.article("Old policy")
    agent = client_for(system_a, agent_a)

    asked = agent.get(f"/help/manage/articles/{article.pk}/delete/")
    assert asked.status_code == 200 and b"deleted for good" in asked.content
    done = agent.post(f"/help/manage/articles/{article.pk}/delete/")

    assert done.status_code == 302 and done["Location"] == "/help/manage/"
    with in_schema(system_a):
        assert not Article.objects.exists()
        logged = AuditEvent.objects.get(action=AuditEvent.Action.ARTICLE_DELETED)
    assert client_for(system_a, member_a).get(article.get_absolute_url()).status_code == 404
    assert (logged.actor_id, logged.target_label) == (agent_a.pk, "article “Old policy”")


def test_sections_are_added_renamed_and_deleted_only_when_empty(kb, system_a, agent_a):
    agent = client_for(system_a, agent_a)
    agent.post("/help/manage/sections/", {"name": "Billing", "description": "", "position": 1})
    with in_schema(system_a):
        billing = KbSection.objects.get(name="Billing")
    kb.article("Pay by transfer", section=billing)

    agent.post(
        f"/help/manage/sections/{billing.pk}/",
        {"name": "Invoices", "description": "Paying us", "position": 2},
    )
    refused = agent.post(f"/help/manage/sections/{billing.pk}/delete/", follow=True)

    assert b"Move or delete this section" in refused.content
    with in_schema(system_a):
        billing.refresh_from_db()
        assert (billing.name, billing.description) == ("Invoices", "Paying us")
        Article.objects.all().delete()
    agent.post(f"/help/manage/sections/{billing.pk}/delete/")
    with in_schema(system_a):
        assert not KbSection.objects.exists()


def test_the_list_filters_and_answers_in_the_same_queries_for_1_and_10_articles(
    kb, system_a, agent_a, django_assert_max_num_queries
):
    other = kb.section("Other")
    kb.article("Draft about printers", visibility="draft")
    kb.article("Elsewhere", section=other)
    agent = client_for(system_a, agent_a)
    agent.get("/help/manage/")

    with django_assert_max_num_queries(12) as captured:
        response = agent.get("/help/manage/", {"visibility": "draft"})
        assert response.status_code == 200
        assert b"Draft about printers" in response.content and b"Elsewhere" not in response.content
    for n in range(9):
        kb.article(f"Draft {n}", visibility="draft")
    with django_assert_max_num_queries(len(captured.captured_queries)):
        response = agent.get("/help/manage/", {"visibility": "draft"})
        assert b"Draft 8" in response.content and b"Elsewhere" not in response.content
    shown = agent.get("/help/manage/", {"section": other.pk})
    assert b"Elsewhere" in shown.content and b"Draft 8" not in shown.content


@pytest.mark.parametrize(
    "path",
    [
        "/help/manage/",
        "/help/manage/articles/new/",
        "/help/manage/articles/{id}/",
        "/help/manage/articles/{id}/history/",
        "/help/manage/articles/{id}/delete/",
        "/help/manage/sections/",
        "/help/manage/sections/{section}/",
    ],
)
def test_members_and_system_b_get_nothing_of_the_agents_pages(
    path, kb, system_a, member_a, system_b, user_b
):
    article = kb.article("Escalation phone tree", visibility="internal")
    url = path.format(id=article.pk, section=article.section_id)

    member = client_for(system_a, member_a).get(url)
    intruder = client_for(system_b, user_b).get(url, HTTP_HOST=host_of(system_a))

    assert member.status_code == 404
    assert intruder.status_code == 302 and intruder["Location"].startswith("/accounts/login/")
    assert b"Escalation" not in member.content + intruder.content


def test_only_admins_close_the_help_center_to_visitors_and_it_is_audited(
    system_a, admin_a, agent_a
):
    agent = client_for(system_a, agent_a)
    assert b"Who may read the help center" not in agent.get("/help/manage/").content
    assert agent.post("/help/manage/settings/", {}).status_code == 403

    admin = client_for(system_a, admin_a)
    assert b"Who may read the help center" in admin.get("/help/manage/").content
    response = admin.post("/help/manage/settings/", {})  # the box unticked

    assert response.status_code == 302
    with in_schema(system_a):
        assert KbSettings.objects.get().public_help_center is False
        event = AuditEvent.objects.get(action=AuditEvent.Action.SETTINGS_CHANGED)
    assert event.detail == {"public_help_center": [True, False]} and event.actor_id == admin_a.pk


def test_the_dashboard_and_the_footer_lead_to_the_help_center(system_a, agent_a, member_a):
    member_page = client_for(system_a, member_a).get("/")
    agent_page = client_for(system_a, agent_a).get("/")

    assert member_page.content.count(b'href="/help/"') == 2  # dashboard and footer
    assert b'href="/help/manage/"' not in member_page.content
    assert b'href="/help/manage/"' in agent_page.content

"""The knowledge base goes through export and import whole: sections, articles and their
translations, earlier versions, votes and the help center's setting; search works again."""

from __future__ import annotations

import json
from zipfile import ZipFile

from django.core.management import call_command

from tenants.models import System
from tests.exports.test_round_trip import export_now
from tests.support.tenancy import in_schema
from tickets.kb import selectors, services
from tickets.kb.models import Article, ArticleVersion, ArticleVote, KbSettings


def test_articles_versions_and_votes_survive_export_and_import(
    system_a, owner_a, agent_a, django_capture_on_commit_callbacks
):
    with in_schema(system_a):
        section = services.section_create(actor=agent_a, name="Billing")
        english = services.article_create(
            actor=agent_a,
            section=section,
            title="Read your invoice",
            body="Total",
            visibility="public",
        )
        vietnamese = services.article_create(
            actor=agent_a,
            section=section,
            title="Cách đọc hóa đơn",
            body="Tổng tiền",
            visibility="public",
            language="vi",
            translation=english,
        )
        services.article_update(
            actor=agent_a,
            article=english,
            section=section,
            title="Read your invoice",
            body="The total is at the bottom.",
            visibility="public",
            language="en",
            translation=vietnamese,
        )
        services.article_vote(article=english, voter=f"user:{owner_a.pk}", helpful=True)
        services.article_vote(article=english, voter="session:abc", helpful=False)
        services.help_center_set(actor=owner_a, public=False)

    _export, path = export_now(system_a, owner_a, django_capture_on_commit_callbacks)
    with ZipFile(path) as zipped:
        exported = json.loads(zipped.read("manifest.json"))["files"]
        assert b"search_vector" not in zipped.read("data/tickets.article.json")
    assert exported["data/tickets.article.json"]["rows"] == 2
    assert exported["data/tickets.articleversion.json"]["rows"] == 1

    call_command("import_system", str(path), "--slug", "alpha-kb")

    with in_schema(System.objects.get(slug="alpha-kb")):
        copy = Article.objects.get(title="Read your invoice")
        assert copy.translation.title == "Cách đọc hóa đơn"
        assert copy.body_html == "<p>The total is at the bottom.</p>\n"
        assert list(ArticleVersion.objects.values_list("body", flat=True)) == ["Total"]
        assert sorted(ArticleVote.objects.values_list("voter", "helpful")) == [
            ("session:abc", False),
            (f"user:{owner_a.pk}", True),
        ]
        assert KbSettings.objects.get().public_help_center is False
        assert [a.title for a in selectors.article_suggestions(q="hoa don")] == ["Cách đọc hóa đơn"]

"""Writes the API adds around the services of categories and knowledge-base articles: an
update that applies only to the version its client read (``If-Match``), compared under the
row's lock, as ``tickets.api.services`` does for tickets."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404

from accounts.api.etags import etag_for, if_match_check
from accounts.models import User
from accounts.permissions import Perm, require
from tickets.kb.models import Article, KbSection
from tickets.kb.services import article_update
from tickets.models import Category
from tickets.services.categories import category_update


def category_etag(category: Category) -> str:
    return etag_for("category", category.pk, category.name, category.is_active, category.position)


@transaction.atomic
def category_update_if_match(
    *, actor: User, category_id: int, if_match: str, name: str | None, active: bool | None
) -> Category:
    require(actor, Perm.MANAGE_CATEGORIES)
    category = Category.objects.select_for_update().filter(pk=category_id).first()
    if category is None:
        raise Http404("No such category.")
    if_match_check(if_match, category_etag(category))
    return category_update(
        actor=actor,
        category=category,
        name=category.name if name is None else name,
        is_active=category.is_active if active is None else active,
    )


def article_etag(article: Article, *, writer: bool) -> str:
    """Every edit moves ``updated_at``; a writer reads more of it than a reader."""
    return etag_for("article", article.pk, article.updated_at.isoformat(), writer)


@transaction.atomic
def article_update_if_match(
    *,
    actor: User,
    article_id: int,
    if_match: str,
    changes: dict[str, object],
) -> Article:
    """``article_update`` with the fields not in ``changes`` as they are; the ETag is
    compared with the locked row's, so of two writers who read one version only the first
    writes (the earlier text is kept as a version, as from the page)."""
    require(actor, Perm.TICKET_WORK)
    article = (
        Article.objects.select_for_update(of=("self",))
        .select_related("section", "translation")
        .filter(pk=article_id)
        .first()
    )
    if article is None:
        raise Http404("No such article.")
    if_match_check(if_match, article_etag(article, writer=True))
    section = changes.get("section", article.section)
    assert isinstance(section, KbSection)
    return article_update(
        actor=actor,
        article=article,
        section=section,
        title=str(changes.get("title", article.title)),
        body=str(changes.get("body", article.body)),
        visibility=str(changes.get("visibility", article.visibility)),
        language=str(changes.get("language", article.language)),
        translation=changes.get("translation", article.translation),  # type: ignore[arg-type]
        position=int(changes.get("position", article.position)),  # type: ignore[call-overload]
    )

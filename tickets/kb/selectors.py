"""Reads of the knowledge base. One rule says who reads what, for the help center's pages,
its search, the suggestions on a new ticket and the agents' lists alike:

- agents and admins (``TICKET_WORK``) read every article: public, internal and drafts;
- everyone else reads the public ones: members signed in, and, while the System allows it
  (``KbSettings.public_help_center``, on by default), visitors who are not signed in;
- a section shows to a reader only when it holds an article he may read.

An article or section someone may not read answers 404, never a hint of its title.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.aggregates import BoolOr
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.permissions import Perm, can
from tickets.kb import search
from tickets.kb.models import (
    Article,
    ArticleVersion,
    ArticleVote,
    KbSection,
    KbSettings,
    Visibility,
)

SEARCH_PER_PAGE = 20
MANAGE_PER_PAGE = 50
SUGGESTIONS = 5
# What lists show of an article (the body stays in the database).
_LISTED = ("id", "section_id", "title", "slug", "visibility", "language", "updated_at")
# What the article page does not read: the index, and the translation's text.
_UNREAD = (
    "search_vector",
    "translation__body",
    "translation__body_html",
    "translation__search_vector",
)


def is_writer(user: User) -> bool:
    """Agents and admins: they read every article and write them."""
    return can(user, Perm.TICKET_WORK)


def kb_settings() -> KbSettings:
    return KbSettings.objects.first() or KbSettings()


def help_center_open(*, user: User) -> bool:
    """May this reader open the help center? Signed-in people always; others while the
    System keeps it public."""
    if user.is_authenticated:
        return True
    return kb_settings().public_help_center


def visible_articles(user: User) -> QuerySet[Article]:
    if is_writer(user):
        return Article.objects.all()
    return Article.objects.filter(visibility=Visibility.PUBLIC)


def _public_query(q: str) -> SearchQuery | None:
    raw = search.to_tsquery(q)
    return SearchQuery(raw, search_type="raw", config=search.CONFIG) if raw else None


# --- the help center --------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionRow:
    section: KbSection
    articles: list[Article]


def help_home(*, user: User) -> list[SectionRow]:
    """Every section the reader may see, each with its articles: two queries."""
    articles = list(visible_articles(user).only(*_LISTED).order_by("position", "title", "id"))
    by_section: dict[int, list[Article]] = {}
    for article in articles:
        by_section.setdefault(article.section_id, []).append(article)
    sections = KbSection.objects.all()
    if not is_writer(user):
        sections = sections.filter(pk__in=list(by_section))
    return [SectionRow(section, by_section.get(section.pk, [])) for section in sections]


def section_for_reader(*, user: User, section_id: int) -> SectionRow:
    section = KbSection.objects.filter(pk=section_id).first()
    if section is None:
        raise Http404("No such section.")
    articles = list(
        visible_articles(user).filter(section=section).only(*_LISTED).order_by("position", "title")
    )
    if not articles and not is_writer(user):
        raise Http404("No such section.")
    return SectionRow(section, articles)


def article_for_reader(*, user: User, article_id: int) -> Article:
    """The article with its section, translation and last editor; 404 if the reader may not
    read it. Its translation is left out (None) when he may not read that one."""
    article = (
        visible_articles(user)
        .select_related("section", "translation", "updated_by")
        .defer(*_UNREAD)
        .filter(pk=article_id)
        .first()
    )
    if article is None:
        raise Http404("No such article.")
    other = article.translation
    if other is not None and not (is_writer(user) or other.is_public):
        article.translation = None
    return article


@dataclass(frozen=True)
class Votes:
    yes: int
    no: int
    # The reader's own answer: True, False, or None when he has not answered.
    mine: bool | None


def article_votes(*, article: Article, voter: str | None) -> Votes:
    """The counts and the reader's own answer, in one query."""
    found = ArticleVote.objects.filter(article=article).aggregate(
        yes=Count("id", filter=Q(helpful=True)),
        no=Count("id", filter=Q(helpful=False)),
        mine=BoolOr("helpful", filter=Q(voter=voter or "")),
    )
    return Votes(yes=found["yes"], no=found["no"], mine=found["mine"])


def article_search(*, user: User, q: str, page: int = 1) -> Page | None:
    """The reader's articles matching ``q``, best first (title over body); None for nothing
    to search. Two queries: the count and the page."""
    query = _public_query(q)
    if query is None:
        return None
    found = (
        visible_articles(user)
        .filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .select_related("section")
        .only(*_LISTED, "section__name")
        .order_by("-rank", "-updated_at", "-id")
    )
    return Paginator(found, SEARCH_PER_PAGE).get_page(page)


def article_suggestions(*, q: str) -> list[Article]:
    """Public articles matching a ticket's subject as it is typed: one query."""
    query = _public_query(q)
    if query is None:
        return []
    return list(
        Article.objects.filter(visibility=Visibility.PUBLIC, search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .only("id", "title", "slug")
        .order_by("-rank", "-updated_at", "-id")[:SUGGESTIONS]
    )


# --- the agents' pages ------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleFilters:
    section: int | None = None
    visibility: str = ""
    language: str = ""


def article_page_for_writer(*, user: User, filters: ArticleFilters, page: int = 1) -> Page:
    """Every article, filtered, with its "did this help?" counts: two queries."""
    if not is_writer(user):
        raise Http404("No such page.")
    articles = Article.objects.select_related("section").only(*_LISTED, "section__name")
    if filters.section:
        articles = articles.filter(section_id=filters.section)
    if filters.visibility:
        articles = articles.filter(visibility=filters.visibility)
    if filters.language:
        articles = articles.filter(language=filters.language)
    articles = articles.annotate(
        yes=Count("votes", filter=Q(votes__helpful=True)),
        no=Count("votes", filter=Q(votes__helpful=False)),
    ).order_by("section__position", "section__name", "position", "title", "id")
    return Paginator(articles, MANAGE_PER_PAGE).get_page(page)


def article_for_writer(*, user: User, article_id: int) -> Article:
    if not is_writer(user):
        raise Http404("No such article.")
    article = Article.objects.select_related("section", "translation").filter(pk=article_id).first()
    if article is None:
        raise Http404("No such article.")
    return article


def article_versions(*, article: Article) -> list[ArticleVersion]:
    return list(
        ArticleVersion.objects.filter(article=article).select_related("written_by", "replaced_by")
    )


def section_for_writer(*, user: User, section_id: int) -> KbSection:
    section = KbSection.objects.filter(pk=section_id).first() if is_writer(user) else None
    if section is None:
        raise Http404("No such section.")
    return section


def sections_with_counts() -> list[KbSection]:
    return list(KbSection.objects.annotate(article_count=Count("articles")))

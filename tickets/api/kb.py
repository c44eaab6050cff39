"""/api/v1/kb: the knowledge base's sections and articles, read by the help center's one
rule (``tickets.kb.selectors``): agents and admins read every article — public, internal,
drafts —, everyone else the public ones; a section shows when it holds an article the
reader may read. Agents and admins write articles (write scope) through the knowledge
base's services: each edit of the title or body keeps the earlier text as a version, as
from the page; an edit needs ``If-Match``. Mounted by TicketsConfig.ready()."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.contrib.postgres.search import SearchQuery
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from accounts.api.etags import if_match_header, none_match, not_modified
from accounts.api.idempotency import idempotent
from accounts.api.pagination import Key, keyset_page, list_body, page_size
from accounts.api.problems import validation_problem
from accounts.models import User
from accounts.permissions import Perm, require
from tickets.api.refs import person_ref, user_of
from tickets.api.schemas import PersonRef
from tickets.api.writes import article_etag, article_update_if_match
from tickets.kb import search
from tickets.kb.models import Article, ArticleVersion, KbSection
from tickets.kb.selectors import article_for_reader, article_versions, is_writer, visible_articles
from tickets.kb.services import article_create

router = Router(tags=["knowledge base"])

VisibilityCode = Literal["public", "internal", "draft"]
LanguageCode = Literal["en", "vi"]
_LISTED = ("id", "section_id", "title", "slug", "visibility", "language", "updated_at")


class SectionRef(Schema):
    id: int
    name: str


class SectionOut(SectionRef):
    description: str
    position: int


class SectionList(Schema):
    items: list[SectionOut]
    next: str | None
    next_cursor: str | None


class ArticleSummary(Schema):
    id: int
    title: str
    section: int
    visibility: VisibilityCode
    language: LanguageCode
    updated_at: datetime
    url: str
    page_url: str = Field(description="The article in the help center.")


class ArticleList(Schema):
    items: list[ArticleSummary]
    next: str | None
    next_cursor: str | None


class ArticleDetail(ArticleSummary):
    section_name: str
    body: str = Field(description="Markdown.")
    body_html: str
    translation: int | None = Field(description="The same article in the other language.")
    updated_by: PersonRef | None
    position: int


class ArticleIn(Schema):
    section: int = Field(description="A section's id.")
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1)
    visibility: VisibilityCode = "draft"
    language: LanguageCode = "en"
    translation: int | None = Field(None, description="An article in the other language.")
    position: int = Field(0, ge=0, le=32767)


class ArticlePatch(Schema):
    """Only the fields sent change. Send ``If-Match`` with the ETag you read."""

    section: int | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    body: str | None = Field(None, min_length=1)
    visibility: VisibilityCode | None = None
    language: LanguageCode | None = None
    translation: int | None = None
    position: int | None = Field(None, ge=0, le=32767)


class VersionOut(Schema):
    id: int
    title: str
    body: str
    written_at: datetime
    written_by: PersonRef | None
    replaced_at: datetime
    replaced_by: PersonRef | None


# --- sections ------------------------------------------------------------------------------


def sections_for_reader(*, user: User) -> QuerySet[KbSection]:
    sections = KbSection.objects.all()
    if is_writer(user):
        return sections
    readable = visible_articles(user).filter(section=OuterRef("pk"))
    return sections.filter(Exists(readable))


@router.get("/sections", response=SectionList, url_name="kb_section_list", summary="List sections")
def list_sections(request: HttpRequest, cursor: str | None = None, limit: int | None = None):
    """The sections holding an article you may read (writers: all), in the help center's
    order."""
    page = keyset_page(
        sections_for_reader(user=user_of(request)),
        keys=(Key("position"), Key("name"), Key("id")),
        cursor=cursor,
        limit=page_size(limit),
    )
    return list_body(
        request,
        page,
        [
            {"id": s.pk, "name": s.name, "description": s.description, "position": s.position}
            for s in page.items
        ],
    )


# --- articles ------------------------------------------------------------------------------


def article_summary(article: Article, *, request: HttpRequest) -> dict[str, object]:
    return {
        "id": article.pk,
        "title": article.title,
        "section": article.section_id,
        "visibility": article.visibility,
        "language": article.language,
        "updated_at": article.updated_at,
        "url": request.build_absolute_uri(reverse("api:kb_article_read", args=[article.pk])),
        "page_url": request.build_absolute_uri(article.get_absolute_url()),
    }


def article_detail(article: Article, *, request: HttpRequest, user: User) -> dict[str, object]:
    return {
        **article_summary(article, request=request),
        "section_name": article.section.name,
        "body": article.body,
        "body_html": article.body_html,
        "translation": article.translation.pk if article.translation else None,
        "updated_by": person_ref(article.updated_by, show_email=is_writer(user)),
        "position": article.position,
    }


@router.get("/articles", response=ArticleList, url_name="kb_article_list", summary="List articles")
def list_articles(
    request: HttpRequest,
    cursor: str | None = None,
    limit: int | None = None,
    section: int | None = None,
    visibility: VisibilityCode | None = Query(None, description="Writers only"),  # noqa: B008
    language: LanguageCode | None = None,
    q: str | None = Query(None, description="Words searched as in the help center."),
):
    """The articles you may read, most recently updated first. ``q`` searches titles and
    bodies as the help center does (with or without Vietnamese diacritics); a search
    filters, the order stays by date, so the cursor walk is stable."""
    user = user_of(request)
    articles = visible_articles(user)
    if section is not None:
        articles = articles.filter(section_id=section)
    if visibility:
        articles = articles.filter(visibility=visibility)
    if language:
        articles = articles.filter(language=language)
    if q and q.strip():
        raw = search.to_tsquery(q)
        if not raw:
            raise validation_problem([{"field": "q", "message": _("Nothing to search for.")}])
        articles = articles.filter(
            search_vector=SearchQuery(raw, search_type="raw", config=search.CONFIG)
        )

    def load(ids: list[int]) -> list[Article]:
        rows = {row.pk: row for row in Article.objects.filter(pk__in=ids).only(*_LISTED)}
        return [rows[pk] for pk in ids]

    page = keyset_page(
        articles,
        keys=(Key("updated_at", descending=True), Key("id", descending=True)),
        cursor=cursor,
        limit=page_size(limit),
        load=load,
    )
    return list_body(
        request, page, [article_summary(article, request=request) for article in page.items]
    )


@router.get(
    "/articles/{int:article_id}",
    response={200: ArticleDetail, 304: None},
    url_name="kb_article_read",
    summary="Read an article",
)
def read_article(request: HttpRequest, article_id: int, response: HttpResponse):
    """404 for an article you may not read (internal and drafts: staff's)."""
    user = user_of(request)
    article = article_for_reader(user=user, article_id=article_id)
    etag = article_etag(article, writer=is_writer(user))
    if none_match(request, etag):
        return not_modified(etag)
    response["ETag"] = etag
    return article_detail(article, request=request, user=user)


@router.get(
    "/articles/{int:article_id}/versions",
    response=list[VersionOut],
    url_name="kb_article_versions",
    summary="An article's earlier texts",
)
def list_versions(request: HttpRequest, article_id: int):
    """The texts earlier edits replaced, newest first (writers)."""
    user = user_of(request)
    if not is_writer(user):
        raise Http404("No such article.")
    article = article_for_reader(user=user, article_id=article_id)
    return [_version_shape(version) for version in article_versions(article=article)]


def _version_shape(version: ArticleVersion) -> dict[str, object]:
    return {
        "id": version.pk,
        "title": version.title,
        "body": version.body,
        "written_at": version.written_at,
        "written_by": person_ref(version.written_by, show_email=True),
        "replaced_at": version.replaced_at,
        "replaced_by": person_ref(version.replaced_by, show_email=True),
    }


def _section(section_id: int) -> KbSection:
    section = KbSection.objects.filter(pk=section_id).first()
    if section is None:
        raise validation_problem([{"field": "section", "message": _("No such section.")}])
    return section


def _translation(article_id: int | None) -> Article | None:
    if article_id is None:
        return None
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        raise validation_problem([{"field": "translation", "message": _("No such article.")}])
    return article


@router.post(
    "/articles",
    response={201: ArticleDetail},
    url_name="kb_article_list",
    summary="Write an article",
)
def create_article(request: HttpRequest, payload: ArticleIn):
    """Agents and admins. A draft unless ``visibility`` says otherwise."""
    user = user_of(request)
    require(user, Perm.TICKET_WORK)

    def create() -> tuple:
        article = article_create(
            actor=user,
            section=_section(payload.section),
            title=payload.title,
            body=payload.body,
            visibility=payload.visibility,
            language=payload.language,
            translation=_translation(payload.translation),
            position=payload.position,
        )
        shown = article_for_reader(user=user, article_id=article.pk)
        body = ArticleDetail.model_validate(article_detail(shown, request=request, user=user))
        etag = article_etag(shown, writer=True)
        return 201, body.model_dump(mode="json"), {"Location": body.url, "ETag": etag}

    return idempotent(request, create)


@router.patch(
    "/articles/{int:article_id}",
    response=ArticleDetail,
    url_name="kb_article_read",
    summary="Edit an article",
)
def update_article(
    request: HttpRequest, article_id: int, payload: ArticlePatch, response: HttpResponse
):
    """Agents and admins. ``If-Match`` is required (428 without it; 412, nothing written,
    when someone edited it since you read it). A changed title or body keeps the earlier
    text as a version."""
    user = user_of(request)
    require(user, Perm.TICKET_WORK)
    if_match = if_match_header(request)
    sent = payload.model_dump(exclude_unset=True)
    for required in ("section", "title", "body", "visibility", "language", "position"):
        if required in sent and sent[required] is None:
            raise validation_problem([{"field": required, "message": _("This can't be empty.")}])
    changes: dict[str, object] = dict(sent)
    if "section" in sent:
        changes["section"] = _section(sent["section"])
    if "translation" in sent:
        changes["translation"] = _translation(sent["translation"])
    article_update_if_match(actor=user, article_id=article_id, if_match=if_match, changes=changes)
    article = article_for_reader(user=user, article_id=article_id)
    response["ETag"] = article_etag(article, writer=True)
    return article_detail(article, request=request, user=user)

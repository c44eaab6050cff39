"""Writes of the knowledge base: sections, articles (each edit keeps the earlier text),
translations, "did this help?" votes and the help center's one setting."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import AuditEvent, User
from accounts.permissions import Perm, require
from accounts.services.audit import audit_record
from servicedesk.markdown import markdown_check_length, render_markdown
from tickets.kb import search
from tickets.kb.models import (
    MAX_TITLE_CHARS,
    Article,
    ArticleVersion,
    ArticleVote,
    KbSection,
    KbSettings,
    Language,
    Visibility,
)

# --- sections ---------------------------------------------------------------------------------


def _clean_section(*, name: str, description: str) -> tuple[str, str]:
    name, description = name.strip(), description.strip()
    if not name:
        raise ValidationError({"name": _("Give the section a name.")})
    if len(name) > 120:
        raise ValidationError({"name": _("A section's name has at most 120 characters.")})
    markdown_check_length(field="description", text=description, limit=2000)
    return name, description


@transaction.atomic
def section_create(
    *, actor: User, name: str, description: str = "", position: int = 0
) -> KbSection:
    require(actor, Perm.TICKET_WORK)
    name, description = _clean_section(name=name, description=description)
    return KbSection.objects.create(name=name, description=description, position=position)


@transaction.atomic
def section_update(
    *, actor: User, section: KbSection, name: str, description: str, position: int
) -> KbSection:
    require(actor, Perm.TICKET_WORK)
    section.name, section.description = _clean_section(name=name, description=description)
    section.position = position
    section.save(update_fields=["name", "description", "position"])
    return section


@transaction.atomic
def section_delete(*, actor: User, section: KbSection) -> None:
    require(actor, Perm.TICKET_WORK)
    if Article.objects.filter(section=section).exists():
        raise ValidationError(_("Move or delete this section's articles first."))
    section.delete()


# --- articles ---------------------------------------------------------------------------------


def article_slug(title: str) -> str:
    """The readable part of an article's address ("Hóa đơn" → "hoa-don")."""
    return slugify(search.fold(title))[:80].strip("-") or "article"


def _check(*, title: str, body: str, visibility: str, language: str) -> str:
    title = title.strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Give the article a title.")
    elif len(title) > MAX_TITLE_CHARS:
        errors["title"] = _("A title has at most %(count)d characters.") % {
            "count": MAX_TITLE_CHARS
        }
    if not body.strip():
        errors["body"] = _("Write the article.")
    if visibility not in Visibility.values:
        errors["visibility"] = _("Choose who may read the article.")
    if language not in Language.values:
        errors["language"] = _("Choose the article's language.")
    if errors:
        raise ValidationError(errors)
    markdown_check_length(field="body", text=body)
    return title


def _link_translation(article: Article, other: Article | None) -> None:
    """Make ``other`` the translation of ``article`` and the other way round, undoing the
    links each had before (an article has one translation: the other language)."""
    if other is not None and other.pk == article.pk:
        raise ValidationError({"translation": _("An article can't be its own translation.")})
    if other is not None and other.language == article.language:
        raise ValidationError(
            {"translation": _("The translation must be written in the other language.")}
        )
    if other is None and article.translation_id is None:
        return
    if other is not None and article.translation_id == other.pk:
        return
    ends = [article.pk] + ([other.pk] if other else [])
    if article.translation_id:
        ends.append(article.translation_id)
    # Whoever pointed at either article, and both articles themselves, let go first: the
    # link is unique on each side.
    Article.objects.filter(translation_id__in=ends).update(translation=None)
    Article.objects.filter(pk__in=ends).update(translation=None)
    article.translation = other
    if other is not None:
        Article.objects.filter(pk=article.pk).update(translation=other)
        Article.objects.filter(pk=other.pk).update(translation=article)
        other.translation = article


@transaction.atomic
def article_create(
    *,
    actor: User,
    section: KbSection,
    title: str,
    body: str,
    visibility: str = Visibility.DRAFT,
    language: str = Language.EN,
    translation: Article | None = None,
    position: int = 0,
) -> Article:
    require(actor, Perm.TICKET_WORK)
    title = _check(title=title, body=body, visibility=visibility, language=language)
    now = timezone.now()
    article = Article.objects.create(
        section=section,
        title=title,
        slug=article_slug(title),
        body=body,
        body_html=render_markdown(body),
        visibility=visibility,
        language=language,
        position=position,
        author=actor,
        updated_by=actor,
        created_at=now,
        updated_at=now,
    )
    _link_translation(article, translation)
    search.refresh([article.pk])
    return article


@transaction.atomic
def article_update(
    *,
    actor: User,
    article: Article,
    section: KbSection,
    title: str,
    body: str,
    visibility: str,
    language: str,
    translation: Article | None = None,
    position: int = 0,
) -> Article:
    """Save an edit; a changed title or body keeps the text it replaces as a version."""
    require(actor, Perm.TICKET_WORK)
    title = _check(title=title, body=body, visibility=visibility, language=language)
    current = Article.objects.select_for_update().get(pk=article.pk)
    now = timezone.now()
    text_changed = (current.title, current.body) != (title, body)
    if text_changed:
        ArticleVersion.objects.create(
            article=current,
            title=current.title,
            body=current.body,
            written_at=current.updated_at,
            written_by_id=current.updated_by_id,
            replaced_at=now,
            replaced_by=actor,
        )
    current.section = section
    current.title, current.slug, current.body = title, article_slug(title), body
    if text_changed:
        current.body_html = render_markdown(body)
    current.visibility, current.language, current.position = visibility, language, position
    current.updated_at, current.updated_by = now, actor
    current.save()
    _link_translation(current, translation)
    if text_changed:
        search.refresh([current.pk])
    return current


@transaction.atomic
def article_delete(*, actor: User, article: Article) -> None:
    """Delete the article with its versions and votes (its translation stays, unlinked)."""
    require(actor, Perm.TICKET_WORK)
    # Final (its versions go with it): who deleted which article stays in the audit log.
    audit_record(
        action=AuditEvent.Action.ARTICLE_DELETED,
        actor=actor,
        target=f"article “{article.title}”",
        detail={"id": article.pk, "visibility": article.visibility, "language": article.language},
    )
    Article.objects.filter(pk=article.pk).delete()


# --- readers ----------------------------------------------------------------------------------


def article_vote(*, article: Article, voter: str, helpful: bool) -> None:
    """Count one reader's answer to "did this help?"; answering again changes it, never
    adds to it. The caller checked that ``voter`` may read ``article``."""
    now = timezone.now()
    ArticleVote.objects.bulk_create(
        [
            ArticleVote(
                article=article, voter=voter, helpful=helpful, created_at=now, updated_at=now
            )
        ],
        update_conflicts=True,
        unique_fields=["article", "voter"],
        update_fields=["helpful", "updated_at"],
    )


@transaction.atomic
def help_center_set(*, actor: User, public: bool, ip: str | None = None) -> KbSettings:
    require(actor, Perm.MANAGE_HELP_CENTER)
    row = KbSettings.objects.select_for_update().first() or KbSettings.objects.create()
    if row.public_help_center != public:
        row.public_help_center = public
        row.save(update_fields=["public_help_center"])
        audit_record(
            action=AuditEvent.Action.SETTINGS_CHANGED,
            actor=actor,
            ip=ip,
            detail={"public_help_center": [not public, public]},
        )
    return row

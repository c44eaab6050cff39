"""The knowledge base's rows, in each System's schema.

Foreign keys name their targets as strings: tickets.models imports this module (so Django's
registry finds these models), never the other way round.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_TITLE_CHARS = 200


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")  # the help center: members, and anyone when the System allows
    INTERNAL = "internal", _("Internal")  # agents and admins
    DRAFT = "draft", _("Draft")  # agents and admins, not yet meant for readers


class Language(models.TextChoices):
    EN = "en", "English"
    VI = "vi", "Tiếng Việt"


class KbSettings(models.Model):
    """One row per System (none means the defaults)."""

    # People who write by mail have no account: the help center answers them too.
    public_help_center = models.BooleanField(
        _("Anyone may read the public articles without signing in"), default=True
    )

    class Meta:
        verbose_name_plural = _("knowledge base settings")

    def __str__(self) -> str:
        return "knowledge base settings"


class KbSection(models.Model):
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name", "id"]
        verbose_name = _("section")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("kb_section", args=[self.pk])


class Article(models.Model):
    section = models.ForeignKey(KbSection, on_delete=models.PROTECT, related_name="articles")
    title = models.CharField(max_length=MAX_TITLE_CHARS)
    slug = models.SlugField(max_length=80, help_text=_("Made from the title; only for the eye."))
    body = models.TextField(help_text=_("Markdown."))
    # The sanitised HTML of the body, made when it is written (pages don't re-render).
    body_html = models.TextField(blank=True, editable=False)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.DRAFT
    )
    language = models.CharField(max_length=5, choices=Language.choices, default=Language.EN)
    # The same article in the other language; kept on both sides by the services.
    translation = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Title (A) and body (B), each also without diacritics (tickets.kb.search).
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["position", "title", "id"]
        indexes = [
            GinIndex(fields=["search_vector"], name="kb_article_search_idx"),
            models.Index(fields=["section", "position", "title"], name="kb_article_section_idx"),
            models.Index(
                fields=["-updated_at", "-id"],
                name="kb_article_public_idx",
                condition=Q(visibility="public"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("kb_article", args=[self.pk, self.slug or "article"])

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC


class ArticleVersion(models.Model):
    """An earlier title and body of an article, kept when an edit replaced them."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    title = models.CharField(max_length=MAX_TITLE_CHARS)
    body = models.TextField(help_text=_("Markdown, as it read before the edit."))
    written_at = models.DateTimeField(help_text=_("When this text was written."))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    replaced_at = models.DateTimeField(default=timezone.now)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-replaced_at", "-id"]
        indexes = [models.Index(fields=["article", "-replaced_at"], name="kb_version_idx")]

    def __str__(self) -> str:
        return f"earlier text of article {self.article_id}"


class ArticleVote(models.Model):
    """One "did this help?" answer per reader: a person ("user:<id>") or, for someone not
    signed in, a browser session ("session:<random>"). Voting again changes the answer."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=80)
    helpful = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "voter"], name="kb_one_vote_per_reader")
        ]

    def __str__(self) -> str:
        return f"{'yes' if self.helpful else 'no'} on article {self.article_id}"

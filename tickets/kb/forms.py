from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from servicedesk.forms import Form
from tickets.forms import MARKDOWN_HELP, MarkdownField
from tickets.kb.models import MAX_TITLE_CHARS, Article, KbSection, Language, Visibility


class ArticleForm(Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=MAX_TITLE_CHARS,
        help_text=format_lazy(_("At most {count} characters."), count=MAX_TITLE_CHARS),
    )
    section = forms.ModelChoiceField(
        label=_("Section"), queryset=KbSection.objects.all(), empty_label=None
    )
    body = MarkdownField(
        label=_("Article"), widget=forms.Textarea(attrs={"rows": 16}), help_text=MARKDOWN_HELP
    )
    visibility = forms.ChoiceField(
        label=_("Who may read it"),
        choices=[
            (Visibility.PUBLIC, _("Public: the help center (members, and visitors if allowed)")),
            (Visibility.INTERNAL, _("Internal: agents and admins only")),
            (Visibility.DRAFT, _("Draft: agents and admins, not ready yet")),
        ],
        initial=Visibility.DRAFT,
    )
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices, initial=Language.EN)
    translation = forms.ModelChoiceField(
        label=_("Same article in the other language"),
        queryset=Article.objects.none(),
        required=False,
        empty_label=_("None"),
    )
    position = forms.IntegerField(
        label=_("Position in its section"),
        min_value=0,
        max_value=32767,
        initial=0,
        help_text=_("Lower numbers come first; articles with the same number go by title."),
    )

    def __init__(self, *args, article: Article | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        others = Article.objects.only("id", "title", "language").order_by("language", "title")
        if article is not None:
            others = others.exclude(pk=article.pk)
        field = self.fields["translation"]
        field.queryset = others
        field.label_from_instance = lambda a: f"{a.title} ({a.get_language_display()})"


class SectionForm(Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A sentence shown under the section's name in the help center."),
    )
    position = forms.IntegerField(
        label=_("Position"),
        min_value=0,
        max_value=32767,
        initial=0,
        help_text=_("Lower numbers come first."),
    )


class HelpCenterForm(Form):
    public_help_center = forms.BooleanField(
        label=_("Anyone may read the public articles without signing in"),
        required=False,
        help_text=_(
            "People who write to you by mail have no account: leave this on so they "
            "can read the help center too. Off, only your people read it, signed in."
        ),
    )

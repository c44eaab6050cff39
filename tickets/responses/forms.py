"""Forms of the canned responses and macros pages."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from servicedesk.forms import Form
from tickets.forms import MARKDOWN_HELP, MarkdownField
from tickets.models import Category, Priority, Status
from tickets.responses.models import MAX_NAME_CHARS, AssignTo
from tickets.responses.placeholders import KNOWN

TEXT_HELP = format_lazy(
    _("{markdown} Placeholders, filled in for each ticket: {placeholders}."),
    markdown=MARKDOWN_HELP,
    placeholders=KNOWN,
)
LEAVE = _("Leave as it is")
SHARED_CHOICES = [("0", _("Only me")), ("1", _("Everyone who works tickets (shared)"))]


def _shared_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("Who can use it"),
        choices=SHARED_CHOICES,
        coerce=lambda value: value == "1",
        initial="0",
        widget=forms.RadioSelect,
    )


class _ItemForm(Form):
    """The name, and whether it is shared: asked only of an admin making a new one."""

    def __init__(self, *args, ask_shared: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if ask_shared:
            self.fields["shared"] = _shared_field()


class CannedResponseForm(_ItemForm):
    name = forms.CharField(
        label=_("Name"), max_length=MAX_NAME_CHARS, help_text=_("What you search it by.")
    )
    body = MarkdownField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}), help_text=TEXT_HELP
    )


class MacroForm(_ItemForm):
    name = forms.CharField(
        label=_("Name"), max_length=MAX_NAME_CHARS, help_text=_("What you search it by.")
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", LEAVE), *Status.choices], required=False
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=[("", LEAVE), *Priority.choices], required=False
    )
    assign_to = forms.ChoiceField(label=_("Assign to"), choices=AssignTo.choices, required=False)
    assignee = forms.ModelChoiceField(
        label=_("The person"),
        queryset=User.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("When it assigns to a person."),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.filter(is_active=True),
        required=False,
        empty_label=LEAVE,
    )
    tags = forms.CharField(
        label=_("Tags to add"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas."),
    )
    body = MarkdownField(
        label=_("Text to post"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=format_lazy(_("Optional. {help}"), help=TEXT_HELP),
    )
    internal = forms.BooleanField(
        label=_("Post it as an internal note (not sent to the requester)"), required=False
    )

    def __init__(self, *args, assignees: QuerySet[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignees  # type: ignore[attr-defined]

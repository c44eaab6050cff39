from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django import forms
from django.forms.utils import pretty_name
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from servicedesk.forms import Form
from servicedesk.markdown import MAX_MARKDOWN_CHARS, markdown_too_long
from tickets.fields import values as custom_values
from tickets.fields.forms import CustomFieldsMixin
from tickets.fields.models import PREFIX as CUSTOM
from tickets.models import MAX_SUBJECT_CHARS, Category, NotificationPreference, Priority, Status


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one <input type=file multiple>."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class UploadForm(Form):
    """A form with files: what the upload handler refused shows on the files field."""

    def __init__(self, *args, upload_refused: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_refused = upload_refused

    def clean(self):
        cleaned = super().clean()
        if self.upload_refused:
            self.add_error("files", self.upload_refused)
        return cleaned


def _files_field() -> MultipleFileField:
    return MultipleFileField(
        label=_("Attach files"),
        help_text=_("Images, videos or documents; several at once. You can also drop them here."),
    )


def _tags_field() -> forms.CharField:
    return forms.CharField(
        label=_("Tags"), required=False, max_length=500, help_text=_("Separated by commas.")
    )


def split_tags(value: str) -> list[str]:
    return [tag.strip() for tag in value.split(",") if tag.strip()]


MARKDOWN_HELP = format_lazy(
    _("Markdown works: **bold**, lists, links. At most {chars} characters ({size} KB)."),
    chars=f"{MAX_MARKDOWN_CHARS:,}",
    size=MAX_MARKDOWN_CHARS // 1024,
)


class MarkdownField(forms.CharField):
    """A description or reply: at most MAX_MARKDOWN_CHARS, which the box also enforces."""

    widget = forms.Textarea

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "maxlength": str(MAX_MARKDOWN_CHARS)}

    def to_python(self, value):
        # Browsers count a line break as one character for maxlength and send it as two.
        return super().to_python(value).replace("\r\n", "\n")

    def validate(self, value):
        super().validate(value)
        if len(value) > MAX_MARKDOWN_CHARS:
            raise forms.ValidationError(markdown_too_long(len(value)), code="max_length")


def _subject_field() -> forms.CharField:
    return forms.CharField(
        label=_("Subject"),
        max_length=MAX_SUBJECT_CHARS,
        help_text=format_lazy(_("At most {count} characters."), count=MAX_SUBJECT_CHARS),
    )


class TicketForm(CustomFieldsMixin, UploadForm):
    subject = _subject_field()
    description = MarkdownField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=format_lazy(
            "{} {}",
            MARKDOWN_HELP,
            _(
                "Paste links to Google Drive, OneDrive, iCloud or Dropbox files and they show "
                "as cards."
            ),
        ),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.filter(is_active=True),
        required=False,
        empty_label=_("None"),
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL
    )
    assignee = forms.ModelChoiceField(
        label=_("Assignee"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody yet"),
    )
    tags = _tags_field()
    files = _files_field()

    def __init__(self, *args, staff: bool, assignees=None, custom_fields=(), **kwargs):
        """``custom_fields``: the custom fields this person may fill in."""
        super().__init__(*args, **kwargs)
        if staff:
            self.fields["assignee"].queryset = assignees
        else:
            for name in ("priority", "assignee", "tags"):
                del self.fields[name]
        self.add_custom_fields(custom_fields)


REPLY_KINDS = [("reply", _("Public reply")), ("note", _("Internal note"))]


class ReplyForm(UploadForm):
    body = MarkdownField(
        label=_("Message"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=MARKDOWN_HELP,
    )
    kind = forms.ChoiceField(
        label=_("Send as"), choices=REPLY_KINDS, initial="reply", widget=forms.RadioSelect
    )
    status = forms.ChoiceField(label=_("Submit as"), choices=Status.choices, required=False)
    files = _files_field()

    def __init__(self, *args, staff: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not staff:
            del self.fields["kind"]
            del self.fields["status"]


# A shown value the page did not send (a page from before it sent them): it equals nothing,
# so any difference from the ticket as it is now is asked about rather than written.
NOT_SHOWN = object()


def shown_text(value: object) -> str:
    """A value as the sidebar's hidden inputs carry it."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(getattr(value, "pk", value))


def _shown_id(raw: str) -> object:
    return None if raw == "" else int(raw) if raw.isdigit() else NOT_SHOWN


def _shown_date(raw: str) -> object:
    if raw == "":
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return NOT_SHOWN


def _shown_custom(raw: str) -> object:
    try:
        return custom_values.shown_value(raw)
    except ValueError:
        return NOT_SHOWN


class TicketFieldsForm(CustomFieldsMixin, Form):
    """The ticket's sidebar. Beside each field it carries, in a hidden ``shown_<field>``, the
    value the page was shown with, so the service can tell what this person changed from
    what his page merely showed (and someone else may have changed since)."""

    subject = _subject_field()
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    assignee = forms.ModelChoiceField(
        label=_("Assignee"), queryset=User.objects.none(), required=False, empty_label=_("Nobody")
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), required=False, empty_label=_("None")
    )
    tags = _tags_field()
    due_on = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self,
        *args,
        assignees,
        subject: bool = True,
        shown: dict[str, object] | None = None,
        conflicts: Sequence = (),
        custom_fields=(),
        custom: dict[str, object] | None = None,
        **kwargs,
    ):
        """``shown``: for a page being drawn, the ticket's values the hidden inputs carry
        (by default ``initial``); ``conflicts``: the service's FieldConflicts to ask about;
        ``custom_fields``: the active custom fields, and ``custom`` the ticket's values."""
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignees
        if not subject:  # the operator removed the ticket: its subject is hidden, even here
            del self.fields["subject"]
        self.add_custom_fields(custom_fields, current=custom or {})
        self.shown = self.initial if shown is None else shown
        self.conflicts = [(self.label_of(c.field), c) for c in conflicts]

    def label_of(self, name: str) -> str:
        return str(self.fields[name].label or pretty_name(name))

    def shown_inputs(self) -> list[tuple[str, str]]:
        if self.is_bound:  # drawn again after an error: still the values first shown
            return [(f"shown_{n}", self.data.get(f"shown_{n}", "")) for n in self.fields]
        return [
            (
                f"shown_{n}",
                (custom_values.shown_text if n.startswith(CUSTOM) else shown_text)(
                    self.shown.get(n)
                ),
            )
            for n in self.fields
        ]

    def clean(self):
        cleaned = super().clean()
        shown: dict[str, object] = {}
        for name in self.fields:
            raw = self.data.get(f"shown_{name}")
            if name == "tags":
                shown[name] = split_tags(raw or "")
            elif raw is None:
                shown[name] = NOT_SHOWN
            elif name.startswith(CUSTOM):
                shown[name] = _shown_custom(raw)
            elif name in {"assignee", "category"}:
                shown[name] = _shown_id(raw)
            elif name == "due_on":
                shown[name] = _shown_date(raw)
            else:
                shown[name] = raw
            # "Take the current value" of a field asked about: then he changes nothing there.
            if self.data.get(f"resolve_{name}") == "now":
                cleaned.pop(name, None)
        cleaned["shown"] = shown
        return cleaned


class MergeForm(Form):
    target = forms.IntegerField(label=_("Merge into ticket number"), min_value=1)


class CategoryForm(Form):
    name = forms.CharField(label=_("Name"), max_length=80)


class NotificationPreferenceForm(forms.ModelForm):
    announcements = forms.BooleanField(
        required=False, label=_("News about Service Desk features (now and then)")
    )

    class Meta:
        model = NotificationPreference
        fields = ["new_tickets", "replies", "assignments", "mentions", "satisfaction"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class MessageEditForm(Form):
    """The text of the description or of a reply or note, edited after posting. ``shown``
    is the digest of the text the form showed, to notice an edit made meanwhile."""

    body = MarkdownField(
        label=_("Message"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
    )
    shown = forms.CharField(widget=forms.HiddenInput, max_length=64)

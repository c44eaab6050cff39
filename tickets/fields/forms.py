"""Forms: the admin's form for a field, and the form fields custom fields add to the
new-ticket form and the ticket's sidebar (``CustomFieldsMixin``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from servicedesk.forms import Form
from tickets.fields import values
from tickets.fields.models import MAX_LABEL, TicketField

Kind = TicketField.Kind


class TicketFieldForm(Form):
    label = forms.CharField(label=_("Label"), max_length=MAX_LABEL)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Kind.choices,
        help_text=_("It can't change once the field is added."),
    )
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "For a dropdown or multi-select: one choice per line. A choice taken away "
            "stays on the tickets that have it."
        ),
    )
    required = forms.BooleanField(
        label=_("Required on the new-ticket form"),
        required=False,
        help_text=_("Tickets raised by email can't fill it in: they come without it."),
    )
    visibility = forms.ChoiceField(
        label=_("Who sees it"),
        choices=TicketField.Visibility.choices,
        initial=TicketField.Visibility.EVERYONE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["kind"]

    def choice_lines(self) -> list[str]:
        return self.cleaned_data.get("choices", "").splitlines()


def custom_form_field(
    field: TicketField, *, current: object = None, required: bool | None = None
) -> forms.Field:
    """The form field for ``field``; ``current`` (the ticket's value) keeps a choice taken
    away since offered, so a form left alone sends it back."""
    required = field.required if required is None else required
    common = {"label": field.label, "required": required}
    if field.kind == Kind.NUMBER:
        return forms.DecimalField(max_digits=21, decimal_places=6, **common)
    if field.kind == Kind.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if field.kind == Kind.CHECKBOX:
        return forms.BooleanField(**common)
    if field.has_choices:
        kept = current if isinstance(current, list) else [current] if current else []
        gone = [c for c in kept if c not in field.choices]
        choices = [(c, c) for c in field.choices] + [
            (c, gettext("%(choice)s (no longer offered)") % {"choice": c}) for c in gone
        ]
        if field.kind == Kind.MULTI:
            return forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple, **common
            )
        return forms.ChoiceField(choices=[("", "—"), *choices], **common)
    return forms.CharField(max_length=values.MAX_TEXT, **common)


class CustomFieldsMixin(forms.Form):
    """Adds a form field per custom field (``cf_<key>``), after the form's own."""

    custom_definitions: list[TicketField]

    def add_custom_fields(
        self, definitions: Iterable[TicketField], *, current: Mapping[str, object] | None = None
    ) -> None:
        """``current``: the ticket's values, on the sidebar (a required field is required
        there only once it has a value: a ticket from mail must stay editable)."""
        self.custom_definitions = list(definitions)
        for field in self.custom_definitions:
            value = None if current is None else current.get(field.key)
            required = None if current is None else field.required and value is not None
            self.fields[field.name] = custom_form_field(field, current=value, required=required)

    @property
    def custom_bound(self) -> list[forms.BoundField]:
        return [self[field.name] for field in getattr(self, "custom_definitions", [])]

    def custom_values(self) -> dict[str, object]:
        """The cleaned values by key, as stored (empty ones as None)."""
        return {
            field.key: values.stored(field, self.cleaned_data.get(field.name))
            for field in getattr(self, "custom_definitions", [])
        }

    def custom_changes(self) -> dict[str, object]:
        """Like ``custom_values`` by form name (``cf_<key>``), for the fields still cleaned
        (a field whose current value was taken in a conflict is not)."""
        return {
            field.name: values.stored(field, self.cleaned_data[field.name])
            for field in getattr(self, "custom_definitions", [])
            if field.name in self.cleaned_data
        }

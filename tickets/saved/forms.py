from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from servicedesk.forms import Form
from tickets.saved.columns import DEFAULT_COLUMNS, columns_available
from tickets.saved.models import MAX_NAME_CHARS


def _column_choices() -> list[tuple[str, str]]:
    return [(column.key, column.label) for column in columns_available()]


class SavedViewForm(Form):
    name = forms.CharField(label=_("Name"), max_length=MAX_NAME_CHARS)
    columns = forms.MultipleChoiceField(
        label=_("Columns"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["columns"].choices = _column_choices()
        self.fields["columns"].initial = list(DEFAULT_COLUMNS)


class SavedViewCreateForm(SavedViewForm):
    # The list's filters and sort, from the page the form was on.
    query = forms.CharField(required=False, widget=forms.HiddenInput)
    shared = forms.BooleanField(label=_("Share with all agents"), required=False)

    def __init__(self, *args: Any, may_share: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_share:
            del self.fields["shared"]

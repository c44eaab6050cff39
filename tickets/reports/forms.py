"""The reports page's range and breakdown, read from the query string."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from servicedesk.forms import Form
from tickets.reports.selectors import BREAKDOWNS, DEFAULT_DAYS, MAX_DAYS


class RangeForm(Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    by = forms.ChoiceField(label=_("Break down by"), choices=list(BREAKDOWNS.items()))

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                raise ValidationError(_("The first day must come before the last."))
            if (end - start).days + 1 > MAX_DAYS:
                raise ValidationError(
                    ngettext(
                        "Choose at most %(days)d day.", "Choose at most %(days)d days.", MAX_DAYS
                    )
                    % {"days": MAX_DAYS}
                )
        return data


def range_form(query: dict, *, today: date) -> RangeForm:
    """The form bound to the query string, with the last 30 days for what it leaves out."""
    defaults = {
        "start": (today - timedelta(days=DEFAULT_DAYS - 1)).isoformat(),
        "end": today.isoformat(),
        "by": "agent",
    }
    return RangeForm({key: query.get(key) or value for key, value in defaults.items()})

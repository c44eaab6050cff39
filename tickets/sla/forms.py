"""The "Business hours and SLA" page's forms. Targets are typed as "4h", "30m", "1h 30m"
or a number of minutes, and shown the same way."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from servicedesk.forms import Form
from servicedesk.locales import time_zone_choices, validate_time_zone
from tickets.models import Category, Priority
from tickets.sla.models import SLAPolicy
from tickets.sla.selectors import WEEKDAY_NAMES

_DURATION = re.compile(
    r"^\s*(?:(?P<hours>\d{1,5})\s*h(?:ours?|rs?)?)?\s*(?:(?P<minutes>\d{1,6})\s*m(?:in(?:utes?)?)?)?\s*$",
    re.IGNORECASE,
)
DURATION_HELP = _("Business time, such as 30m, 4h or 1h 30m. Empty: no target.")


def minutes_text(minutes: int | None) -> str:
    if minutes is None:
        return ""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}h {rest}m"
    return f"{hours}h" if hours else f"{rest}m"


def minutes_parse(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    found = _DURATION.match(text)
    if found is None or not (found["hours"] or found["minutes"]):
        raise ValidationError(_("Write a time such as 30m, 4h or 1h 30m."))
    return int(found["hours"] or 0) * 60 + int(found["minutes"] or 0)


class TargetField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("help_text", DURATION_HELP)
        super().__init__(**kwargs)

    def clean(self, value):
        return minutes_parse(super().clean(value) or "")


class HoursForm(Form):
    # The System's own zone (System settings show the same one): checked by
    # servicedesk.locales, whose message names what was wrong.
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        validators=[validate_time_zone],
        widget=forms.Select(choices=time_zone_choices()),
        help_text=_(
            "The System's time zone: its reports count in it too, and its people see times "
            "in it unless they chose their own."
        ),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Working days"),
        choices=list(enumerate(WEEKDAY_NAMES)),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one working day.")},
    )
    opens = forms.TimeField(
        label=_("Opens at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    closes = forms.TimeField(
        label=_("Closes at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )


class HolidayForm(Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(label=_("Name"), max_length=80)


class PoliciesForm(Form):
    """First-response and resolution targets for each priority, most urgent first."""

    def __init__(self, *args, policies: dict[str, SLAPolicy] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        policies = policies or {}
        self.rows = []
        for value, label in reversed(Priority.choices):
            policy = policies.get(value)
            for name, text in (
                # Translators: a field's hidden label, e.g. "High: first response".
                ("response", _("%(priority)s: first response")),
                ("resolution", _("%(priority)s: resolution")),
            ):
                key = f"{value}_{name}"
                self.fields[key] = TargetField(
                    label=text % {"priority": label},
                    initial=minutes_text(getattr(policy, f"{name}_minutes", None)),
                )
            self.rows.append((label, self[f"{value}_response"], self[f"{value}_resolution"]))

    def targets(self) -> dict[str, tuple[int | None, int | None]]:
        data = self.cleaned_data
        return {
            value: (data.get(f"{value}_response"), data.get(f"{value}_resolution"))
            for value in Priority.values
        }


class CategoryPolicyForm(Form):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_active=True), empty_label=None
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    response = TargetField(label=_("First response"))
    resolution = TargetField(label=_("Resolution"))

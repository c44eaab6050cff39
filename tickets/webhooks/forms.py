from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from servicedesk.forms import Form
from tickets.webhooks.events import EVENTS


class EndpointForm(Form):
    """An endpoint's address, description and events (the service checks them)."""

    url = forms.CharField(
        label=_("Address (URL)"),
        max_length=500,
        help_text=_("Where we POST each event, such as https://example.com/hooks/service-desk."),
        widget=forms.URLInput(attrs={"inputmode": "url", "autocomplete": "off"}),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=200,
        required=False,
        help_text=_("What receives these events, for the people who manage them."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=EVENTS,
        widget=forms.CheckboxSelectMultiple,
        required=False,  # the service says "choose at least one", the same from every caller
    )


class EndpointEditForm(EndpointForm):
    is_active = forms.BooleanField(
        label=_("Active: send events to this endpoint"),
        required=False,
        help_text=_("An endpoint that fails for a day is switched off; switch it on again here."),
    )

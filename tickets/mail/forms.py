from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from servicedesk.forms import Form
from tickets.mail.models import WhoMayWrite


class WhoMayWriteForm(Form):
    who_may_write = forms.ChoiceField(
        label=_("Who may open tickets by mail"),
        choices=WhoMayWrite.choices,
        widget=forms.RadioSelect,
    )


class ForwardingForm(Form):
    address = forms.EmailField(
        label=_("Forwarding address"),
        max_length=254,
        help_text=_(
            "An address of yours that forwards its mail to the support address above, "
            "such as help@yourcompany.com."
        ),
    )

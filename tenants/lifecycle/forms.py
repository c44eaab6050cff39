from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from servicedesk.forms import Form


class SystemDeleteForm(Form):
    """The owner's two confirmations before a System is scheduled for deletion."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    subdomain = forms.CharField(
        label=_("Type the address of this help desk"),
        max_length=63,
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )

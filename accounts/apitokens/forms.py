from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.apitokens.models import ApiToken, Scope
from accounts.apitokens.services import scopes_for
from accounts.models import User
from servicedesk.forms import Form

EXPIRY_CHOICES = [
    ("30", _("In 30 days")),
    ("90", _("In 90 days")),
    ("365", _("In a year")),
    ("never", _("Never")),
]


class ApiTokenForm(Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=_("What uses it, such as “Monitoring alerts” or “CRM sync”."),
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=Scope.choices, initial=Scope.READ)
    expires = forms.ChoiceField(label=_("Expires"), choices=EXPIRY_CHOICES, initial="90")

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        allowed = scopes_for(user)
        self.fields["scope"].choices = [(s.value, s.label) for s in allowed]  # type: ignore[attr-defined]

    def expires_at(self):
        chosen = self.cleaned_data["expires"]
        if chosen == "never":
            return None
        return timezone.now() + timedelta(days=int(chosen))

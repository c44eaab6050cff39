"""Forms of single sign-on: the settings page's, and the join form a newcomer sees after his
provider signed him in (allauth's socialaccount signup form, SOCIALACCOUNT_FORMS)."""

from __future__ import annotations

from allauth.socialaccount.adapter import get_adapter
from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from servicedesk.forms import Form


class ProviderForm(Form):
    name = forms.CharField(
        label=_("Display name"),
        max_length=40,
        help_text=_("Shown on the sign-in button: “Sign in with …”."),
    )
    issuer = forms.URLField(
        label=_("Issuer URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "We read its settings at /.well-known/openid-configuration before saving anything."
        ),
    )
    client_id = forms.CharField(label=_("Client ID"), max_length=191)
    client_secret = forms.CharField(
        label=_("Client secret"),
        max_length=500,
        required=False,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}, render_value=False),
    )

    def __init__(self, *args, connected: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client_secret"].help_text = (
            _("Kept encrypted and never shown. Leave empty to keep the one we have.")
            if connected
            else _("Kept encrypted and never shown.")
        )


class PolicyForm(Form):
    password_login_allowed = forms.BooleanField(
        label=_("Password sign-in stays allowed"),
        required=False,
        help_text=_(
            "When off, everyone signs in with the provider; only the owner may still use a "
            "password, to get back in if the provider fails."
        ),
    )
    match_by_email = forms.BooleanField(
        label=_("Match the provider's email to existing people"),
        required=False,
        help_text=_(
            "Someone who already has an account here is linked to the provider on his first "
            "sign-in with it, when the provider says his address is verified."
        ),
    )
    domain_join = forms.BooleanField(
        label=_("People of verified domains may join"),
        required=False,
        help_text=_(
            "Without an invitation, as members, while a seat is free. Otherwise only invited "
            "people may join."
        ),
    )


class DomainForm(Form):
    domain = forms.CharField(label=_("Email domain"), max_length=253)


class JoinForm(Form):
    """The last step of a first sign-in through the provider: name and the terms, as the
    invitation's form asks (the account itself: accounts.sso.adapter.save_user)."""

    full_name = forms.CharField(label=_("Your name"), max_length=150)
    accept_terms = forms.BooleanField(label=_("I accept the terms of service"))

    def __init__(self, *args, sociallogin, **kwargs):
        self.sociallogin = sociallogin
        kwargs.setdefault("initial", {"full_name": getattr(sociallogin.user, "full_name", "")})
        super().__init__(*args, **kwargs)

    def try_save(self, request: HttpRequest):
        user = get_adapter(request).save_user(request, self.sociallogin, form=self)
        return user, None

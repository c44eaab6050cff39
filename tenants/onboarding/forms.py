from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from servicedesk.forms import Form
from tenants.onboarding import services


class SignupForm(Form):
    company_name = forms.CharField(label=_("Company name"), max_length=200)
    slug = forms.CharField(
        label=_("Address of your help desk"),
        max_length=63,
        help_text=_("Lowercase letters, digits and hyphens."),
        widget=forms.TextInput(
            attrs={"autocapitalize": "none", "spellcheck": "false", "autocomplete": "off"}
        ),
    )
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(
        label=_("Work email"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=lazy(password_validation.password_validators_help_text_html, str)(),
    )
    accept_terms = forms.BooleanField(label=_("I accept the terms of service"))
    # Filled by static/js/time-zone.js with the browser's zone; checked by the service.
    time_zone = forms.CharField(
        required=False,
        max_length=64,
        widget=forms.HiddenInput(attrs={"data-browser-time-zone": ""}),
    )

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].strip().lower()
        available, message, suggestion = services.subdomain_check(
            slug=slug, email=self.data.get("email")
        )
        if not available:
            hint = f" Try “{suggestion}”." if suggestion else ""
            raise forms.ValidationError(message + hint)
        return slug

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            probe = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password, probe)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class OpenSystemForm(Form):
    name = forms.CharField(label=_("Name of the new help desk"), max_length=200)
    slug = forms.CharField(
        label=_("Its address"),
        max_length=63,
        help_text=_("Lowercase letters, digits and hyphens."),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.phones import phone_normalise
from accounts.services.invitations import MAX_INVITATIONS_AT_ONCE
from servicedesk.forms import Form
from servicedesk.locales import (
    DEFAULT_TIME_ZONE,
    time_zone_choices,
    validate_language,
    validate_time_zone,
)

IDLE_TIMEOUT_CHOICES = [
    (15, _("15 minutes")),
    (30, _("30 minutes")),
    (60, _("1 hour")),
    (120, _("2 hours")),
    (240, _("4 hours")),
    (480, _("8 hours")),
    (720, _("12 hours")),
    (1440, _("24 hours")),
]
ROLE_CHOICES = [(Role.ADMIN, _("Admin")), (Role.AGENT, _("Agent")), (Role.MEMBER, _("Member"))]
# Built per request, so the rules read in the reader's language (the validators use gettext).
_password_rules = lazy(password_validation.password_validators_help_text_html, str)


class InviteForm(Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(choices=ROLE_CHOICES, initial=Role.AGENT)


class BulkInviteForm(Form):
    MAX_FILE_BYTES = 256 * 1024

    addresses = forms.CharField(
        label=_("Addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=format_lazy(
            _("One per line: an email, or “email, role”. At most {count} at once, file included."),
            count=MAX_INVITATIONS_AT_ONCE,
        ),
    )
    file = forms.FileField(
        label=_("…or a CSV file"),
        required=False,
        help_text=_("Columns: email and, optionally, role."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )
    default_role = forms.ChoiceField(
        choices=ROLE_CHOICES, initial=Role.MEMBER, label=_("Role when a line names none")
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > self.MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 256 KB."))
        return upload

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("addresses", "").strip() and not cleaned.get("file"):
            raise forms.ValidationError(_("Paste some addresses or choose a CSV file."))
        return cleaned


class RoleForm(Form):
    role = forms.ChoiceField(choices=ROLE_CHOICES)


class PasswordWithConfirmation(Form):
    """Name, password twice, validated like every password of the product."""

    full_name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_password_rules(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str = "", **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            probe = User(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class AcceptInvitationForm(PasswordWithConfirmation):
    accept_terms = forms.BooleanField(label=_("I accept the terms of service"))


class TransferOwnershipForm(Form):
    new_owner = forms.ModelChoiceField(queryset=User.objects.none(), label=_("New owner"))
    password = forms.CharField(
        label=_("Your password, to confirm"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, actor: User, candidates, **kwargs):
        self.actor = actor
        super().__init__(*args, **kwargs)
        self.fields["new_owner"].queryset = candidates

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.actor.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password


class SystemSettingsForm(Form):
    name = forms.CharField(label=_("Help desk name"), max_length=200)
    idle_timeout_minutes = forms.TypedChoiceField(
        label=_("Sign people out after"),
        choices=IDLE_TIMEOUT_CHOICES,
        coerce=int,
        help_text=_("…this long without activity."),
    )
    invite_expiry_days = forms.IntegerField(
        label=_("Invitation links expire after (days)"), min_value=1, max_value=30
    )
    language = forms.CharField(
        label=_("Default language"),
        max_length=8,
        validators=[validate_language],
        widget=forms.Select(choices=settings.LANGUAGES),
        help_text=_("For people whose browser asks for none we offer; each may choose their own."),
    )
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        validators=[validate_time_zone],
        widget=forms.Select(choices=time_zone_choices()),
        help_text=_(
            "Business hours and reports count in it; people who choose no zone of their own "
            "see every time in it."
        ),
    )


class DeleteOwnAccountForm(Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To be sure it is you."),
    )


class AccountClaimForm(Form):
    claimant_name = forms.CharField(label=_("Your name"), max_length=200)
    claimant_email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("We send a link there; the claim counts once you follow it."),
    )
    account_email = forms.EmailField(
        label=_("The account you claim"),
        help_text=_("Its email address in this help desk."),
    )
    claim = forms.CharField(
        label=_("Why it is yours"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What happened, and since when you cannot use it."),
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Anything that shows it is yours: invoices, contracts, earlier emails from "
            "the address. Describe documents here; we may ask you for copies."
        ),
    )


class ProfileForm(Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        help_text=_(
            "Optional. With the country code, e.g. +84 912 345 678. Your help desk's admins see it."
        ),
    )

    # Free text checked by servicedesk.locales (not a ChoiceField): its messages say what
    # went wrong in words a person understands.
    language = forms.CharField(
        label=_("Language"),
        required=False,
        max_length=8,
        validators=[validate_language],
        widget=forms.Select(),
        help_text=_("Of your pages and of the mail we send you."),
    )
    time_zone = forms.CharField(
        label=_("Time zone"),
        required=False,
        max_length=64,
        validators=[validate_time_zone],
        widget=forms.Select(),
        help_text=_("Every date and time you read here is shown in it."),
    )

    def __init__(self, *args, system_time_zone: str = DEFAULT_TIME_ZONE, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].widget.choices = [
            ("", _("Automatic (browser, then the System's)")),
            *settings.LANGUAGES,
        ]
        self.fields["time_zone"].widget.choices = [
            ("", gettext("The System's (%(zone)s)") % {"zone": system_time_zone}),
            *time_zone_choices(),
        ]

    def clean_phone(self) -> str:
        return phone_normalise(self.cleaned_data["phone"])

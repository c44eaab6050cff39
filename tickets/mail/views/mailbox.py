"""Settings → Email → Mailbox (IMAP): connect a mailbox whose mail becomes tickets, see how
its polling goes, check it now, disconnect it. Admins (Perm.MANAGE_MAIL) only."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.permissions import Perm, require
from servicedesk.forms import Form, add_errors
from tickets.mail.models import ImapSecurity
from tickets.mail.services import mailbox as service

KEEP_HINT = _("Leave empty to keep the password stored for this server and user.")


class MailboxForm(Form):
    host = forms.CharField(
        label=_("IMAP server"), max_length=255, help_text=_("Such as imap.example.com.")
    )
    port = forms.IntegerField(
        label=_("Port"), min_value=1, max_value=65535, initial=993, help_text=_("993 for SSL/TLS.")
    )
    security = forms.ChoiceField(
        label=_("Connection security"), choices=ImapSecurity.choices, initial=ImapSecurity.SSL
    )
    username = forms.CharField(label=_("User name"), max_length=255)
    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        # Never sent back to the browser, not even after an error.
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    folder = forms.CharField(label=_("Folder"), max_length=255, initial="INBOX")
    only_new = forms.BooleanField(
        label=_("Only mail that arrives from now on"),
        required=False,
        help_text=_(
            "Leave the messages already in the folder alone instead of making tickets of them."
        ),
    )

    def __init__(self, *args, password_stored: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if password_stored:
            self.fields["password"].help_text = KEEP_HINT


@login_required
def mailbox_page(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.MANAGE_MAIL)
    current = service.mailbox_settings()
    stored = bool(current.imap_password)
    if request.method == "POST":
        form = MailboxForm(request.POST, password_stored=stored)
        if form.is_valid():
            try:
                service.mailbox_configure(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request, _("The mailbox answered and is connected: new mail becomes tickets.")
                )
                return redirect("mail_mailbox")
    else:
        initial = {
            "host": current.imap_host,
            "port": current.imap_port,
            "security": current.imap_security,
            "username": current.imap_username,
            "folder": current.imap_folder,
        }
        form = MailboxForm(initial=initial, password_stored=stored)
    return render(
        request,
        "tickets/mail/mailbox.html",
        {"form": form, "mailbox": current},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def mailbox_check(request: HttpRequest) -> HttpResponse:
    service.mailbox_check_now(actor=request.user)
    messages.info(request, gettext("The mailbox is being checked: reload this page in a moment."))
    return redirect("mail_mailbox")


@login_required
@require_POST
def mailbox_disable(request: HttpRequest) -> HttpResponse:
    service.mailbox_disable(actor=request.user)
    messages.success(request, gettext("The mailbox is disconnected and its password forgotten."))
    return redirect("mail_mailbox")

"""Operator accounts: the public site's staff, who run the business from admin."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from servicedesk.schema import in_public_schema

# Made by tenants/migrations/0010_operator_groups.py; the README says what each may do.
OPERATOR_GROUPS = ("Support", "Billing", "Trust & safety", "Superuser")


@transaction.atomic
def operator_account_create(
    *,
    email: str,
    full_name: str,
    password: str,
    groups: list[str],
    superuser: bool = False,
) -> User:
    """A staff account of the public site, its address verified (allauth signs it in), in
    ``groups``. It enters admin only once a second factor is set up (servicedesk.admin_site)."""
    if not in_public_schema():
        raise ValidationError(_("Operator accounts live on the public site, not in a System."))
    email = User.objects.normalize_email(email.strip()).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("%(email)s already has an account.") % {"email": email}})
    unknown = sorted(set(groups) - set(OPERATOR_GROUPS))
    if unknown:
        raise ValidationError(
            {"groups": _("No such group: %(names)s.") % {"names": ", ".join(unknown)}}
        )
    candidate = User(email=email, full_name=full_name)
    validate_password(password, user=candidate)
    user = User.objects.create_user(
        email, password, full_name=full_name.strip(), is_staff=True, is_superuser=superuser
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    user.groups.set(Group.objects.filter(name__in=groups))
    return user

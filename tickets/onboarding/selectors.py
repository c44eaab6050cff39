"""The set-up checklist: five things a new System needs, each ticked from what the System
holds (never by hand), all read in one query."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import BooleanField, Exists, ExpressionWrapper, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.permissions import Perm, can
from accounts.selectors import invitations_pending
from tickets.mail.models import ForwardingAddress, MailSettings
from tickets.models import Category, Ticket
from tickets.onboarding.models import ChecklistHidden
from tickets.sla.models import BusinessHours

# Whoever may do every step sees the list: the owner and admins.
SETUP_PERMS = (Perm.INVITE, Perm.MANAGE_SLA, Perm.MANAGE_CATEGORIES, Perm.MANAGE_MAIL)


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    hint: str
    url: str
    done: bool


@dataclass(frozen=True)
class Checklist:
    items: tuple[ChecklistItem, ...]

    @property
    def done_count(self) -> int:
        return sum(item.done for item in self.items)

    @property
    def total(self) -> int:
        return len(self.items)


# key, label, hint, URL name; in the order a new owner would do them.
STEPS = (
    (
        "team",
        _("Invite your team"),
        _("Another person in the System, or an invitation on its way."),
        "people",
    ),
    (
        "hours",
        _("Set your business hours"),
        _("Service levels count only these hours."),
        "sla_settings",
    ),
    ("category", _("Add a category"), _("Sort tickets by what they are about."), "category_list"),
    (
        "email",
        _("Connect email"),
        _("Confirm a forwarding address or connect a mailbox, so mail becomes tickets."),
        "mail_settings",
    ),
    ("ticket", _("Create a first ticket"), _("See what your people will see."), "ticket_new"),
)


def _either(first: Exists, second: Exists) -> ExpressionWrapper:
    return ExpressionWrapper(Q(first) | Q(second), output_field=BooleanField())


def _states(*, user: User) -> dict[str, bool]:
    """Each step's state and whether ``user`` hid the list, in one SELECT of EXISTS."""
    pending = invitations_pending().order_by()
    teammates = User.objects.filter(is_active=True).exclude(role=Role.OWNER)
    mail = MailSettings.objects.filter(imap_enabled=True)
    confirmed = ForwardingAddress.objects.filter(verified_at__isnull=False)
    found = (
        User.objects.filter(pk=user.pk)
        .annotate(
            s_team=_either(Exists(teammates), Exists(pending)),
            s_hours=Exists(BusinessHours.objects.all()),
            s_category=Exists(Category.objects.all()),
            s_email=_either(Exists(mail), Exists(confirmed)),
            s_ticket=Exists(Ticket.objects.all()),
            s_hidden=Exists(ChecklistHidden.objects.filter(user=user.pk)),
        )
        .values("s_team", "s_hours", "s_category", "s_email", "s_ticket", "s_hidden")
    )
    row = next(iter(found), None)
    return {key.removeprefix("s_"): bool(value) for key, value in (row or {}).items()}


def checklist_for_user(*, user: User) -> Checklist | None:
    """The checklist to show ``user`` on the dashboard, or None: not his to do, hidden by
    him, or every step done."""
    if not all(can(user, perm) for perm in SETUP_PERMS):
        return None
    states = _states(user=user)
    if not states or states["hidden"]:
        return None
    items = tuple(
        ChecklistItem(key=key, label=label, hint=hint, url=reverse(name), done=states[key])
        for key, label, hint, name in STEPS
    )
    checklist = Checklist(items=items)
    return None if checklist.done_count == checklist.total else checklist

"""The settings area: which administration pages a person may open, grouped as its side
menu shows them.

The top bar's Settings link (the first page here a person may open) and the side menu read
this one list, and each page is shown on the permission its view requires
(``accounts.permissions``), so the menu never offers a page that answers 403. Pages are
named by URL name only: this module imports no app above accounts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import Perm, can


@dataclass(frozen=True)
class SettingsPage:
    url_name: str
    label: str | Promise
    perm: Perm
    # Pages reached from this one (a form, a confirmation): on them this item is marked as
    # the current section (aria-current="true"), not as the current page.
    within: tuple[str, ...] = ()


SETTINGS_AREA: tuple[tuple[str | Promise, tuple[SettingsPage, ...]], ...] = (
    (
        _("Workspace"),
        (
            SettingsPage(
                "system_settings",
                _("System settings"),
                Perm.CHANGE_SETTINGS,
                within=(
                    "ownership",
                    "consents",
                    "terms_status",
                    "system_delete",
                    "system_delete_undo_link",
                    "open_system",
                ),
            ),
        ),
    ),
    (
        # How the System's tickets are worked: one line per page, in the order agents meet them.
        _("Help desk"),
        (
            SettingsPage("category_list", _("Categories"), Perm.MANAGE_CATEGORIES),
            SettingsPage(
                "sla_settings",
                _("Business hours and SLA"),
                Perm.MANAGE_SLA,
                within=(
                    "sla_hours",
                    "sla_holiday_add",
                    "sla_holiday_remove",
                    "sla_policies",
                    "sla_category_policy_add",
                    "sla_category_policy_remove",
                ),
            ),
            # Agents open these too, as pages alone (they have no settings menu).
            SettingsPage(
                "response_list",
                _("Canned responses"),
                Perm.MANAGE_SHARED_TOOLS,
                within=("response_create", "response_edit", "response_delete"),
            ),
            SettingsPage(
                "macro_list",
                _("Macros"),
                Perm.MANAGE_SHARED_TOOLS,
                within=("macro_create", "macro_edit", "macro_delete"),
            ),
            SettingsPage(
                "ticket_field_list",
                _("Ticket fields"),
                Perm.MANAGE_FIELDS,
                within=("ticket_field_edit",),
            ),
        ),
    ),
    (
        _("People"),
        (
            SettingsPage("people", _("People"), Perm.VIEW_PEOPLE, within=("invite_many",)),
            SettingsPage("audit_log", _("Audit log"), Perm.VIEW_AUDIT),
            SettingsPage("operator_access", _("Operator access"), Perm.VIEW_OPERATOR_ACCESS),
            SettingsPage(
                "sso_settings",
                _("Single sign-on"),
                Perm.MANAGE_SSO,
                within=(
                    "sso_policy",
                    "sso_disconnect",
                    "sso_domain_add",
                    "sso_domain_check",
                    "sso_domain_remove",
                ),
            ),
        ),
    ),
    (
        _("Email"),
        (
            SettingsPage(
                "mail_settings",
                _("Email"),
                Perm.MANAGE_MAIL,
                # Agents open the contacts too; they reach them from a ticket, not from here.
                within=("mail_forwarding_add", "contacts"),
            ),
            SettingsPage(
                "mail_inbox",
                _("Incoming mail"),
                Perm.MANAGE_MAIL,
                within=("mail_message", "mail_message_decide"),
            ),
            SettingsPage(
                "mail_mailbox",
                _("Mailbox (IMAP)"),
                Perm.MANAGE_MAIL,
                within=("mail_mailbox_check", "mail_mailbox_disable"),
            ),
        ),
    ),
    (
        # What connects the System to other software.
        _("Integrations"),
        (
            SettingsPage("system_api_tokens", _("API tokens"), Perm.MANAGE_API_TOKENS),
            SettingsPage(
                "webhook_list",
                _("Webhooks"),
                Perm.MANAGE_WEBHOOKS,
                within=(
                    "webhook_create",
                    "webhook_edit",
                    "webhook_secret_roll",
                    "webhook_delete",
                    "webhook_deliveries",
                ),
            ),
        ),
    ),
    (
        _("Billing"),
        (SettingsPage("billing", _("Billing"), Perm.VIEW_BILLING),),
    ),
    (
        _("Your data"),
        (
            SettingsPage("export", _("Export"), Perm.EXPORT_DATA),
            SettingsPage("restore_request", _("Restore"), Perm.REQUEST_RESTORE),
            SettingsPage("takedown_list", _("Removed content"), Perm.ANSWER_TAKEDOWNS),
            # Agents the owner lets delete reach the trash from the top bar, not from here.
            SettingsPage(
                "trash", _("Trash"), Perm.TRASH, within=("trash_ticket_purge", "trash_file_purge")
            ),
        ),
    ),
)


@dataclass(frozen=True)
class MenuItem:
    url: str
    label: str | Promise
    # "page" on the page itself, "true" on a page reached from it, else None.
    current: str | None


@dataclass(frozen=True)
class MenuGroup:
    label: str | Promise
    items: tuple[MenuItem, ...]


@dataclass(frozen=True)
class SettingsMenu:
    groups: tuple[MenuGroup, ...]
    # The first page of the area this person may open (the top bar's Settings link).
    home: str | None
    # True when the page shown belongs to the settings area.
    active: bool

    def __bool__(self) -> bool:
        return bool(self.groups)


def _current(page: SettingsPage, url_name: str | None) -> str | None:
    if url_name == page.url_name:
        return "page"
    if url_name in page.within:
        return "true"
    return None


def settings_menu_for_user(*, user: User, url_name: str | None) -> SettingsMenu:
    """The side menu for ``user`` on the page named ``url_name``: only pages his role may
    open, empty groups left out."""
    groups = []
    for label, pages in SETTINGS_AREA:
        items = tuple(
            MenuItem(url=reverse(page.url_name), label=page.label, current=_current(page, url_name))
            for page in pages
            if can(user, page.perm)
        )
        if items:
            groups.append(MenuGroup(label=label, items=items))
    return SettingsMenu(
        groups=tuple(groups),
        home=groups[0].items[0].url if groups else None,
        active=any(item.current for group in groups for item in group.items),
    )

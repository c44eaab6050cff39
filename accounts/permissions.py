"""May this user do X (to Y)? One answer for views, lists, admin actions and tasks.

Roles grant permissions (ROLE_GRANTS); some permissions also look at their target
(``can(user, Perm.DEACTIVATE, target=other)``). Views call ``require``, which raises
PermissionDenied; templates and lists call ``can``. The README's matrix is this table.
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied

from accounts.models import Role, User


class Perm(StrEnum):
    VIEW_PEOPLE = "view_people"  # the seats page: people, roles, invitations
    INVITE = "invite"  # send invitations (single or bulk)
    MANAGE_INVITATIONS = "manage_invitations"  # resend or revoke pending invitations
    CHANGE_ROLE = "change_role"  # target: another account
    DEACTIVATE = "deactivate"  # target: another account
    REACTIVATE = "reactivate"  # target: another account
    TRANSFER_OWNERSHIP = "transfer_ownership"  # target: the new owner
    VIEW_AUDIT = "view_audit"
    VIEW_OPERATOR_ACCESS = "view_operator_access"  # who of the operator looked, and why
    ANSWER_TAKEDOWNS = "answer_takedowns"  # see content the operator removed, and answer
    VIEW_BILLING = "view_billing"  # plan, invoices, payment instructions
    MANAGE_BILLING = "manage_billing"  # choose or change the plan and the seat cap
    CHANGE_SETTINGS = "change_settings"  # name, timeouts, second factor for all (owner)
    OPEN_SYSTEM = "open_system"  # open another System for the same customer
    EXPORT_DATA = "export_data"  # build and download an archive of everything
    DELETE_SYSTEM = "delete_system"  # schedule (and undo) the deletion of the whole System
    REQUEST_RESTORE = "request_restore"  # ask the operator to restore a backup
    # Move tickets and files to the trash, restore them: admins always; agents only when the
    # owner allows it (System.agents_may_delete), which the trash services check.
    TRASH = "trash"
    # Tickets. Everyone may raise tickets and reply on the ones he sees; members see only
    # their own and those they follow (tickets.selectors applies that rule).
    TICKET_CREATE = "ticket_create"
    TICKET_VIEW_ALL = "ticket_view_all"  # every ticket of the System, and notes
    TICKET_WORK = "ticket_work"  # assign, change any field, notes, bulk actions, merge
    MANAGE_CATEGORIES = "manage_categories"
    # Edit and delete anyone's messages and files at any time (authors may, their own, for
    # tickets.message_selectors.MESSAGE_EDIT_WINDOW after posting).
    MODERATE_MESSAGES = "moderate_messages"
    # The mail channel: addresses, who may write, the mailbox, held and failed mail.
    MANAGE_MAIL = "manage_mail"
    # The agent's day: business hours, holidays and SLA policies; the System's custom ticket
    # fields; shared canned responses, macros and saved views (everyone keeps personal ones).
    MANAGE_SLA = "manage_sla"
    MANAGE_FIELDS = "manage_fields"
    MANAGE_SHARED_TOOLS = "manage_shared_tools"
    # Whether the help center's public articles answer people who are not signed in (agents
    # write the articles: TICKET_WORK).
    MANAGE_HELP_CENTER = "manage_help_center"
    # The reports page: tickets created and solved, backlog, times, SLA, per agent and tag.
    VIEW_REPORTS = "view_reports"
    # Webhooks: endpoints that receive the System's events, their secrets and delivery log.
    MANAGE_WEBHOOKS = "manage_webhooks"
    # Single sign-on: connect the identity provider, whether passwords still work, verified
    # email domains and who of them may join.
    MANAGE_SSO = "manage_sso"
    # System API tokens: create them, see and revoke everyone's (personal tokens are each
    # person's own, for any role).
    MANAGE_API_TOKENS = "manage_api_tokens"


_AGENT = {Perm.TICKET_CREATE, Perm.TICKET_VIEW_ALL, Perm.TICKET_WORK, Perm.VIEW_REPORTS}
_ADMIN = _AGENT | {
    Perm.VIEW_PEOPLE,
    Perm.INVITE,
    Perm.MANAGE_INVITATIONS,
    Perm.CHANGE_ROLE,
    Perm.DEACTIVATE,
    Perm.REACTIVATE,
    Perm.VIEW_AUDIT,
    Perm.VIEW_OPERATOR_ACCESS,
    Perm.ANSWER_TAKEDOWNS,
    Perm.VIEW_BILLING,
    Perm.MANAGE_CATEGORIES,
    Perm.EXPORT_DATA,
    Perm.REQUEST_RESTORE,
    Perm.TRASH,
    Perm.MODERATE_MESSAGES,
    Perm.MANAGE_MAIL,
    Perm.MANAGE_SLA,
    Perm.MANAGE_FIELDS,
    Perm.MANAGE_SHARED_TOOLS,
    Perm.MANAGE_HELP_CENTER,
    Perm.MANAGE_WEBHOOKS,
    Perm.MANAGE_SSO,
    Perm.MANAGE_API_TOKENS,
}
ROLE_GRANTS: dict[str, frozenset[Perm]] = {
    Role.OWNER: frozenset(Perm),  # DELETE_SYSTEM is the owner's alone
    Role.ADMIN: frozenset(_ADMIN),
    Role.AGENT: frozenset(_AGENT),
    Role.MEMBER: frozenset({Perm.TICKET_CREATE}),
}

# Permissions whose target is another account of the System.
_ON_ANOTHER_ACCOUNT = {Perm.CHANGE_ROLE, Perm.DEACTIVATE, Perm.REACTIVATE}


def can(user: User, perm: Perm, target: object | None = None) -> bool:
    if not user.is_authenticated or not user.is_active or user.is_suspended:
        return False
    if perm not in ROLE_GRANTS.get(user.role, frozenset()):
        return False
    if perm in _ON_ANOTHER_ACCOUNT and target is not None:
        assert isinstance(target, User)
        # Nobody acts on himself this way, and the owner is changed only by a transfer.
        return target.pk != user.pk and target.role != Role.OWNER
    if perm is Perm.TRANSFER_OWNERSHIP and target is not None:
        assert isinstance(target, User)
        return target.pk != user.pk and target.is_active and not target.is_suspended
    return True


def require(user: User, perm: Perm, target: object | None = None) -> None:
    if not can(user, perm, target):
        raise PermissionDenied(perm.value)


def assignable_roles(user: User) -> list[Role]:
    """Roles this user may give in an invitation or a role change (never owner)."""
    if not can(user, Perm.INVITE):
        return []
    return [Role.ADMIN, Role.AGENT, Role.MEMBER]

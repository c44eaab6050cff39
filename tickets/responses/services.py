"""Writes: keep canned responses and macros, and apply a macro to a ticket.

Shared ones are kept by those holding MANAGE_SHARED_TOOLS (admins and the owner); every
staff member keeps his own. A macro changes the ticket through tickets.services.tickets,
so each change is the ticket's own history event and mail goes out as for any reply.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEvent, Role, User
from accounts.permissions import Perm, require
from accounts.services.audit import audit_record
from servicedesk.markdown import markdown_check_length
from tickets.collab.services import reply_post
from tickets.models import Category, Priority, Status, Ticket, TicketEvent
from tickets.responses.models import MAX_NAME_CHARS, AssignTo, CannedResponse, Macro
from tickets.responses.placeholders import placeholders_check, placeholders_fill
from tickets.responses.selectors import fill_context, may_change
from tickets.services.tickets import ticket_update


def _owner_for(actor: User, *, shared: bool) -> User | None:
    require(actor, Perm.MANAGE_SHARED_TOOLS if shared else Perm.TICKET_WORK)
    return None if shared else actor


def _check_change(actor: User, item: CannedResponse | Macro) -> None:
    require(actor, Perm.TICKET_WORK)
    if not may_change(user=actor, item=item):
        raise PermissionDenied("Only admins change shared ones; nobody changes another's own.")


def _audit(actor: User, item: CannedResponse | Macro, change: str) -> None:
    """A shared one made, changed or deleted is in the audit log; anyone's own is not."""
    if item.owner_id is None:
        kind = "canned response" if isinstance(item, CannedResponse) else "macro"
        audit_record(
            action=AuditEvent.Action.SHARED_TOOLS_CHANGED,
            actor=actor,
            target=f"{kind} “{item.name}”",
            detail={"change": change, "id": item.pk},
        )


def _name(
    model: type[CannedResponse] | type[Macro], item_id: int | None, owner: User | None, name: str
) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give it a name.")})
    if len(name) > MAX_NAME_CHARS:
        raise ValidationError(
            {"name": _("A name has at most %(count)d characters.") % {"count": MAX_NAME_CHARS}}
        )
    taken = model.objects.filter(name__iexact=name, owner=owner).exclude(pk=item_id).exists()
    if taken:
        message = (
            _("There is already a shared one named “%(name)s”.")
            if owner is None
            else _("There is already one of yours named “%(name)s”.")
        )
        raise ValidationError({"name": message % {"name": name}})
    return name


def _text(field: str, text: str) -> str:
    text = text.replace("\r\n", "\n").strip()
    markdown_check_length(field=field, text=text)
    placeholders_check(field=field, text=text)
    return text


# --- canned responses -----------------------------------------------------------------


@transaction.atomic
def canned_response_create(*, actor: User, name: str, body: str, shared: bool) -> CannedResponse:
    owner = _owner_for(actor, shared=shared)
    body = _text("body", body)
    if not body:
        raise ValidationError({"body": _("Write the text of the response.")})
    response = CannedResponse.objects.create(
        name=_name(CannedResponse, None, owner, name), body=body, owner=owner
    )
    _audit(actor, response, "added")
    return response


@transaction.atomic
def canned_response_update(
    *, actor: User, response: CannedResponse, name: str, body: str
) -> CannedResponse:
    _check_change(actor, response)
    body = _text("body", body)
    if not body:
        raise ValidationError({"body": _("Write the text of the response.")})
    response.name = _name(CannedResponse, response.pk, response.owner, name)
    response.body = body
    response.updated_at = timezone.now()
    response.save(update_fields=["name", "body", "updated_at"])
    _audit(actor, response, "changed")
    return response


@transaction.atomic
def canned_response_delete(*, actor: User, response: CannedResponse) -> None:
    _check_change(actor, response)
    _audit(actor, response, "deleted")
    response.delete()


# --- macros ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MacroActions:
    """What a macro does; empty values leave the field as it is."""

    body: str = ""
    internal: bool = False
    status: str = ""
    priority: str = ""
    assign_to: str = AssignTo.LEAVE
    assignee: User | None = None
    category: Category | None = None
    tags: str = ""


def _tag_list(tags: str) -> list[str]:
    return sorted({tag.strip().lower()[:50] for tag in tags.split(",") if tag.strip()})


def _actions(actions: MacroActions) -> dict[str, object]:
    """The macro's columns from ``actions``, checked."""
    body = _text("body", actions.body)
    if actions.status and actions.status not in Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    if actions.priority and actions.priority not in Priority.values:
        raise ValidationError({"priority": _("Choose a priority.")})
    if actions.assign_to not in AssignTo.values:
        raise ValidationError({"assign_to": _("Choose whom to assign to.")})
    person = actions.assignee if actions.assign_to == AssignTo.PERSON else None
    if actions.assign_to == AssignTo.PERSON and (
        person is None or not person.is_active or person.role == Role.MEMBER
    ):
        raise ValidationError({"assignee": _("Choose an agent, an admin or the owner.")})
    if actions.category is not None and not actions.category.is_active:
        raise ValidationError({"category": _("That category is archived.")})
    tags = ", ".join(_tag_list(actions.tags))
    if len(tags) > 500:
        raise ValidationError({"tags": _("At most 500 characters of tags.")})
    values: dict[str, object] = {
        "body": body,
        "internal": actions.internal and bool(body),
        "status": actions.status,
        "priority": actions.priority,
        "assign_to": actions.assign_to,
        "assignee": person,
        "category": actions.category,
        "tags": tags,
    }
    if not any(
        values[key] for key in ("body", "status", "priority", "assign_to", "category", "tags")
    ):
        raise ValidationError(_("A macro needs something to do: a field to set, tags or a text."))
    return values


@transaction.atomic
def macro_create(*, actor: User, name: str, shared: bool, actions: MacroActions) -> Macro:
    owner = _owner_for(actor, shared=shared)
    values = _actions(actions)
    macro = Macro.objects.create(name=_name(Macro, None, owner, name), owner=owner, **values)
    _audit(actor, macro, "added")
    return macro


@transaction.atomic
def macro_update(*, actor: User, macro: Macro, name: str, actions: MacroActions) -> Macro:
    _check_change(actor, macro)
    values = _actions(actions)
    macro.name = _name(Macro, macro.pk, macro.owner, name)
    for key, value in values.items():
        setattr(macro, key, value)
    macro.updated_at = timezone.now()
    macro.save()
    _audit(actor, macro, "changed")
    return macro


@transaction.atomic
def macro_delete(*, actor: User, macro: Macro) -> None:
    _check_change(actor, macro)
    _audit(actor, macro, "deleted")
    macro.delete()


def _assignee(actor: User, macro: Macro) -> tuple[bool, User | None]:
    """(whether the macro assigns, to whom)."""
    if macro.assign_to == AssignTo.ME:
        return True, actor
    if macro.assign_to == AssignTo.NOBODY:
        return True, None
    if macro.assign_to == AssignTo.PERSON:
        if macro.assignee is None:
            raise ValidationError(_("The person it assigns tickets to no longer has an account."))
        return True, macro.assignee
    return False, None


@transaction.atomic
def macro_apply(*, actor: User, ticket: Ticket, macro: Macro) -> Ticket:
    """Apply ``macro`` to ``ticket`` as ``actor``: its fields and tags, then its text
    (placeholders filled in for this ticket), all or nothing. A change the ticket services
    refuse (a deactivated assignee, an archived category, a merged ticket) refuses the
    whole macro with the reason."""
    require(actor, Perm.TICKET_WORK)
    if macro.owner_id not in {None, actor.pk}:
        raise PermissionDenied("That macro is someone else's.")
    ticket = Ticket.objects.select_related("requester", "contact").get(pk=ticket.pk)
    try:
        TicketEvent.objects.create(
            ticket=ticket, actor=actor, kind=TicketEvent.Kind.MACRO, new_value=macro.name
        )
        changes: dict[str, object] = {}
        assigns, assignee = _assignee(actor, macro)
        if assigns:
            changes["assignee"] = assignee
        if macro.priority:
            changes["priority"] = macro.priority
        if macro.category_id:
            changes["category"] = macro.category
        if macro.status and not macro.body:
            changes["status"] = macro.status
        tags = None
        if macro.tags:
            tags = sorted({*ticket.tags.values_list("name", flat=True), *_tag_list(macro.tags)})
        if changes or tags is not None:
            ticket_update(actor=actor, ticket=ticket, changes=changes, tags=tags)
        if macro.body:  # a note's @mentions are mailed, as from the reply box
            reply_post(
                actor=actor,
                ticket=ticket,
                body=placeholders_fill(macro.body, fill_context(ticket=ticket, agent=actor)),
                internal=macro.internal,
                status=macro.status or None,
            )
    except ValidationError as error:
        reason = " ".join(error.messages)
        raise ValidationError(
            _("Macro “%(name)s” can't be applied to #%(number)s: %(reason)s")
            % {"name": macro.name, "number": ticket.number, "reason": reason}
        ) from error
    return ticket

"""Tickets: create, change, reply, close, reopen, follow (merge and bulk actions: their
own modules).

Every change of a field is a TicketEvent (who, when, from → to); text changes refresh the
search vectors in the same transaction; mail goes out after commit (tickets.notifications).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.permissions import Perm, can, require
from servicedesk.markdown import markdown_check_length, render_markdown
from tickets import hooks, notifications, search
from tickets.event_values import CODED
from tickets.fields import services as custom_fields
from tickets.fields import values as custom_values
from tickets.fields.models import PREFIX as CUSTOM
from tickets.models import (
    MAX_SUBJECT_CHARS,
    PRIORITY_RANK,
    Category,
    Contact,
    Priority,
    Reply,
    Status,
    Tag,
    Ticket,
    TicketEvent,
)
from tickets.satisfaction.services import satisfaction_ask
from tickets.services.attachments import attachments_add
from tickets.sla.services.clock import sla_replied, sla_start, sla_ticket_changed

# The fields staff may change from the ticket's sidebar or in bulk.
EDITABLE = ("status", "priority", "assignee", "category", "due_on", "subject")


def _next_number() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('tickets_number_seq')")
        (number,) = cursor.fetchone()
    return int(number)


def _shown(field: str, value: object) -> str:
    """How a value reads in the history."""
    if value is None or value == "":
        return "—"
    if field.startswith(CUSTOM):
        return custom_values.text(value)[:300]
    if field in CODED:  # in the reader's words (history itself keeps the code: _recorded)
        return str(CODED[field](str(value)).label)
    if isinstance(value, User):
        return value.get_full_name()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)[:300]


def _recorded(field: str, value: object) -> str:
    """How a value is kept in the history: a status or priority as its code (its label is
    the reader's language's, looked up when shown: tickets.event_values), the rest as read."""
    if field in CODED and value not in (None, ""):
        return str(value)
    return _shown(field, value)


def _event(ticket: Ticket, actor: User | None, field: str, old: object, new: object) -> None:
    TicketEvent.objects.create(
        ticket=ticket,
        actor=actor,
        field=field,
        old_value=_recorded(field, old),
        new_value=_recorded(field, new),
    )


def _tag_names(names: Iterable[str]) -> set[str]:
    """Tag names as stored: trimmed, lower case, at most 50 characters."""
    return {name.strip().lower()[:50] for name in names if name.strip()}


def _tags(names: Iterable[str]) -> list[Tag]:
    cleaned = sorted(_tag_names(names))
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=cleaned)}
    missing = [Tag(name=name) for name in cleaned if name not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {tag.name: tag for tag in Tag.objects.filter(name__in=cleaned)}
    return [existing[name] for name in cleaned]


def _markdown(field: str, text: str) -> str:
    """``text`` as stored, refused beyond the limit whether it came from a form or a mail."""
    text = text.replace("\r\n", "\n").strip()
    markdown_check_length(field=field, text=text)
    return text


def _subject(subject: str) -> str:
    subject = subject.strip()
    if len(subject) > MAX_SUBJECT_CHARS:
        raise ValidationError(
            {
                "subject": _("A subject has at most %(limit)d characters; this has %(count)d.")
                % {"limit": MAX_SUBJECT_CHARS, "count": len(subject)}
            }
        )
    return subject


def _assignable(user: User | None) -> None:
    if user is not None and (not user.is_active or user.role == Role.MEMBER):
        raise ValidationError({"assignee": _("Tickets go to agents, admins or the owner.")})


@transaction.atomic
def ticket_create(
    *,
    actor: User | None,
    subject: str,
    description: str,
    requester: User | None = None,
    priority: str = Priority.NORMAL,
    category: Category | None = None,
    assignee: User | None = None,
    tags: Iterable[str] = (),
    files: Sequence[UploadedFile] = (),
    contact: Contact | None = None,
    via_mail: bool = False,
    custom: Mapping[str, object] | None = None,
) -> Ticket:
    """Raise a ticket. Members raise tickets for themselves, at normal priority. With no
    ``actor``, a ``contact`` wrote it by mail (the mail channel decided he may).

    ``custom``: the custom fields' values by key, from a form that showed the fields the
    person may see (required ones are then required); None (mail) sets none."""
    if actor is None and contact is None:
        raise ValueError("A ticket is raised by a person or by a contact.")
    if actor is not None:
        require(actor, Perm.TICKET_CREATE)
    staff = actor is not None and can(actor, Perm.TICKET_WORK)
    if not staff:
        requester, priority, assignee, tags = actor, Priority.NORMAL, None, ()
    if category is not None and not category.is_active:
        raise ValidationError({"category": _("That category is archived.")})
    _assignable(assignee)
    subject = _subject(subject)
    description = _markdown("description", description)
    custom = custom_fields.custom_for_create(staff=staff, given=custom)
    now = timezone.now()
    ticket = Ticket.objects.create(
        number=_next_number(),
        subject=subject,
        description=description,
        description_html=render_markdown(description),
        requester=requester or actor,
        contact=contact if actor is None else None,
        priority=priority,
        priority_rank=PRIORITY_RANK[Priority(priority)],
        category=category,
        assignee=assignee,
        status=Status.OPEN if assignee else Status.NEW,
        created_at=now,
        updated_at=now,
        custom=custom,
    )
    if tags:  # a new ticket has none to compare with
        ticket.tags.set(_tags(tags))
    kind, by = TicketEvent.Kind.CREATED, "by email" if via_mail else ""
    TicketEvent.objects.create(ticket=ticket, actor=actor, kind=kind, new_value=by)
    attachments_add(actor=actor, ticket=ticket, files=files)
    search.refresh([ticket.pk])
    sla_start(ticket=ticket)
    notifications.ticket_created(ticket=ticket, actor=actor, via_mail=via_mail)
    hooks.ticket_created(ticket=ticket, actor=actor)
    return ticket


def fields_apply(ticket: Ticket, actor: User | None, changes: dict[str, object]) -> list[str]:
    """Set changed fields on ``ticket`` (locked by the caller), record each; return names."""
    changed = []
    for field, new in changes.items():
        if field.startswith(CUSTOM):  # a custom field: checked and set in tickets.fields
            change = custom_fields.custom_change(ticket, field, new)
            if change is not None:
                _event(ticket, actor, field, *change)
                changed += [field, "custom"]
            continue
        if field not in EDITABLE:
            raise ValueError(f"{field} is not editable")
        if field == "subject":
            new = _subject(str(new))
        old = getattr(ticket, field)
        if old == new:
            continue
        if field == "assignee":
            _assignable(new)  # type: ignore[arg-type]
        if field == "category" and new is not None and not new.is_active:  # type: ignore[attr-defined]
            raise ValidationError({"category": _("That category is archived.")})
        setattr(ticket, field, new)
        if field == "priority":
            ticket.priority_rank = PRIORITY_RANK[Priority(str(new))]
            changed.append("priority_rank")
        if field == "status":
            ticket.solved_at = timezone.now() if new in {Status.SOLVED, Status.CLOSED} else None
            changed.append("solved_at")
            satisfaction_ask(ticket=ticket, actor=actor, old=old)  # a new solve asks
        _event(ticket, actor, field, old, new)
        changed.append(field)
    changed += sla_ticket_changed(ticket=ticket, changed=changed)
    return changed


@dataclass(frozen=True)
class FieldConflict:
    """A field this person changed that someone else changed after his page was shown."""

    field: str
    yours: object  # what he asked for (a person or category by id)
    now: object  # what the ticket holds now (likewise)
    yours_text: str
    now_text: str
    changed_by: str  # from the ticket's history: the last change of this field
    changed_at: datetime | None


@dataclass(frozen=True)
class TicketUpdate:
    ticket: Ticket
    changed: list[str] = dataclasses.field(default_factory=list)  # fields written, "tags" too
    conflicts: list[FieldConflict] = dataclasses.field(default_factory=list)  # fields not written


def _key(value: object) -> object:
    """A value as compared: a person or category by id, text trimmed, empty as None."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):  # a multi-select's choices
        return tuple(value) or None
    if isinstance(value, str):
        value = value.strip()
    return None if value == "" else value


def _stored(ticket: Ticket, field: str) -> object:
    """``field`` of ``ticket`` as it is stored, without loading a related row."""
    if field.startswith(CUSTOM):
        return ticket.custom.get(field.removeprefix(CUSTOM))
    return getattr(ticket, f"{field}_id" if field in {"assignee", "category"} else field)


def _conflict(ticket: Ticket, field: str, yours: object) -> FieldConflict:
    last = (
        TicketEvent.objects.filter(ticket=ticket, kind=TicketEvent.Kind.CHANGED, field=field)
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )
    who = "someone"
    if last is not None and last.actor is not None:
        who = last.actor.get_full_name() or last.actor.email
    return FieldConflict(
        field=field,
        yours=_key(yours),
        now=_key(_stored(ticket, field)),
        yours_text=_shown(field, yours),
        now_text=_shown(
            field, _stored(ticket, field) if field.startswith(CUSTOM) else getattr(ticket, field)
        ),
        changed_by=who,
        changed_at=last.created_at if last is not None else None,
    )


def _own_changes(
    ticket: Ticket, changes: dict[str, object], shown: Mapping[str, object]
) -> tuple[dict[str, object], list[FieldConflict]]:
    """Split ``changes`` into what this person changed on his page and may be written, and
    what he changed but someone else changed too since the page was shown. A field he left
    as it was shown is neither, however stale the page: it is someone else's to change."""
    mine: dict[str, object] = {}
    conflicts = []
    for name, new in changes.items():
        if name not in shown:
            raise ValueError(f"{name} is changed without the value it was shown with")
        was = _key(shown[name])
        if _key(new) == was:
            continue
        now = _key(_stored(ticket, name))
        if now in {was, _key(new)}:  # untouched since, or both made the same change
            mine[name] = new
        else:
            conflicts.append(_conflict(ticket, name, new))
    return mine, conflicts


@transaction.atomic
def ticket_update(
    *,
    actor: User,
    ticket: Ticket,
    changes: dict[str, object],
    tags: Iterable[str] | None = None,
    shown: Mapping[str, object] | None = None,
) -> TicketUpdate:
    """Staff change fields (and tags); each change is a history event.

    ``shown`` holds the values the person's page was shown with (people and categories by
    id, tags as names under "tags"). With it, only what he changed from them is written:
    tags by his additions and removals, other fields only when nobody changed them since;
    those are returned as conflicts and not written. Without it (internal callers that set
    fields on purpose) every value in ``changes`` and ``tags`` is written where it differs.
    """
    require(actor, Perm.TICKET_WORK)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    old_assignee_id = ticket.assignee_id
    conflicts: list[FieldConflict] = []
    if shown is not None:
        changes, conflicts = _own_changes(ticket, changes, shown)
    changed = fields_apply(ticket, actor, changes)
    if tags is not None:
        before = set(ticket.tags.values_list("name", flat=True))
        after = _tag_names(tags)
        if shown is not None:
            if "tags" not in shown:
                raise ValueError("tags are changed without the tags they were shown with")
            was = _tag_names(shown["tags"])  # type: ignore[arg-type]
            after = (before | (after - was)) - (was - after)
        if before != after:
            ticket.tags.set(_tags(after))
            _event(ticket, actor, "tags", ", ".join(sorted(before)), ", ".join(sorted(after)))
            changed.append("tags")
    if changed:
        ticket.updated_at = timezone.now()
        ticket.save(
            update_fields=[
                f for f in {*changed, "updated_at"} if f != "tags" and not f.startswith(CUSTOM)
            ]
        )
        if "subject" in changed:
            search.refresh([ticket.pk])
        if "assignee" in changed and ticket.assignee_id not in {None, old_assignee_id}:
            notifications.ticket_assigned(ticket=ticket, actor=actor)
    fields = [f for f in changed if f in EDITABLE or f == "tags" or f.startswith(CUSTOM)]
    hooks.ticket_changed(ticket=ticket, actor=actor, changed=fields)
    return TicketUpdate(ticket=ticket, changed=fields, conflicts=conflicts)


@transaction.atomic
def ticket_reply(
    *,
    actor: User | None,
    ticket: Ticket,
    body: str,
    internal: bool = False,
    status: str | None = None,
    files: Sequence[UploadedFile] = (),
    contact: Contact | None = None,
    via_mail: bool = False,
) -> Reply:
    """A public reply or (staff only) an internal note, optionally changing the status.

    A member answering a pending or solved ticket reopens it: the ball is back with staff.
    With no ``actor``, a ``contact`` wrote it by mail (the mail channel decided he may).
    """
    if actor is None and contact is None:
        raise ValueError("A reply is written by a person or by a contact.")
    staff = actor is not None and can(actor, Perm.TICKET_WORK)
    if internal and not staff:
        raise PermissionDenied(_("Only staff write internal notes."))
    body = _markdown("body", body)
    if not body and not files:
        raise ValidationError({"body": _("Write something, or attach a file.")})
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.merged_into_id:
        raise ValidationError(
            _("#%(number)d was merged; reply on the ticket it went into.")
            % {"number": ticket.number}
        )
    now = timezone.now()
    reply = Reply.objects.create(
        ticket=ticket,
        author=actor,
        author_contact=contact if actor is None else None,
        via_mail=via_mail,
        body=body,
        body_html=render_markdown(body),
        is_internal=internal,
        created_at=now,
    )
    attachments_add(actor=actor, ticket=ticket, reply=reply, files=files)
    changes: dict[str, object] = {}
    if staff and status:
        changes["status"] = Status(status)
    else:
        member_answers = not staff and ticket.status in {
            Status.PENDING,
            Status.SOLVED,
            Status.CLOSED,
        }
        staff_picks_up = staff and not internal and ticket.status == Status.NEW
        if member_answers or staff_picks_up:
            changes["status"] = Status.OPEN
    changed = fields_apply(ticket, actor, changes)
    changed += sla_replied(ticket=ticket, reply=reply)
    ticket.updated_at = now
    ticket.reply_count = F("reply_count") + 1
    ticket.save(update_fields=[*changed, "updated_at", "reply_count"])
    ticket.refresh_from_db(fields=["reply_count"])
    search.refresh([ticket.pk])
    if not internal:
        notifications.reply_added(ticket=ticket, reply=reply)
        hooks.ticket_replied(ticket=ticket, actor=actor, reply=reply)
    hooks.ticket_changed(ticket=ticket, actor=actor, changed=changed)
    return reply


def _member_may_close(actor: User, ticket: Ticket) -> bool:
    return can(actor, Perm.TICKET_WORK) or ticket.requester_id == actor.pk


@transaction.atomic
def ticket_close(*, actor: User, ticket: Ticket) -> Ticket:
    if not _member_may_close(actor, ticket):
        raise PermissionDenied(_("Only the requester or staff close a ticket."))
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    changed = fields_apply(ticket, actor, {"status": Status.CLOSED})
    if changed:
        ticket.updated_at = timezone.now()
        ticket.save(update_fields=[*changed, "updated_at"])
    hooks.ticket_changed(ticket=ticket, actor=actor, changed=changed)
    return ticket


@transaction.atomic
def ticket_reopen(*, actor: User, ticket: Ticket) -> Ticket:
    if not _member_may_close(actor, ticket):
        raise PermissionDenied(_("Only the requester or staff reopen a ticket."))
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.merged_into_id:
        raise ValidationError(
            _("#%(number)d was merged and can't be reopened.") % {"number": ticket.number}
        )
    changed = fields_apply(ticket, actor, {"status": Status.OPEN})
    if changed:
        ticket.updated_at = timezone.now()
        ticket.save(update_fields=[*changed, "updated_at"])
    hooks.ticket_changed(ticket=ticket, actor=actor, changed=changed)
    return ticket


@transaction.atomic
def ticket_follow(*, actor: User, ticket: Ticket, follow: bool) -> None:
    """Follow (get reply mail, and see the ticket as a member) or stop; recorded."""
    following = ticket.followers.filter(pk=actor.pk).exists()
    if follow == following:
        return
    if follow:
        ticket.followers.add(actor)
        _event(ticket, actor, "followers", None, f"+ {actor.get_full_name()}")
    else:
        ticket.followers.remove(actor)
        _event(ticket, actor, "followers", f"- {actor.get_full_name()}", None)

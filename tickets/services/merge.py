"""Merging one ticket into another: the conversation, files and people move, the source
closes and points at its target."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import Perm, require
from servicedesk.markdown import render_markdown
from tickets import hooks, search
from tickets.models import MessageVersion, Reply, Status, Ticket, TicketEvent
from tickets.services.tickets import fields_apply


@transaction.atomic
def ticket_merge(*, actor: User, source: Ticket, target: Ticket) -> Ticket:
    """Move ``source``'s conversation, files and people into ``target``; close ``source``."""
    require(actor, Perm.TICKET_WORK)
    if source.pk == target.pk:
        raise ValidationError(_("A ticket can't be merged into itself."))
    first, second = sorted([source.pk, target.pk])  # lock in id order: no deadlock
    locked = {t.pk: t for t in Ticket.objects.select_for_update().filter(pk__in=[first, second])}
    source, target = locked[source.pk], locked[target.pk]
    if source.merged_into_id or target.merged_into_id:
        raise ValidationError(_("One of these tickets was already merged."))
    Reply.objects.filter(ticket=source).update(ticket=target)
    # Earlier texts of the replies go with them; the source's description keeps its own.
    MessageVersion.objects.filter(ticket=source, reply__isnull=False).update(ticket=target)
    source.attachments.update(ticket=target)
    followers = set(source.followers.all())
    if source.requester and source.requester != target.requester:
        followers.add(source.requester)
    target.followers.add(*followers)
    target.tags.add(*source.tags.all())
    moved = Reply.objects.filter(ticket=target).count()
    note = f"Merged #{source.number} ({source.subject}) into this ticket."
    Reply.objects.create(
        ticket=target, author=actor, is_internal=True, body=note, body_html=render_markdown(note)
    )
    TicketEvent.objects.create(
        ticket=target,
        actor=actor,
        kind=TicketEvent.Kind.MERGED,
        field="merged",
        old_value=f"#{source.number}",
        new_value=f"#{target.number}",
    )
    closed = fields_apply(source, actor, {"status": Status.CLOSED})
    source.merged_into = target
    source.reply_count = 0
    source.updated_at = timezone.now()
    source.save()
    target.reply_count = moved + 1
    target.updated_at = timezone.now()
    target.save(update_fields=["reply_count", "updated_at"])
    search.refresh([source.pk, target.pk])
    hooks.ticket_changed(ticket=source, actor=actor, changed=closed)
    return target

"""Play the demo tickets (demo_content) through the ticket services, back in time.

Every write goes through ``tickets.services``, so history, search vectors, reply counts,
status counts, storage and thumbnails are what real work leaves behind. The services stamp
what they write with the present moment and take no other; after each step the rows that
step wrote (history events, replies, files, the ticket's times) are moved back to when the
step happens in the story, so lists, filters by date and the history read as weeks of work.
The whole fill is one transaction; mail is held while it runs (a backdated history is no
news, and dozens of messages would bury a newcomer's console).
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.models import User
from servicedesk.schema import current_schema
from tenants.management import demo_content
from tenants.management.demo_content import DemoTicket, Step
from tenants.models import System
from tickets.models import (
    Attachment,
    Category,
    Reply,
    SatisfactionRating,
    Status,
    Ticket,
    TicketEvent,
)
from tickets.services.categories import category_create
from tickets.services.tickets import ticket_close, ticket_create, ticket_reply, ticket_update
from tickets.sla.services import setup as sla_setup
from tickets.sla.services.clock import sla_backfill

_filling: ContextVar[bool] = ContextVar("demo_filling", default=False)


def mail_held() -> bool:
    """A mail silencer (registered in tenants.apps): True while the demo fills a System."""
    return _filling.get()


@contextmanager
def holding_mail() -> Iterator[None]:
    token = _filling.set(True)
    try:
        yield
    finally:
        _filling.reset(token)


def screenshot(name: str, title: str) -> SimpleUploadedFile:
    """A small real PNG, drawn here: an app window with a table, one row marked."""
    image = Image.new("RGB", (640, 400), "#f3f4f6")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 639, 40), fill="#1d4ed8")
    draw.text((16, 14), f"Acme Books - {title}"[:90], fill="#ffffff")
    for row in range(9):
        top = 64 + row * 34
        draw.rectangle((24, top, 615, top + 26), fill="#ffffff", outline="#d1d5db")
        draw.text((36, top + 8), f"Line {row + 1}", fill="#111827")
        draw.rectangle((420, top + 9, 420 + 18 * (row % 5 + 2), top + 17), fill="#9ca3af")
    draw.rectangle((20, 60 + 6 * 34, 619, 60 + 7 * 34), outline="#dc2626", width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _categories(actor: User) -> dict[str, Category]:
    """The demo's categories, made by the admin where a System lacks them."""
    existing = {category.name.lower(): category for category in Category.objects.all()}
    for name in demo_content.CATEGORIES:
        if name.lower() not in existing:
            existing[name.lower()] = category_create(actor=actor, name=name)
    return {name: existing[name.lower()] for name in demo_content.CATEGORIES}


def _stamp(ticket: Ticket, moments: list[tuple[datetime, datetime]]) -> None:
    """Move what each step wrote on ``ticket`` back to when it happens in the story.

    ``moments`` holds, in order, (the clock when a step began, when it happens in the
    story): a row stamped at or after a step's start and before the next one's belongs to
    it. One statement per table for the whole ticket."""

    def moved(field: str) -> Case:
        steps = [When(**{f"{field}__gte": began}, then=Value(at)) for began, at in moments]
        return Case(*reversed(steps), default=F(field))

    for model in (Reply, TicketEvent, Attachment):
        model.objects.filter(ticket=ticket).update(created_at=moved("created_at"))
    SatisfactionRating.objects.filter(ticket=ticket).update(solved_at=moved("solved_at"))
    Ticket.objects.filter(pk=ticket.pk).update(
        created_at=moved("created_at"),
        updated_at=moved("updated_at"),
        solved_at=moved("solved_at"),
    )


class _Player:
    def __init__(self, *, people: Mapping[str, User], now: datetime) -> None:
        self.people = people
        self.now = now
        self.categories = _categories(people["admin"])

    def ticket(self, item: DemoTicket) -> Ticket:
        raised = self.now - timedelta(days=item.days_ago)
        moments = [(timezone.now(), raised)]
        ticket = ticket_create(
            actor=self.people[item.by],
            subject=item.subject,
            description=item.body,
            priority=item.priority,
            category=self.categories[item.category] if item.category else None,
            files=[screenshot(item.image, item.subject)] if item.image else [],
        )
        for step in item.steps:
            moments.append((timezone.now(), min(raised + timedelta(hours=step.hours), self.now)))
            ticket = self.step(ticket, step)
        _stamp(ticket, moments)
        return ticket

    def step(self, ticket: Ticket, step: Step) -> Ticket:
        """Play ``step``; returns the ticket as the service left it."""
        actor = self.people[step.who]
        if step.kind in {"reply", "note"}:
            reply = ticket_reply(
                actor=actor,
                ticket=ticket,
                body=step.text,
                internal=step.kind == "note",
                status=step.status or None,
                files=[screenshot(step.image, ticket.subject)] if step.image else [],
            )
            return reply.ticket
        if step.kind == "close":
            return ticket_close(actor=actor, ticket=ticket)
        changes = self.changes(ticket, step)
        return ticket_update(
            actor=actor, ticket=ticket, changes=changes, tags=step.tags or None
        ).ticket

    def changes(self, ticket: Ticket, step: Step) -> dict[str, object]:
        changes: dict[str, object] = {}
        if step.assign:
            changes["assignee"] = self.people[step.assign]
            # Taking a ticket opens it, as raising one with an assignee does.
            if ticket.status == Status.NEW:
                changes["status"] = Status.OPEN
        if step.priority:
            changes["priority"] = step.priority
        if step.category:
            changes["category"] = self.categories[step.category]
        if step.due_in_days is not None:
            changes["due_on"] = (self.now + timedelta(days=step.due_in_days)).date()
        return changes


def tickets_fill(*, people: Mapping[str, User], now: datetime | None = None) -> int:
    """Fill the current System's help desk with the demo tickets, unless it has tickets
    (in the trash too). ``people`` maps "owner", "admin", "agent" and "member" to accounts.
    Returns how many tickets were made."""
    with transaction.atomic(), holding_mail():
        # One fill at a time: a second run waits here, then finds the tickets.
        System.objects.select_for_update().get(schema_name=current_schema())
        if Ticket.objects.exists():
            return 0
        player = _Player(people=people, now=now or timezone.now())
        for item in demo_content.TICKETS:
            player.ticket(item)
        _service_levels(people["admin"])
        return len(demo_content.TICKETS)


# The demo's service levels: (first response, resolution) in business minutes per priority.
DEMO_TARGETS = {
    "urgent": (60, 4 * 60),
    "high": (2 * 60, 8 * 60),
    "normal": (4 * 60, 16 * 60),
    "low": (8 * 60, 40 * 60),
}


def _service_levels(admin: User) -> None:
    """Business hours and a policy per priority, set once the backdated tickets exist; the
    open ones then get their targets from when they were raised (sla_backfill)."""
    sla_setup.business_hours_set(
        actor=admin, time_zone="Europe/Berlin", weekdays=range(5), opens=time(9), closes=time(17)
    )
    sla_setup.policies_set(actor=admin, targets=DEMO_TARGETS)
    sla_backfill()

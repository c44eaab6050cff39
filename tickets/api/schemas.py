"""What the tickets API reads and writes (pydantic, through django-ninja). The OpenAPI
schema is generated from these. Plain pydantic models, not ninja's ``Schema``: the
endpoints hand them dicts, and ``Schema`` would wrap every nested dict to read Django
objects (a third of a list's time)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel as Schema
from pydantic import Field

StatusCode = Literal["new", "open", "pending", "solved", "closed"]
PriorityCode = Literal["low", "normal", "high", "urgent"]


class PersonRef(Schema):
    id: int | None = None
    name: str
    email: str | None = None


class CategoryRef(Schema):
    id: int
    name: str


class TicketSummary(Schema):
    number: int
    url: str
    subject: str
    status: StatusCode
    priority: PriorityCode
    requester: PersonRef | None
    assignee: PersonRef | None
    category: CategoryRef | None
    tags: list[str]
    due_on: date | None
    created_at: datetime
    updated_at: datetime
    solved_at: datetime | None
    reply_count: int
    merged_into: int | None = Field(None, description="The number of the ticket it went into.")
    custom: dict[str, object] = Field(
        default_factory=dict, description="Custom fields' values by key (those you may see)."
    )


class ReplyOut(Schema):
    id: int
    author: PersonRef | None
    internal: bool
    body: str = Field(description="Markdown. Empty when the message was deleted or removed.")
    body_html: str
    via_mail: bool
    created_at: datetime
    edited_at: datetime | None
    deleted: bool
    removed: bool


class TicketDetail(TicketSummary):
    description: str
    description_html: str
    replies: list[ReplyOut]


class TicketList(Schema):
    items: list[TicketSummary]
    next: str | None = Field(description="The next page's URL; null on the last page.")
    next_cursor: str | None


class TicketCreate(Schema):
    subject: str = Field(min_length=1, max_length=200)
    description: str = ""
    priority: PriorityCode = "normal"
    category: int | None = Field(None, description="A category's id.")
    assignee: int | None = Field(None, description="A staff person's id.")
    requester: int | None = Field(None, description="A person's id (staff only; else you).")
    tags: list[str] = Field(default_factory=list)
    custom: dict[str, object] | None = None


class TicketPatch(Schema):
    """Only the fields sent change (staff only). Send ``If-Match`` with the ETag you read."""

    subject: str | None = Field(None, min_length=1, max_length=200)
    status: StatusCode | None = None
    priority: PriorityCode | None = None
    assignee: int | None = Field(None, description="A staff person's id; null: nobody.")
    category: int | None = Field(None, description="A category's id; null: none.")
    due_on: date | None = None
    tags: list[str] | None = Field(None, description="The ticket's tags, all of them.")
    custom: dict[str, object] | None = Field(
        None, description="Custom fields to change, by key; null clears one."
    )


class ReplyCreate(Schema):
    body: str = Field(min_length=1)
    status: StatusCode | None = Field(
        None, description="Staff: the status the ticket takes with this reply."
    )


class NoteCreate(Schema):
    body: str = Field(min_length=1)


class MergeRequest(Schema):
    into: int = Field(description="The number of the ticket this one goes into.")

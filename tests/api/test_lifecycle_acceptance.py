"""Acceptance: a ticket's whole life driven through the API with tokens leaves the same
history, mails and audit rows as the same steps through the pages; a stale If-Match gets
412 and changes nothing."""

from __future__ import annotations

import json
import re

from django.core import mail

from accounts.models import AuditEvent
from tests.support.forms import form_values
from tests.support.tenancy import client_for, in_schema
from tickets.models import Category, Ticket, TicketEvent

SUBJECT = "Printer on floor 3 is jammed"
DESCRIPTION = "It shows error E42."
CHANGES = {"status": "open", "priority": "high", "due_on": "2026-12-24"}
TAGS = ["printer", "floor-3"]


class Recorder:
    """Runs each step with its after-commit work done (mail leaves then), and keeps the
    mails each step sent."""

    def __init__(self, capture) -> None:
        self.capture = capture
        self.mails: list[list[tuple[tuple[str, ...], str]]] = []

    def step(self, action):
        mail.outbox.clear()
        with self.capture(execute=True):
            result = action()
        self.mails.append(sorted((tuple(m.to), m.subject) for m in mail.outbox))
        return result


def _number(location: str) -> int:
    found = re.search(r"/tickets/(\d+)/?$", location)
    assert found, location
    return int(found[1])


def _through_the_pages(system, member, agent, category, recorder: Recorder) -> tuple[int, int]:
    member_ui, agent_ui = client_for(system, member), client_for(system, agent)

    def raise_ticket(subject: str) -> int:
        response = member_ui.post("/tickets/new/", {"subject": subject, "description": DESCRIPTION})
        assert response.status_code == 302, response.content
        return _number(response["Location"])

    def fields(number: int, **changes) -> None:
        page = agent_ui.get(f"/tickets/{number}/").content.decode()
        shown = form_values(page, action=f"/tickets/{number}/fields/")
        response = agent_ui.post(f"/tickets/{number}/fields/", {**shown, **changes})
        assert response.status_code == 302, response.content

    def write(number: int, body: str, kind: str) -> None:
        response = agent_ui.post(
            f"/tickets/{number}/", {"body": body, "kind": kind, "status": "open"}
        )
        assert response.status_code == 302, response.content

    main = recorder.step(lambda: raise_ticket(SUBJECT))
    recorder.step(lambda: agent_ui.get(f"/tickets/{main}/"))
    recorder.step(
        lambda: fields(
            main, **CHANGES, assignee=agent.pk, category=category.pk, tags=", ".join(TAGS)
        )
    )
    recorder.step(lambda: write(main, "We are on it.", "reply"))
    recorder.step(lambda: write(main, "Toner ordered.", "note"))
    recorder.step(lambda: fields(main, status="solved"))
    duplicate = recorder.step(lambda: raise_ticket("Printer again"))
    recorder.step(lambda: agent_ui.post(f"/tickets/{duplicate}/merge/", {"target": main}))
    return main, duplicate


def _through_the_api(member_api, agent_api, agent, category, recorder: Recorder) -> tuple[int, int]:
    def send(client, method: str, path: str, body: dict, **headers):
        response = getattr(client, method)(
            f"/api/v1{path}", json.dumps(body), content_type="application/json", **headers
        )
        assert response.status_code in {200, 201}, response.content
        return response

    def raise_ticket(subject: str) -> int:
        response = send(
            member_api, "post", "/tickets", {"subject": subject, "description": DESCRIPTION}
        )
        return response.json()["number"]

    def patch(number: int, changes: dict) -> None:
        etag = agent_api.get(f"/api/v1/tickets/{number}")["ETag"]
        send(agent_api, "patch", f"/tickets/{number}", changes, HTTP_IF_MATCH=etag)

    main = recorder.step(lambda: raise_ticket(SUBJECT))
    recorder.step(lambda: agent_api.get(f"/api/v1/tickets/{main}"))
    recorder.step(
        lambda: patch(
            main, {**CHANGES, "assignee": agent.pk, "category": category.pk, "tags": TAGS}
        )
    )
    recorder.step(
        lambda: send(agent_api, "post", f"/tickets/{main}/replies", {"body": "We are on it."})
    )
    recorder.step(
        lambda: send(agent_api, "post", f"/tickets/{main}/notes", {"body": "Toner ordered."})
    )
    recorder.step(lambda: patch(main, {"status": "solved"}))
    duplicate = recorder.step(lambda: raise_ticket("Printer again"))
    recorder.step(lambda: send(agent_api, "post", f"/tickets/{duplicate}/merge", {"into": main}))
    return main, duplicate


def _history(numbers: dict[int, str]) -> list[tuple]:
    """The tickets' events, with ticket numbers written as their part in the story."""

    def named(text: str) -> str:
        return re.sub(r"#(\d+)", lambda m: f"#{numbers.get(int(m[1]), m[1])}", text)

    rows = []
    for number, label in numbers.items():
        events = TicketEvent.objects.filter(ticket__number=number).order_by("created_at", "id")
        rows += [
            (label, e.kind, e.field, named(e.old_value), named(e.new_value), e.actor_id)
            for e in events
        ]
    return rows


def _mails(recorder: Recorder, numbers: dict[int, str]) -> list:
    def named(text: str) -> str:
        return re.sub(r"#(\d+)", lambda m: f"#{numbers.get(int(m[1]), m[1])}", text)

    return [[(to, named(subject)) for to, subject in step] for step in recorder.mails]


def test_the_api_and_the_pages_leave_the_same_history_mails_and_audit_rows(
    system_a, member_a, agent_a, api_for, django_capture_on_commit_callbacks
):
    with in_schema(system_a):
        category = Category.objects.create(name="Hardware")
    member_api, agent_api = api_for(member_a), api_for(agent_a)
    ui_recorder = Recorder(django_capture_on_commit_callbacks)
    api_recorder = Recorder(django_capture_on_commit_callbacks)

    with in_schema(system_a):
        audit_before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    ui_numbers = _through_the_pages(system_a, member_a, agent_a, category, ui_recorder)
    with in_schema(system_a):
        audit_between = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    api_numbers = _through_the_api(member_api, agent_api, agent_a, category, api_recorder)

    labels = ("main", "duplicate")
    with in_schema(system_a):
        ui_history = _history(dict(zip(ui_numbers, labels, strict=True)))
        api_history = _history(dict(zip(api_numbers, labels, strict=True)))
        ui_audit = list(
            AuditEvent.objects.filter(id__gt=audit_before or 0, id__lte=audit_between or 0)
            .exclude(action=AuditEvent.Action.LOGIN)  # the pages' clients signed in
            .values_list("action", "actor_id", "target_label")
        )
        api_audit = list(
            AuditEvent.objects.filter(id__gt=audit_between or 0).values_list(
                "action", "actor_id", "target_label"
            )
        )

    assert api_history == ui_history
    assert len(api_history) >= 10
    assert {row[2] for row in api_history} >= {"status", "priority", "assignee", "tags", "merged"}
    assert _mails(api_recorder, dict(zip(api_numbers, labels, strict=True))) == _mails(
        ui_recorder, dict(zip(ui_numbers, labels, strict=True))
    )
    assert any(api_recorder.mails), "the story sends mail: the comparison must compare some"
    assert api_audit == ui_audit


def test_a_stale_if_match_gets_412_and_changes_nothing(
    system_a, member_a, agent_a, owner_a, api_for
):
    agent_api, owner_api = api_for(agent_a), api_for(owner_a)
    created = agent_api.post(
        "/api/v1/tickets",
        json.dumps({"subject": SUBJECT, "description": DESCRIPTION}),
        content_type="application/json",
    )
    number = created.json()["number"]
    etag = created["ETag"]
    first = owner_api.patch(
        f"/api/v1/tickets/{number}",
        json.dumps({"priority": "urgent"}),
        content_type="application/json",
        HTTP_IF_MATCH=etag,
    )
    assert first.status_code == 200
    with in_schema(system_a):
        before = list(TicketEvent.objects.values_list("id", "field", "new_value"))

    stale = agent_api.patch(
        f"/api/v1/tickets/{number}",
        json.dumps({"priority": "low"}),
        content_type="application/json",
        HTTP_IF_MATCH=etag,
    )

    assert stale.status_code == 412
    assert stale.json()["type"] == "urn:servicedesk:problem:stale-version"
    with in_schema(system_a):
        assert Ticket.objects.get(number=number).priority == "urgent"
        assert list(TicketEvent.objects.values_list("id", "field", "new_value")) == before

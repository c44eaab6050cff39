"""Two people on one ticket: only what a person changed on his page is saved, and a field
someone else changed after his page was shown is asked about, never silently overwritten."""

from datetime import date

from accounts.models import Role
from tests.factories import UserFactory
from tests.support.forms import form_values
from tests.support.tenancy import in_schema
from tickets.models import Category, Priority, Status, Ticket, TicketEvent
from tickets.services import tickets as ticket_services


def _as_shown(ticket: Ticket) -> dict[str, object]:
    """What the sidebar shows of ``ticket`` now (people and categories by id)."""
    return {
        "subject": ticket.subject,
        "status": ticket.status,
        "priority": ticket.priority,
        "assignee": ticket.assignee_id,
        "category": ticket.category_id,
        "due_on": ticket.due_on,
        "tags": list(ticket.tags.values_list("name", flat=True)),
    }


def _fields_of(ticket: Ticket) -> dict[str, object]:
    """What the sidebar would post back untouched (people and categories as rows)."""
    return {
        "subject": ticket.subject,
        "status": ticket.status,
        "priority": ticket.priority,
        "assignee": ticket.assignee,
        "category": ticket.category,
        "due_on": ticket.due_on,
    }


def _changes(ticket: Ticket, field: str | None = None) -> list[tuple[str, str, str, int]]:
    rows = TicketEvent.objects.filter(ticket=ticket, kind=TicketEvent.Kind.CHANGED)
    if field:
        rows = rows.filter(field=field)
    return list(rows.values_list("field", "old_value", "new_value", "actor_id"))


def test_a_stale_page_changing_another_field_keeps_the_colleagues_change(
    system_a, make_ticket, member_a, agent_a, owner_a
):
    ticket = make_ticket(member_a)
    with in_schema(system_a):
        stale = Ticket.objects.get(pk=ticket.pk)
        shown = _as_shown(stale)
        ticket_services.ticket_update(
            actor=agent_a, ticket=ticket, changes={"priority": Priority.URGENT}, shown=shown
        )

        # The owner's page still says Normal; he only moves the status.
        result = ticket_services.ticket_update(
            actor=owner_a,
            ticket=stale,
            changes={**_fields_of(stale), "status": Status.PENDING},
            tags=shown["tags"],
            shown=shown,
        )

        ticket.refresh_from_db()
        assert result.conflicts == []
        assert (ticket.priority, ticket.status) == (Priority.URGENT, Status.PENDING)
        assert _changes(ticket) == [
            ("priority", "normal", "urgent", agent_a.pk),
            ("status", "new", "pending", owner_a.pk),
        ]


def test_both_changing_one_field_is_asked_about_with_both_values_and_not_written(
    system_a, make_ticket, member_a, agent_a, owner_a
):
    ticket = make_ticket(member_a)
    with in_schema(system_a):
        colleague = UserFactory(full_name="Cleo Colleague", role=Role.AGENT)
        stale = Ticket.objects.get(pk=ticket.pk)
        shown = _as_shown(stale)
        ticket_services.ticket_update(
            actor=agent_a, ticket=ticket, changes={"assignee": agent_a}, shown=shown
        )
        by_agent = TicketEvent.objects.get(ticket=ticket, field="assignee")

        result = ticket_services.ticket_update(
            actor=owner_a,
            ticket=stale,
            changes={**_fields_of(stale), "assignee": colleague, "priority": Priority.HIGH},
            tags=shown["tags"],
            shown=shown,
        )

        ticket.refresh_from_db()
        [conflict] = result.conflicts
        assert (conflict.field, conflict.yours_text, conflict.now_text) == (
            "assignee",
            "Cleo Colleague",
            "Arno Agent",
        )
        assert (conflict.yours, conflict.now) == (colleague.pk, agent_a.pk)
        assert (conflict.changed_by, conflict.changed_at) == ("Arno Agent", by_agent.created_at)
        # Nothing written for the assignee; his other change is.
        assert ticket.assignee_id == agent_a.pk
        assert ticket.priority == Priority.HIGH
        assert _changes(ticket, "assignee") == [("assignee", "—", "Arno Agent", agent_a.pk)]
        assert result.changed == ["priority"]


def test_keeping_his_value_after_being_asked_writes_it_as_his(
    system_a, make_ticket, member_a, agent_a, owner_a
):
    ticket = make_ticket(member_a)
    with in_schema(system_a):
        shown = _as_shown(ticket)
        ticket_services.ticket_update(
            actor=agent_a, ticket=ticket, changes={"status": Status.PENDING}, shown=shown
        )
        first = ticket_services.ticket_update(
            actor=owner_a, ticket=ticket, changes={"status": Status.SOLVED}, shown=shown
        )
        assert [c.field for c in first.conflicts] == ["status"]

        # Asked, he keeps his: the page now shows the current value as the one it was shown.
        again = ticket_services.ticket_update(
            actor=owner_a,
            ticket=ticket,
            changes={"status": Status.SOLVED},
            shown={"status": first.conflicts[0].now},
        )

        ticket.refresh_from_db()
        assert again.conflicts == []
        assert ticket.status == Status.SOLVED and ticket.solved_at is not None
        assert _changes(ticket) == [
            ("status", "new", "pending", agent_a.pk),
            ("status", "pending", "solved", owner_a.pk),
        ]


def test_fields_left_as_shown_are_never_written_however_stale_the_page(
    system_a, make_ticket, member_a, agent_a, owner_a
):
    ticket = make_ticket(agent_a, tags=["printer"])
    with in_schema(system_a):
        billing = Category.objects.create(name="Billing")
        stale = Ticket.objects.get(pk=ticket.pk)
        shown = _as_shown(stale)
        ticket_services.ticket_update(
            actor=agent_a,
            ticket=ticket,
            changes={
                "subject": "Printer on floor 4",
                "status": Status.PENDING,
                "priority": Priority.LOW,
                "assignee": agent_a,
                "category": billing,
                "due_on": date(2026, 12, 24),
            },
            tags=["printer", "hardware"],
            shown=shown,
        )
        ticket.refresh_from_db()
        written = (_changes(ticket), ticket.updated_at)

        result = ticket_services.ticket_update(
            actor=owner_a, ticket=stale, changes=_fields_of(stale), tags=["printer"], shown=shown
        )

        ticket.refresh_from_db()
        assert (result.changed, result.conflicts) == ([], [])
        assert (_changes(ticket), ticket.updated_at) == written
        assert (ticket.subject, ticket.assignee_id, ticket.category_id) == (
            "Printer on floor 4",
            agent_a.pk,
            billing.pk,
        )
        assert sorted(ticket.tags.values_list("name", flat=True)) == ["hardware", "printer"]


def test_tags_compare_as_sets_and_only_his_additions_and_removals_apply(
    system_a, make_ticket, member_a, agent_a, owner_a
):
    ticket = make_ticket(agent_a, tags=["printer", "floor-3"])
    with in_schema(system_a):
        shown = _as_shown(ticket)
        # Written in another order and case: the same set, nothing to do.
        same = ticket_services.ticket_update(
            actor=owner_a, ticket=ticket, changes={}, tags=["Floor-3", " printer"], shown=shown
        )
        assert same.changed == []

        ticket_services.ticket_update(
            actor=agent_a, ticket=ticket, changes={}, tags=[*shown["tags"], "urgent"], shown=shown
        )
        # The owner's page never showed "urgent": he drops "floor-3" and adds "toner".
        ticket_services.ticket_update(
            actor=owner_a, ticket=ticket, changes={}, tags=["printer", "toner"], shown=shown
        )

        assert sorted(ticket.tags.values_list("name", flat=True)) == ["printer", "toner", "urgent"]
        assert _changes(ticket, "tags") == [
            ("tags", "floor-3, printer", "floor-3, printer, urgent", agent_a.pk),
            ("tags", "floor-3, printer, urgent", "printer, toner, urgent", owner_a.pk),
        ]


def test_the_same_change_made_by_both_is_no_conflict_and_recorded_once(
    system_a, make_ticket, member_a, agent_a, owner_a
):
    ticket = make_ticket(member_a)
    with in_schema(system_a):
        shown = _as_shown(ticket)
        for actor in (agent_a, owner_a):
            result = ticket_services.ticket_update(
                actor=actor, ticket=ticket, changes={"priority": Priority.HIGH}, shown=shown
            )
            assert result.conflicts == []
        assert _changes(ticket) == [("priority", "normal", "high", agent_a.pk)]


def test_internal_callers_without_shown_values_set_what_they_are_given(
    system_a, make_ticket, member_a, agent_a, owner_a
):
    ticket = make_ticket(agent_a, tags=["printer"])
    with in_schema(system_a):
        ticket_services.ticket_update(actor=agent_a, ticket=ticket, changes={"status": "pending"})
        result = ticket_services.ticket_update(
            actor=owner_a, ticket=ticket, changes={"status": Status.CLOSED}, tags=["toner"]
        )
        ticket.refresh_from_db()
        assert result.conflicts == []
        assert ticket.status == Status.CLOSED
        assert list(ticket.tags.values_list("name", flat=True)) == ["toner"]


# --- the sidebar --------------------------------------------------------------------------


def _sidebar(client, number: int) -> dict[str, str]:
    page = client.get(f"/tickets/{number}/")
    assert page.status_code == 200
    return form_values(page.content.decode(), action=f"/tickets/{number}/fields/")


def test_a_stale_sidebar_saves_only_what_was_changed_on_it(
    system_a, make_ticket, member_a, agent_a, agent_client, owner_client_a
):
    ticket = make_ticket(member_a)
    stale = _sidebar(agent_client, ticket.number)
    owners = _sidebar(owner_client_a, ticket.number)
    owner_client_a.post(f"/tickets/{ticket.number}/fields/", {**owners, "priority": "urgent"})

    response = agent_client.post(
        f"/tickets/{ticket.number}/fields/", {**stale, "status": "pending"}
    )

    assert response.status_code == 302
    with in_schema(system_a):
        ticket.refresh_from_db()
    assert (ticket.priority, ticket.status) == (Priority.URGENT, Status.PENDING)


def test_a_conflict_redraws_the_sidebar_with_both_values_and_keeps_what_was_typed(
    system_a, make_ticket, member_a, agent_a, owner_a, agent_client, owner_client_a
):
    ticket = make_ticket(member_a)
    stale = _sidebar(agent_client, ticket.number)
    owners = _sidebar(owner_client_a, ticket.number)
    owner_client_a.post(f"/tickets/{ticket.number}/fields/", {**owners, "assignee": owner_a.pk})

    response = agent_client.post(
        f"/tickets/{ticket.number}/fields/",
        {**stale, "assignee": agent_a.pk, "subject": "Printer jammed again", "tags": "toner"},
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert ">Assignee</legend>" in page
    assert "yours: <strong>Arno Agent</strong> / now: <strong>Olga Canary-Alpha-7f3c" in page
    assert "changed by Olga Canary-Alpha-7f3c at" in page
    assert "from the ticket's history" in page
    assert "Saved: Subject, Tags." in page
    redrawn = form_values(page, action=f"/tickets/{ticket.number}/fields/")
    assert redrawn["assignee"] == str(agent_a.pk)  # what he chose, still chosen
    assert redrawn["shown_assignee"] == str(owner_a.pk)  # the ticket as it is now
    assert redrawn["resolve_assignee"] == "mine"
    assert (redrawn["subject"], redrawn["tags"]) == ("Printer jammed again", "toner")
    with in_schema(system_a):
        ticket.refresh_from_db()
        assert ticket.assignee_id == owner_a.pk

    # He takes the current value: nothing changes, and the page is done asking.
    taken = agent_client.post(
        f"/tickets/{ticket.number}/fields/", {**redrawn, "resolve_assignee": "now"}
    )
    assert taken.status_code == 302
    with in_schema(system_a):
        ticket.refresh_from_db()
        assert ticket.assignee_id == owner_a.pk
        assert TicketEvent.objects.filter(field="assignee", actor=agent_a).count() == 0

    # Or he keeps his own, which is then his change on the record.
    kept = agent_client.post(f"/tickets/{ticket.number}/fields/", redrawn)
    assert kept.status_code == 302
    with in_schema(system_a):
        ticket.refresh_from_db()
        assert ticket.assignee_id == agent_a.pk
        assert _changes(ticket, "assignee")[-1] == (
            "assignee",
            "Olga Canary-Alpha-7f3c",
            "Arno Agent",
            agent_a.pk,
        )


def test_a_sidebar_without_shown_values_asks_rather_than_overwrites(
    system_a, make_ticket, member_a, agent_a, agent_client
):
    """A page drawn before the sidebar carried what it showed: any field it would change is
    asked about, since nobody can tell whether the person or the page's age changed it."""
    ticket = make_ticket(member_a)
    with in_schema(system_a):
        ticket_services.ticket_update(
            actor=agent_a, ticket=ticket, changes={"priority": Priority.URGENT}
        )
    old_page = {
        "subject": ticket.subject,
        "status": "new",
        "priority": "normal",
        "assignee": "",
        "category": "",
        "tags": "",
        "due_on": "",
    }

    response = agent_client.post(f"/tickets/{ticket.number}/fields/", old_page)

    assert response.status_code == 409
    page = response.content.decode()
    assert ">Priority</legend>" in page
    assert "yours: <strong>Normal</strong> / now: <strong>Urgent" in page
    with in_schema(system_a):
        ticket.refresh_from_db()
    assert ticket.priority == Priority.URGENT


def test_an_assignee_who_left_the_staff_stays_when_the_sidebar_leaves_him(
    system_a, make_ticket, member_a, agent_a, owner_a, owner_client_a
):
    ticket = make_ticket(member_a)
    with in_schema(system_a):
        leaver = UserFactory(full_name="Lee Leaver", role=Role.AGENT)
        ticket_services.ticket_update(actor=owner_a, ticket=ticket, changes={"assignee": leaver})
        leaver.is_active = False
        leaver.save(update_fields=["is_active"])
    fields = _sidebar(owner_client_a, ticket.number)
    assert fields["assignee"] == str(leaver.pk)

    response = owner_client_a.post(
        f"/tickets/{ticket.number}/fields/", {**fields, "status": "pending"}
    )

    assert response.status_code == 302
    with in_schema(system_a):
        ticket.refresh_from_db()
    assert (ticket.assignee_id, ticket.status) == (leaver.pk, Status.PENDING)


def test_the_staff_ticket_page_costs_no_more_queries_with_the_shown_values(
    system_a, make_ticket, member_a, agent_a, agent_client, django_assert_max_num_queries
):
    ticket = make_ticket(agent_a, tags=["printer", "toner"])
    with in_schema(system_a):
        ticket_services.ticket_reply(actor=agent_a, ticket=ticket, body="On it.")
    agent_client.get(f"/tickets/{ticket.number}/")
    # 16: + the earlier versions of its messages (staff), + who wrote the description (asked
    # only in the 15 minutes its author may still edit it); 17: + its mail that did not
    # arrive (staff); 18: + the canned responses and macros of the reply box (staff).
    # 19: + the custom fields (tickets.fields); 20: + its satisfaction rating (staff).
    with django_assert_max_num_queries(20):
        response = agent_client.get(f"/tickets/{ticket.number}/")
        assert response.status_code == 200
        fields = form_values(response.content.decode(), action=f"/tickets/{ticket.number}/fields/")
        assert (fields["shown_status"], fields["shown_tags"]) == ("open", "printer, toner")

"""Macros: fields, tags and a reply in one go, on one ticket or in bulk, all or nothing."""

from django.core import mail

from accounts.models import Role
from tests.factories import UserFactory
from tests.support.tenancy import client_for, host_of, in_schema
from tickets.models import Reply, Ticket, TicketEvent
from tickets.responses.models import AssignTo


def _state(system, numbers):
    with in_schema(system):
        return {
            t.number: (
                t.status,
                t.priority,
                t.assignee_id,
                sorted(t.tags.values_list("name", flat=True)),
                list(Reply.objects.filter(ticket=t).values_list("body", flat=True)),
                list(
                    TicketEvent.objects.filter(ticket=t, kind=TicketEvent.Kind.MACRO).values_list(
                        "new_value", flat=True
                    )
                ),
            )
            for t in Ticket.objects.filter(number__in=numbers)
        }


def test_a_macro_sets_the_fields_and_posts_the_reply(
    system_a,
    make_ticket,
    make_macro,
    member_a,
    agent_a,
    agent_client,
    django_capture_on_commit_callbacks,
):
    ticket = make_ticket(member_a, tags=[])
    macro = make_macro(
        name="Need details",
        status="pending",
        priority="high",
        assign_to=AssignTo.ME,
        tags="waiting, Details",
        body="Hi {{ requester.first_name }}, about #{{ ticket.number }}: a screenshot please.",
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(f"/tickets/{ticket.number}/macro/", {"macro": macro.pk})

    assert response.status_code == 302
    state = _state(system_a, [ticket.number])[ticket.number]
    assert state == (
        "pending",
        "high",
        agent_a.pk,
        ["details", "waiting"],
        [f"Hi Mia, about #{ticket.number}: a screenshot please."],
        ["Need details"],
    )
    assert [m.to for m in mail.outbox] == [[member_a.email]]
    page = agent_client.get(f"/tickets/{ticket.number}/").content.decode()
    assert "Macro “Need details” applied." in page
    assert "applied the macro “Need details”" in page
    assert "changed priority from <strong>Normal</strong> to <strong>High</strong>" in page


def test_a_macro_in_bulk_changes_three_tickets_and_mails_each_requester_once(
    system_a,
    make_ticket,
    make_macro,
    member_a,
    agent_a,
    agent_client,
    django_capture_on_commit_callbacks,
):
    with in_schema(system_a):
        others = [UserFactory(email=f"m{n}@alpha.example", role=Role.MEMBER) for n in range(2)]
    tickets = [make_ticket(person) for person in [member_a, *others]]
    untouched = make_ticket(member_a, subject="Not ticked")
    macro = make_macro(
        name="Solved", status="solved", body="Fixed for {{ ticket.subject }}, #{{ ticket.number }}."
    )
    numbers = [t.number for t in tickets]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(
            "/tickets/bulk/",
            {"ticket": numbers, "action": "macro", "value_macro": macro.pk, "back": "/tickets/"},
            follow=True,
        )

    assert "Macro “Solved” applied to 3 tickets." in response.content.decode()
    state = _state(system_a, [*numbers, untouched.number])
    for ticket in tickets:
        reply = f"Fixed for {ticket.subject}, #{ticket.number}."
        assert state[ticket.number] == ("solved", "normal", None, [], [reply], ["Solved"])
    assert state[untouched.number][0] == "new"
    assert state[untouched.number][4:] == ([], [])
    # Each requester: the macro's reply, and (the macro solved it) the question how it went.
    requesters = sorted([member_a.email, *(o.email for o in others)])
    asked = [m for m in mail.outbox if "how did we do?" in m.subject]
    replied = [m for m in mail.outbox if m not in asked]
    assert sorted(m.to[0] for m in replied) == requesters
    assert sorted(m.to[0] for m in asked) == requesters


def test_a_refused_change_refuses_the_whole_macro(
    system_a,
    make_ticket,
    make_macro,
    member_a,
    agent_a,
    agent_client,
    django_capture_on_commit_callbacks,
):
    with in_schema(system_a):
        gone = UserFactory(email="gone@alpha.example", full_name="Gus Gone", role=Role.AGENT)
    tickets = [make_ticket(member_a) for _ in range(3)]
    macro = make_macro(
        name="To Gus",
        priority="urgent",
        assign_to=AssignTo.PERSON,
        assignee=gone,
        tags="escalated",
        body="Passing this on.",
    )
    with in_schema(system_a):
        gone.is_active = False
        gone.save()
    numbers = [t.number for t in tickets]
    before = _state(system_a, numbers)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        one = agent_client.post(f"/tickets/{numbers[0]}/macro/", {"macro": macro.pk}, follow=True)
        bulk = agent_client.post(
            "/tickets/bulk/",
            {"ticket": numbers, "action": "macro", "value_macro": macro.pk},
            follow=True,
        )

    assert _state(system_a, numbers) == before
    assert mail.outbox == []
    assert (
        f"Macro “To Gus” can&#x27;t be applied to #{numbers[0]}: Tickets go to agents, admins "
        "or the owner. Nothing was changed." in one.content.decode()
    )
    assert "No ticket was changed." in bulk.content.decode()


def test_an_internal_note_macro_mails_nobody(
    system_a, make_ticket, make_macro, member_a, agent_client, django_capture_on_commit_callbacks
):
    ticket = make_ticket(member_a)
    macro = make_macro(name="Note", body="Checked the logs, {{ agent.first_name }}.", internal=True)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        agent_client.post(f"/tickets/{ticket.number}/macro/", {"macro": macro.pk})

    with in_schema(system_a):
        note = Reply.objects.get(ticket=ticket)
    assert (note.is_internal, note.body) == (True, "Checked the logs, Arno.")
    assert mail.outbox == []


def test_another_agents_macro_cant_be_applied_and_b_gets_nothing(
    system_a, system_b, make_ticket, make_macro, member_a, other_agent_a, agent_client, user_b
):
    ticket = make_ticket(member_a)
    theirs = make_macro(name="Olli's", owner=other_agent_a, priority="low")
    shared = make_macro(name="Shared", priority="high")

    mine = agent_client.post(f"/tickets/{ticket.number}/macro/", {"macro": theirs.pk})
    crossed = client_for(system_b, user_b).post(
        f"/tickets/{ticket.number}/macro/", {"macro": shared.pk}, HTTP_HOST=host_of(system_a)
    )
    bulk = agent_client.post(
        "/tickets/bulk/", {"ticket": [ticket.number], "action": "macro", "value_macro": theirs.pk}
    )

    assert mine.status_code == 404
    assert crossed.status_code == 302 and "/accounts/login/" in crossed["Location"]
    assert bulk.status_code == 302
    assert _state(system_a, [ticket.number])[ticket.number][1] == "normal"


def test_a_note_macro_mails_the_colleague_it_mentions_as_the_reply_box_would(
    system_a,
    make_ticket,
    make_macro,
    member_a,
    other_agent_a,
    agent_client,
    django_capture_on_commit_callbacks,
):
    ticket = make_ticket(member_a)
    macro = make_macro(name="Escalate", body="@olli please look at this one.", internal=True)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        agent_client.post(f"/tickets/{ticket.number}/macro/", {"macro": macro.pk})

    assert [message.to for message in mail.outbox] == [["olli@alpha.example"]]
    assert f"#{ticket.number}" in mail.outbox[0].subject

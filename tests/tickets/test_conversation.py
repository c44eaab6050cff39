"""Replies and internal notes: who sees what, in the page, in search and in mail."""

from django.core import mail

from tests.support.tenancy import in_schema
from tickets.models import Status
from tickets.services import tickets as ticket_services


def _reply(system, actor, ticket, body, **kw):
    with in_schema(system):
        return ticket_services.ticket_reply(actor=actor, ticket=ticket, body=body, **kw)


def test_members_never_see_internal_notes_and_agents_do(
    system_a, make_ticket, member_a, agent_a, member_client, agent_client
):
    ticket = make_ticket(member_a)
    _reply(system_a, agent_a, ticket, "Public answer: restart it")
    _reply(system_a, agent_a, ticket, "Secret note: requester is VIP", internal=True)

    member_page = member_client.get(f"/tickets/{ticket.number}/").content.decode()
    agent_page = agent_client.get(f"/tickets/{ticket.number}/").content.decode()

    assert "Public answer" in member_page and "Secret note" not in member_page
    assert "Internal note" not in member_page
    assert "Public answer" in agent_page and "Secret note" in agent_page


def test_a_note_is_not_searchable_by_members(
    system_a, make_ticket, member_a, agent_a, member_client, agent_client
):
    ticket = make_ticket(member_a)
    _reply(system_a, agent_a, ticket, "zebraword only in the note", internal=True)

    assert member_client.get("/tickets/", {"q": "zebraword"}).context["page"].total == 0
    assert agent_client.get("/tickets/", {"q": "zebraword"}).context["page"].total == 1


def test_replies_mail_the_requester_and_followers_never_notes(
    system_a,
    make_ticket,
    member_a,
    other_member_a,
    agent_a,
    owner_a,
    django_capture_on_commit_callbacks,
):
    ticket = make_ticket(member_a)
    with in_schema(system_a):
        ticket_services.ticket_follow(actor=other_member_a, ticket=ticket, follow=True)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        _reply(system_a, agent_a, ticket, "Secret note", internal=True)
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        _reply(system_a, agent_a, ticket, "We replaced the toner.")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member_a.email, other_member_a.email])
    for message in mail.outbox:
        assert "We replaced the toner." in message.body
        assert "Secret note" not in message.body
        assert f"#{ticket.number}" in message.subject


def test_a_members_reply_reopens_a_pending_ticket(system_a, make_ticket, member_a, agent_a):
    ticket = make_ticket(member_a)
    _reply(system_a, agent_a, ticket, "Can you send a photo?", status=Status.PENDING)
    with in_schema(system_a):
        ticket.refresh_from_db()
    assert ticket.status == Status.PENDING

    _reply(system_a, member_a, ticket, "Here it is")

    with in_schema(system_a):
        ticket.refresh_from_db()
        assert ticket.status == Status.OPEN
        assert ticket.reply_count == 2


def test_members_cannot_write_notes(system_a, make_ticket, member_a, member_client):
    ticket = make_ticket(member_a)
    member_client.post(f"/tickets/{ticket.number}/", {"body": "sneaky", "kind": "note"})
    with in_schema(system_a):
        reply = ticket.replies.get()
    assert reply.is_internal is False


def test_submit_as_sets_the_status(system_a, make_ticket, member_a, agent_client):
    ticket = make_ticket(member_a)
    response = agent_client.post(
        f"/tickets/{ticket.number}/", {"body": "Fixed.", "kind": "reply", "status": "solved"}
    )
    assert response.status_code == 302
    with in_schema(system_a):
        ticket.refresh_from_db()
    assert ticket.status == Status.SOLVED and ticket.solved_at is not None


def test_markdown_is_rendered_sanitised_with_safe_links(
    system_a, make_ticket, member_a, agent_client
):
    ticket = make_ticket(
        member_a,
        description='**Bold** <script>alert("x")</script> [site](https://example.com) '
        "<img src=x onerror=alert(1)> [bad](javascript:alert(1))",
    )
    page = agent_client.get(f"/tickets/{ticket.number}/").content.decode()

    assert "<strong>Bold</strong>" in page
    # CommonMark without raw HTML: tags and unsafe links stay visible as inert text.
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'href="javascript:' not in page and "[bad](javascript:alert(1))" in page
    assert 'href="https://example.com" rel="nofollow noopener noreferrer"' in page


def test_preview_shows_the_rendered_text_and_keeps_it_in_the_box(
    system_a, make_ticket, member_a, member_client
):
    ticket = make_ticket(member_a)
    response = member_client.post(f"/tickets/{ticket.number}/", {"body": "*draft*", "preview": "1"})

    assert response.status_code == 200
    assert b"<em>draft</em>" in response.content
    assert b"*draft*</textarea>" in response.content
    with in_schema(system_a):
        assert not ticket.replies.exists()


def test_an_empty_reply_is_refused(system_a, make_ticket, member_a, member_client):
    ticket = make_ticket(member_a)
    response = member_client.post(f"/tickets/{ticket.number}/", {"body": "  "})
    assert response.status_code == 400
    assert b"Write something" in response.content


def test_the_requester_closes_and_reopens(
    system_a, make_ticket, member_a, member_client, other_member_a
):
    ticket = make_ticket(member_a)
    member_client.post(f"/tickets/{ticket.number}/close/")
    with in_schema(system_a):
        ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    member_client.post(f"/tickets/{ticket.number}/reopen/")
    with in_schema(system_a):
        ticket.refresh_from_db()
    assert ticket.status == Status.OPEN

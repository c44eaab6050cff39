"""A reply that crossed someone else's is not sent until its writer has seen what came."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.collab.conftest import hidden
from tests.support.tenancy import client_for, in_schema
from tickets.models import Reply
from tickets.services.tickets import ticket_reply


def test_a_reply_that_crossed_a_colleagues_is_held_with_its_text_then_sent_anyway(
    system_a, make_ticket, agent_a, omar_a, member_a, agent_client
):
    ticket = make_ticket(member_a)
    url = f"/tickets/{ticket.number}/"
    seen = hidden(agent_client.get(url).content.decode(), "seen")
    assert seen == "0"
    with in_schema(system_a):
        ticket_reply(actor=omar_a, ticket=ticket, body="Restarted the **spooler**, try again.")
        ticket_reply(actor=member_a, ticket=ticket, body="Thanks, that did it.")

    typed = {"kind": "reply", "body": "Have you tried turning it off?", "status": "open"}
    files = {"files": SimpleUploadedFile("log.txt", b"E42", "text/plain")}
    response = agent_client.post(url, {**typed, "seen": seen, **files})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Not sent: 2 new messages arrived while you were writing." in page
    assert "Omar Other" in page and "Restarted the **spooler**, try again." in page
    assert "Mia Member" in page and "Thanks, that did it." in page
    assert "The files you chose were not kept" in page
    assert ">Have you tried turning it off?</textarea>" in page
    assert 'name="confirm" value="1"' in page
    with in_schema(system_a):
        assert Reply.objects.filter(ticket=ticket).count() == 2
        newest = Reply.objects.filter(ticket=ticket).latest("id").pk
    assert hidden(page, "seen") == str(newest)  # the page now shows them

    response = agent_client.post(f"{url}?list=sort%3Ddue", {**typed, "seen": seen, "confirm": "1"})
    assert response.status_code == 302 and response["Location"] == f"{url}?list=sort%3Ddue"
    with in_schema(system_a):
        assert Reply.objects.filter(ticket=ticket, author=agent_a).count() == 1


def test_only_others_messages_the_writer_may_read_hold_a_reply(
    system_a, make_ticket, agent_a, member_a, agent_client
):
    ticket = make_ticket(member_a)
    url = f"/tickets/{ticket.number}/"
    member = client_for(system_a, member_a)
    seen = hidden(member.get(url).content.decode(), "seen")
    with in_schema(system_a):
        ticket_reply(actor=agent_a, ticket=ticket, body="Checking with IT.", internal=True)
        ticket_reply(actor=member_a, ticket=ticket, body="Sent from my phone.")
    # A note he can't see, and his own message: nothing he missed.
    assert member.post(url, {"body": "Any news?", "seen": seen}).status_code == 302
    # Staff see the note and the member's message: held.
    response = agent_client.post(url, {"kind": "reply", "body": "Soon.", "seen": seen})
    assert response.status_code == 409
    assert "Internal note" in response.content.decode()
    # A preview sends nothing, so nothing is held.
    response = agent_client.post(
        url, {"kind": "reply", "body": "Soon.", "seen": seen, "preview": "1"}
    )
    assert response.status_code == 200

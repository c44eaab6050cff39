"""@mentions in internal notes mail the staff they name, once, and are marked."""

from django.core import mail

from tests.collab.conftest import hidden
from tests.factories import UserFactory
from tests.support.tenancy import client_for, in_schema
from tickets.collab.mentions import handle_of_each, handles, mark_mentions, mentioned
from tickets.models import NotificationPreference


def test_the_syntax_names_staff_by_address_and_ignores_addresses_in_text(system_a):
    text = "Ask @Omar and @omar. Not mail omar@alpha.example, not /@omar; @dana@beta.example?"
    assert handles(text) == ["omar", "dana@beta.example"]
    with in_schema(system_a):
        dana_a = UserFactory.build(pk=1, email="dana@alpha.example", role="agent")
        dana_b = UserFactory.build(pk=2, email="dana@beta.example", role="agent")
        omar = UserFactory.build(pk=3, email="omar@alpha.example", role="agent")
    # Two share "dana": only the whole address names one of them.
    assert mentioned("@dana, @dana@beta.example", [dana_a, dana_b]) == [dana_b]
    assert [h for h, _ in handle_of_each([dana_a, dana_b, omar])] == [
        "dana@alpha.example",
        "dana@beta.example",
        "omar",
    ]
    html = '<p>Hi @omar, see <a href="https://x.example/@omar">@omar</a></p>'
    assert mark_mentions(html, {"omar"}) == (
        '<p>Hi <span class="mention">@omar</span>, see <a href="https://x.example/@omar">'
        '<span class="mention">@omar</span></a></p>'
    )


def test_a_note_mails_the_mentioned_agent_once_and_nobody_else(
    system_a, make_ticket, agent_a, omar_a, admin_a, member_a, django_capture_on_commit_callbacks
):
    ticket = make_ticket(member_a)
    url = f"/tickets/{ticket.number}/"
    admin = client_for(system_a, admin_a)
    page = admin.get(url).content.decode()
    seen = hidden(page, "seen")
    # The reply box offers the others to mention (static/js/mentions.js), members never.
    assert '<li data-handle="omar">Omar Other</li>' in page
    assert 'data-handle="mia"' not in page and 'data-handle="admin"' not in page
    body = "@omar can you look? @omar, @mia (a member), @admin (me), @nobody and @agent."
    with in_schema(system_a):
        NotificationPreference.objects.create(user=agent_a, mentions=False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url, {"kind": "note", "body": body, "seen": seen})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[omar_a.email]]
    message = mail.outbox[0]
    assert message.subject == f"[#{ticket.number}] Ada Admin mentioned you: {ticket.subject}"
    assert "@omar can you look?" in message.body and f"/tickets/{ticket.number}/" in message.body

    # The note shows the mentions of staff marked, for staff; members never see the note.
    page = client_for(system_a, omar_a).get(url).content.decode()
    assert '<span class="mention">@omar</span> can you look?' in page
    assert '<span class="mention">@admin</span>' in page
    assert "@mia (a member)" in page and "@nobody" in page
    member_page = client_for(system_a, member_a).get(url).content.decode()
    assert "can you look" not in member_page and "mention-people" not in member_page

    # A public reply mentions nobody.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(url, {"kind": "reply", "body": "@omar is on it.", "status": "open"})
    assert omar_a.email not in [m.to[0] for m in mail.outbox]

"""Limits people can read on the form: subject 200 characters, description and reply 64 KB.
Forms, preview and the services (through which mail arrives too) apply the same numbers."""

import pytest
from django.core.exceptions import ValidationError

from servicedesk.markdown import MAX_MARKDOWN_CHARS
from tests.support.tenancy import in_schema
from tickets.models import MAX_SUBJECT_CHARS, Reply, Ticket
from tickets.services import tickets as ticket_services

TOO_LONG = "x" * (MAX_MARKDOWN_CHARS + 1)
MESSAGE = f"at most {MAX_MARKDOWN_CHARS:,} characters (64 KB), and it has {len(TOO_LONG):,}"


def test_the_forms_say_the_limits_and_the_boxes_stop_there(
    system_a, make_ticket, member_a, member_client
):
    page = member_client.get("/tickets/new/").content.decode()
    assert f'maxlength="{MAX_SUBJECT_CHARS}"' in page
    assert f'maxlength="{MAX_MARKDOWN_CHARS}"' in page
    assert "At most 200 characters." in page
    assert "At most 65,536 characters (64 KB)." in page

    ticket = make_ticket(member_a)
    page = member_client.get(f"/tickets/{ticket.number}/").content.decode()
    assert f'id="reply-body" rows="6" maxlength="{MAX_MARKDOWN_CHARS}"' in page
    assert "At most 65,536 characters (64 KB)." in page


def test_a_description_over_64_kb_is_refused_and_the_text_is_kept(
    system_a, member_a, member_client
):
    response = member_client.post("/tickets/new/", {"subject": "Long log", "description": TOO_LONG})
    assert response.status_code == 400
    page = response.content.decode()
    assert MESSAGE in page
    assert f"{TOO_LONG}</textarea>" in page
    with in_schema(system_a):
        assert not Ticket.objects.exists()


def test_a_subject_over_200_characters_is_refused_and_kept(system_a, member_a, member_client):
    subject = "s" * (MAX_SUBJECT_CHARS + 1)
    response = member_client.post("/tickets/new/", {"subject": subject, "description": "Hi"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "at most 200 characters" in page
    assert f'value="{subject}"' in page


def test_a_reply_over_64_kb_is_refused_and_the_text_is_kept(
    system_a, make_ticket, member_a, member_client
):
    ticket = make_ticket(member_a)
    response = member_client.post(f"/tickets/{ticket.number}/", {"body": TOO_LONG})
    assert response.status_code == 400
    page = response.content.decode()
    assert MESSAGE in page
    assert f"{TOO_LONG}</textarea>" in page
    with in_schema(system_a):
        assert not Reply.objects.exists()


def test_a_preview_over_64_kb_is_refused_not_rendered_and_the_text_is_kept(
    system_a, make_ticket, member_a, member_client
):
    ticket = make_ticket(member_a)
    text = "[" * (MAX_MARKDOWN_CHARS + 1)
    response = member_client.post(f"/tickets/{ticket.number}/", {"body": text, "preview": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'aria-label="Preview"' not in page
    assert f"it has {len(text):,}" in page
    assert f"{text}</textarea>" in page


def test_the_longest_reply_is_accepted_with_line_breaks_counted_once(
    system_a, make_ticket, member_a, member_client
):
    # Browsers count a line break as one character against maxlength and send two (CRLF).
    line = "y" * 1023 + "\n"
    text = line * (MAX_MARKDOWN_CHARS // len(line))
    assert len(text) == MAX_MARKDOWN_CHARS
    ticket = make_ticket(member_a)
    response = member_client.post(
        f"/tickets/{ticket.number}/", {"body": text.replace("\n", "\r\n")}
    )
    assert response.status_code == 302
    with in_schema(system_a):
        assert Reply.objects.get().body == text.strip()


@pytest.mark.parametrize("field", ["description", "subject"])
def test_the_ticket_service_refuses_what_the_form_refuses(system_a, member_a, field):
    # Mail that arrives later goes through the same service and gets the same rule.
    too_long = {"description": TOO_LONG, "subject": "s" * (MAX_SUBJECT_CHARS + 1)}[field]
    values = {"subject": "From mail", "description": "Body", field: too_long}
    with in_schema(system_a), pytest.raises(ValidationError) as refused:
        ticket_services.ticket_create(actor=member_a, **values)
    assert list(refused.value.message_dict) == [field]
    with in_schema(system_a):
        assert not Ticket.objects.exists()


def test_the_reply_service_refuses_what_the_form_refuses(system_a, make_ticket, member_a):
    ticket = make_ticket(member_a)
    with in_schema(system_a), pytest.raises(ValidationError) as refused:
        ticket_services.ticket_reply(actor=member_a, ticket=ticket, body=TOO_LONG)
    assert MESSAGE in refused.value.message_dict["body"][0]
    with in_schema(system_a):
        assert not Reply.objects.exists()


def test_staff_cannot_rename_a_ticket_beyond_the_subject_limit(
    system_a, make_ticket, member_a, agent_a
):
    ticket = make_ticket(member_a)
    with in_schema(system_a), pytest.raises(ValidationError) as refused:
        ticket_services.ticket_update(
            actor=agent_a, ticket=ticket, changes={"subject": "s" * (MAX_SUBJECT_CHARS + 1)}
        )
    assert list(refused.value.message_dict) == ["subject"]

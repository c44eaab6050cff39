"""Ticket mail is written in its reader's language and time zone: a contact (nobody's
account) reads the System's, a person his own; the reply-above marker and the From name
follow the reader too."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation

from servicedesk import mail as kernel_mail
from tests.mail.outbound_support import contact_ticket, only, parts
from tests.support.tenancy import in_schema
from tickets.mail import outgoing

pytestmark = pytest.mark.django_db
EVE = "eve@outside.example"


@pytest.fixture
def rendered(monkeypatch):
    """(template, recipient's name, language, zone) of each ticket mail as it is rendered."""
    seen: list[tuple[str, str, str, str]] = []
    render = kernel_mail.render

    def spy(template, context, *args, **kwargs):
        seen.append(
            (
                template,
                context.get("recipient_name", ""),
                translation.get_language(),
                timezone.get_current_timezone_name(),
            )
        )
        return render(template, context, *args, **kwargs)

    monkeypatch.setattr(outgoing.mail, "render", spy)
    return seen


def test_a_contact_writing_in_gets_the_acknowledgement_in_the_systems_language_and_zone(
    system_a, agent_a, django_capture_on_commit_callbacks, rendered
):
    system_a.language, system_a.time_zone = "vi", "Asia/Ho_Chi_Minh"
    system_a.save(update_fields=["language", "time_zone"])
    with in_schema(system_a):
        agent_a.language, agent_a.time_zone = "en", "Europe/Paris"
        agent_a.save(update_fields=["language", "time_zone"])

    with translation.override("en"):
        contact_ticket(system_a, django_capture_on_commit_callbacks)

    by_reader = {name: (language, zone) for _template, name, language, zone in rendered}
    assert by_reader["Eve Nguyễn"] == ("vi", "Asia/Ho_Chi_Minh")
    # In the same send, a person who chose English keeps English and his zone.
    assert ("en", "Europe/Paris") in by_reader.values()
    assert translation.get_language() == "en"  # nothing leaks out of the send

    text, html = parts(only(EVE))
    with translation.override("vi"):
        marker = translation.gettext("##- Please type your reply above this line -##")
    assert text.splitlines()[0] == marker
    assert marker in html

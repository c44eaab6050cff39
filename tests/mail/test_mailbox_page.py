"""Settings → Email → Mailbox (IMAP): admins connect a mailbox (tried first), see how its
polling goes, check it now and disconnect it; the password never comes back."""

from __future__ import annotations

import pytest

from tests.mail.support import message, support_of
from tests.support.imap_server import PASSWORD, USER
from tests.support.tenancy import client_for, in_schema
from tickets.mail.models import ImapSecurity, MailSettings
from tickets.models import Ticket

pytestmark = pytest.mark.django_db
URL = "/settings/email/mailbox/"


def _form(box, **changes):
    data = {
        "host": box.server.host,
        "port": str(box.server.port),
        "security": ImapSecurity.NONE,
        "username": USER,
        "password": PASSWORD,
        "folder": box.folder,
    }
    data.update(changes)
    return data


def test_only_admins_open_the_page_and_the_menu_offers_it_to_them(
    system_a, admin_a, agent_a, member_a
):
    page = client_for(system_a, admin_a).get(URL)
    assert page.status_code == 200
    assert b"Mailbox (IMAP)" in page.content
    assert b'aria-current="page"' in page.content
    for person in (agent_a, member_a):
        assert client_for(system_a, person).get(URL).status_code == 403
        assert client_for(system_a, person).post(f"{URL}check/").status_code == 403
        assert client_for(system_a, person).post(f"{URL}disable/").status_code == 403


def test_a_wrong_password_is_refused_keeping_what_was_typed_but_the_password(
    system_a, admin_a, mailbox
):
    response = client_for(system_a, admin_a).post(URL, _form(mailbox, password="not-it"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "refused the user name or password" in html
    assert f'value="{mailbox.folder}"' in html
    assert 'value="not-it"' not in html
    with in_schema(system_a):
        assert not MailSettings.objects.filter(imap_enabled=True).exists()


def test_test_and_save_connects_and_the_page_shows_the_status_without_the_password(
    system_a, admin_a, mailbox
):
    client = client_for(system_a, admin_a)
    response = client.post(URL, _form(mailbox))
    assert response.status_code == 302
    assert response["Location"] == URL
    page = client.get(URL)
    html = page.content.decode()
    assert "is connected" in html
    assert f"{USER} at {mailbox.server.host}:{mailbox.server.port}" in html
    assert "Leave empty to keep" in html
    assert PASSWORD not in html
    with in_schema(system_a):
        assert PASSWORD not in MailSettings.objects.get().imap_password

    # Saved again with the password left empty: kept.
    assert client.post(URL, _form(mailbox, password="", folder="INBOX")).status_code == 302
    with in_schema(system_a):
        assert MailSettings.objects.get().imap_folder == "INBOX"


def test_check_now_polls_the_mailbox_and_the_error_shows_on_the_page(
    system_a, admin_a, member_a, mailbox, django_capture_on_commit_callbacks
):
    client = client_for(system_a, admin_a)
    client.post(URL, _form(mailbox))
    mailbox.append(message(sender=member_a.email, to=support_of(system_a), subject="By IMAP"))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{URL}check/").status_code == 302
    with in_schema(system_a):
        assert list(Ticket.objects.values_list("subject", flat=True)) == ["By IMAP"]
        MailSettings.objects.update(imap_error="The server refused the user name or password.")
    html = client.get(URL).content.decode()
    assert "The last check failed:</strong> The server refused the user name" in html
    assert "message UID" in html


def test_disconnecting_stops_it(system_a, admin_a, mailbox):
    client = client_for(system_a, admin_a)
    client.post(URL, _form(mailbox))
    assert client.post(f"{URL}disable/").status_code == 302
    assert "No mailbox is connected." in client.get(URL).content.decode()
    with in_schema(system_a):
        row = MailSettings.objects.get()
        assert (row.imap_enabled, row.imap_password) == (False, "")


@pytest.mark.parametrize("connected", [False, True])
def test_the_page_answers_in_a_fixed_number_of_queries(
    system_a, admin_a, mailbox, django_assert_num_queries, connected
):
    client = client_for(system_a, admin_a)
    if connected:
        client.post(URL, _form(mailbox))
    client.get(URL)
    with django_assert_num_queries(6):
        response = client.get(URL)
    assert response.status_code == 200
    assert (b"Check now" in response.content) is connected

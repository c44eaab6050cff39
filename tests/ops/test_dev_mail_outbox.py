"""Development mail: every mail kept in an outbox folder, its links printed whole on the
console, and readable at /dev/mail/ on the public host while DEBUG is on."""

import io

import pytest
from django.core.mail import EmailMultiAlternatives
from django.urls import Resolver404, resolve

from servicedesk import urls_public
from servicedesk.devmail.backend import EmailBackend
from servicedesk.devmail.outbox import mail_get, mail_names
from servicedesk.tasks import send_email
from tests.support.tenancy import client_for

# Longer than a quoted-printable line (76 characters), with `=` in it, as invitation links are.
LONG_LINK = (
    "http://acme.localhost:8000/invitations/accept/"
    "Zm9vYmFyYmF6cXV1eC0xMjM0NTY3ODkwLWFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6?next=%2Fdashboard%2F"
)
DEBUG_URLCONF = "tests.support.urls_public_debug"


def a_mail(subject="Join Acme on Service Desk", to="new.agent@acme.example", html=True):
    message = EmailMultiAlternatives(
        subject=subject,
        body=f"Hello,\n\nAccept the invitation: {LONG_LINK}.\n\nService Desk",
        from_email="Service Desk <no-reply@localhost>",
        to=[to],
    )
    if html:
        message.attach_alternative(
            f'<p>Hello,</p><p><a href="{LONG_LINK.replace("&", "&amp;")}">Accept</a></p>'
            '<script>alert("x")</script><p onclick="steal()">Service Desk</p>',
            "text/html",
        )
    return message


@pytest.fixture
def outbox(settings, tmp_path):
    settings.MAIL_OUTBOX_DIR = tmp_path / "mail"
    return settings.MAIL_OUTBOX_DIR


@pytest.fixture
def debug_site(settings, outbox):
    settings.DEBUG = True
    settings.PUBLIC_SCHEMA_URLCONF = DEBUG_URLCONF
    return outbox


def send(outbox, *messages):
    console = io.StringIO()
    assert EmailBackend(directory=outbox, stream=console).send_messages(list(messages)) == len(
        messages
    )
    return console.getvalue()


def test_sending_a_mail_writes_an_eml_file_and_prints_its_link_unwrapped(outbox):
    console = send(outbox, a_mail())

    files = list(outbox.glob("*.eml"))
    assert len(files) == 1
    assert b"Subject: Join Acme on Service Desk" in files[0].read_bytes()
    [line] = console.splitlines()
    assert line.startswith("[mail] to new.agent@acme.example: 'Join Acme on Service Desk'")
    assert LONG_LINK in line.split()


def test_a_link_longer_than_a_mail_line_is_printed_whole_and_once(outbox):
    assert len(LONG_LINK) > 76

    console = send(outbox, a_mail())

    assert console.count(LONG_LINK) == 1
    assert "=\n" not in console
    assert mail_get(name=mail_names(outbox)[0], directory=outbox).links == [LONG_LINK]


def test_the_worker_sends_through_the_outbox_when_the_mailers_setting_names_it(
    settings, outbox, capsys
):
    settings.MAILERS = {"default": {"BACKEND": "servicedesk.devmail.backend.EmailBackend"}}

    send_email(to="owner@acme.example", subject="Your invoice", text=f"Pay: {LONG_LINK}")

    assert len(mail_names(outbox)) == 1
    assert LONG_LINK in capsys.readouterr().out


def test_the_outbox_page_lists_mail_newest_first_and_shows_the_link(
    debug_site, public_client, django_assert_max_num_queries
):
    send(debug_site, a_mail(subject="First mail"))
    send(debug_site, a_mail(subject="Second mail", to="second@acme.example"))

    with django_assert_max_num_queries(3):
        listing = public_client.get("/dev/mail/")
        assert listing.status_code == 200
        body = listing.content.decode()
        assert body.index("Second mail") < body.index("First mail")
        assert "second@acme.example" in body

    newest = mail_names(debug_site)[0]
    detail = public_client.get(f"/dev/mail/{newest}/")
    assert detail.status_code == 200
    page = detail.content.decode()
    assert f'<a href="{LONG_LINK}">{LONG_LINK}</a>' in page
    assert "Second mail" in page
    assert "<script>" not in page.split("HTML part")[1]
    assert "onclick" not in page


def test_the_outbox_page_says_so_when_no_mail_was_sent(debug_site, public_client):
    response = public_client.get("/dev/mail/")

    assert response.status_code == 200
    assert "No mail yet" in response.content.decode()


def test_the_outbox_list_is_paginated_and_pages_cost_no_more_queries(
    debug_site, public_client, django_assert_max_num_queries
):
    send(debug_site, *[a_mail(subject=f"Mail number {n}", html=False) for n in range(27)])

    with django_assert_max_num_queries(3):
        second = public_client.get("/dev/mail/?page=2")
        assert second.status_code == 200
        body = second.content.decode()
        assert body.count("Mail number") == 2
        assert "Mail number 0" in body


def test_the_outbox_is_404_when_debug_is_off(settings, outbox, public_client):
    settings.PUBLIC_SCHEMA_URLCONF = DEBUG_URLCONF  # even if routed
    send(outbox, a_mail())

    assert public_client.get("/dev/mail/").status_code == 404
    assert public_client.get(f"/dev/mail/{mail_names(outbox)[0]}/").status_code == 404


def test_production_settings_never_route_the_outbox():
    # Imported above, at collection, with DEBUG off as in production.
    with pytest.raises(Resolver404):
        resolve("/dev/mail/", urlconf=urls_public)


def test_the_outbox_is_404_on_a_system_host_for_every_role(
    debug_site, system_a, system_b, owner_a, admin_a, agent_a, member_a, user_b
):
    send(debug_site, a_mail())
    name = mail_names(debug_site)[0]
    clients = [client_for(system_a)]
    clients += [client_for(system_a, user) for user in (owner_a, admin_a, agent_a, member_a)]
    clients += [client_for(system_b), client_for(system_b, user_b)]

    for client in clients:
        assert client.get("/dev/mail/").status_code == 404
        assert client.get(f"/dev/mail/{name}/").status_code == 404


@pytest.mark.parametrize("name", ["nothing-here", "..%2F..%2Fetc%2Fpasswd", "20260101-000000"])
def test_a_mail_that_is_not_in_the_outbox_is_404(debug_site, public_client, name):
    send(debug_site, a_mail())

    assert public_client.get(f"/dev/mail/{name}/").status_code == 404


def test_received_mail_is_kept_as_it_came_and_marked_with_who_received_it(outbox):
    from servicedesk.devmail.outbox import mail_save_received

    raw = (
        b"X-Devmail-Received-By: someone else\r\nFrom: eve@client.example\r\n"
        b"To: support@acme.localhost\r\nSubject: Caf\xc3\xa9\r\n\r\nHello\r\n"
    )
    path = mail_save_received(raw=raw, received_by="Acme Sûpport (acme)", directory=outbox)
    send(outbox, a_mail())

    assert path.read_bytes().endswith(raw)
    received, sent = (mail_get(name=name, directory=outbox) for name in sorted(mail_names(outbox)))
    assert received.received_by == "Acme Sûpport (acme)"
    assert received.subject == "Café" and received.text.strip() == "Hello"
    assert sent.received_by == ""

"""A mailbox an admin connects is polled over IMAP (a real server, pymap): its messages
become tickets once each, whatever is read again, and nothing on the server changes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from servicedesk.leases import Lease
from servicedesk.schema import current_schema
from tests.mail.support import message, support_of
from tests.support.imap_server import PASSWORD, USER
from tests.support.tenancy import in_schema
from tickets.mail.models import ImapSecurity, InboundMessage, MailSettings
from tickets.mail.secrets import secret_open, secret_seal
from tickets.mail.services import mailbox as service
from tickets.mail.tasks import mailboxes_poll_all
from tickets.models import Ticket

pytestmark = pytest.mark.django_db
Status = InboundMessage.Status


def _configure(system, actor, box, **changes):
    fields = {
        "host": box.server.host,
        "port": box.server.port,
        "security": ImapSecurity.NONE,
        "username": USER,
        "password": PASSWORD,
        "folder": box.folder,
    }
    fields.update(changes)
    with in_schema(system):
        return service.mailbox_configure(actor=actor, **fields)


def _poll(system, capture, **kwargs):
    with in_schema(system), capture(execute=True):
        return service.mailbox_poll(**kwargs)


def _settings(system) -> MailSettings:
    with in_schema(system):
        return MailSettings.objects.get()


def _mail(person, system, subject):
    return message(sender=person.email, to=support_of(system), subject=subject)


def test_configuring_refuses_a_wrong_password_and_saves_nothing(system_a, admin_a, mailbox):
    with pytest.raises(ValidationError) as refused:
        _configure(system_a, admin_a, mailbox, password="wrong")
    assert "refused the user name or password" in refused.value.message_dict["password"][0]
    with pytest.raises(ValidationError) as refused:  # not ASCII: sent by AUTHENTICATE PLAIN
        _configure(system_a, admin_a, mailbox, password="pässwörd")
    assert "refused the user name or password" in refused.value.message_dict["password"][0]
    with in_schema(system_a):
        assert not MailSettings.objects.filter(imap_enabled=True).exists()


def test_configuring_refuses_a_missing_folder_and_an_unreachable_server(system_a, admin_a, mailbox):
    with pytest.raises(ValidationError) as refused:
        _configure(system_a, admin_a, mailbox, folder="No such folder")
    assert "“No such folder” can't be opened" in refused.value.message_dict["folder"][0]

    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    with pytest.raises(ValidationError) as refused:
        _configure(system_a, admin_a, mailbox, port=closed)
    assert "refused the connection" in refused.value.message_dict["port"][0]

    with pytest.raises(ValidationError) as refused:
        _configure(system_a, admin_a, mailbox, host="no-such-host.invalid")
    assert "No server is known by the name" in refused.value.message_dict["host"][0]


def test_the_password_is_kept_encrypted(system_a, admin_a, mailbox):
    _configure(system_a, admin_a, mailbox)
    row = _settings(system_a)
    assert PASSWORD not in row.imap_password
    assert secret_open(row.imap_password) == PASSWORD
    assert row.imap_enabled and row.imap_uidvalidity and row.imap_last_uid == 0


def test_a_poll_makes_tickets_of_the_mailbox_messages_and_leaves_them_unread(
    system_a, admin_a, member_a, mailbox, django_capture_on_commit_callbacks
):
    mailbox.append(
        _mail(member_a, system_a, "Laptop won't boot"), _mail(member_a, system_a, "VPN down")
    )
    _configure(system_a, admin_a, mailbox)
    result = _poll(system_a, django_capture_on_commit_callbacks)

    assert (result.stored, result.duplicates, result.error) == (2, 0, "")
    with in_schema(system_a):
        subjects = set(Ticket.objects.values_list("subject", flat=True))
        assert subjects == {"Laptop won't boot", "VPN down"}
        assert set(InboundMessage.objects.values_list("via", flat=True)) == {"imap"}
        assert set(InboundMessage.objects.values_list("envelope_to", flat=True)) == {USER}
    row = _settings(system_a)
    assert row.imap_last_uid > 0 and row.imap_checked_at and row.imap_error == ""
    # Read-only: both are still unread on the server.
    assert mailbox.server.unseen(mailbox.folder) == 2


def test_a_second_poll_reads_nothing_twice(
    system_a, admin_a, member_a, mailbox, django_capture_on_commit_callbacks
):
    mailbox.append(_mail(member_a, system_a, "First"))
    _configure(system_a, admin_a, mailbox)
    _poll(system_a, django_capture_on_commit_callbacks)
    again = _poll(system_a, django_capture_on_commit_callbacks)
    assert (again.stored, again.duplicates) == (0, 0)

    mailbox.append(_mail(member_a, system_a, "Second"))
    later = _poll(system_a, django_capture_on_commit_callbacks)
    assert (later.stored, later.duplicates) == (1, 0)
    with in_schema(system_a):
        assert InboundMessage.objects.count() == 2
        assert Ticket.objects.count() == 2


def test_a_poll_reads_at_most_its_limit_and_goes_on_from_there(
    system_a, admin_a, member_a, mailbox, django_capture_on_commit_callbacks
):
    mailbox.append(*(_mail(member_a, system_a, f"Number {n}") for n in range(3)))
    _configure(system_a, admin_a, mailbox)
    assert _poll(system_a, django_capture_on_commit_callbacks, limit=2).stored == 2
    assert _poll(system_a, django_capture_on_commit_callbacks, limit=2).stored == 1
    with in_schema(system_a):
        assert Ticket.objects.count() == 3


def test_a_message_also_delivered_by_smtp_is_not_a_second_ticket(
    deliver, system_a, admin_a, member_a, mailbox, django_capture_on_commit_callbacks
):
    raw = _mail(member_a, system_a, "Sent to both")
    deliver(raw, to=[support_of(system_a)], via="smtp")
    mailbox.append(raw)
    _configure(system_a, admin_a, mailbox)

    result = _poll(system_a, django_capture_on_commit_callbacks)

    assert (result.stored, result.duplicates) == (0, 1)
    with in_schema(system_a):
        assert Ticket.objects.count() == 1
        duplicate = InboundMessage.objects.get(status=Status.DUPLICATE)
        assert duplicate.via == "imap"


def test_a_new_uidvalidity_reads_the_folder_again_without_duplicate_tickets(
    system_a, admin_a, member_a, mailbox, django_capture_on_commit_callbacks
):
    raw = _mail(member_a, system_a, "Before the rebuild")
    mailbox.append(raw)
    _configure(system_a, admin_a, mailbox)
    _poll(system_a, django_capture_on_commit_callbacks)
    validity = _settings(system_a).imap_uidvalidity

    mailbox.server.recreate(mailbox.folder)
    mailbox.append(raw, _mail(member_a, system_a, "After the rebuild"))
    result = _poll(system_a, django_capture_on_commit_callbacks)

    assert (result.stored, result.duplicates) == (1, 1)
    assert _settings(system_a).imap_uidvalidity != validity
    with in_schema(system_a):
        assert sorted(Ticket.objects.values_list("subject", flat=True)) == [
            "After the rebuild",
            "Before the rebuild",
        ]


def test_only_new_mail_leaves_the_folder_as_it_was(
    system_a, admin_a, member_a, mailbox, django_capture_on_commit_callbacks
):
    mailbox.append(_mail(member_a, system_a, "Old news"))
    _configure(system_a, admin_a, mailbox, only_new=True)
    assert _poll(system_a, django_capture_on_commit_callbacks).stored == 0
    mailbox.append(_mail(member_a, system_a, "Fresh"))
    assert _poll(system_a, django_capture_on_commit_callbacks).stored == 1
    with in_schema(system_a):
        assert list(Ticket.objects.values_list("subject", flat=True)) == ["Fresh"]


def test_a_failing_server_records_the_error_and_the_next_system_still_polls(
    system_a, system_b, admin_a, user_b, mailbox, django_capture_on_commit_callbacks
):
    _configure(system_a, admin_a, mailbox)
    with in_schema(system_a):  # the mailbox's password changed on the server since
        MailSettings.objects.update(imap_password=secret_seal("changed since"))
    box_b = mailbox.server.new_folder()
    mailbox.server.append(box_b, _mail(user_b, system_b, "Bravo's mail"))
    with in_schema(system_b):
        MailSettings.objects.create(
            imap_enabled=True,
            imap_host=mailbox.server.host,
            imap_port=mailbox.server.port,
            imap_security=ImapSecurity.NONE,
            imap_username=USER,
            imap_password=secret_seal(PASSWORD),
            imap_folder=box_b,
        )

    with django_capture_on_commit_callbacks(execute=True):
        assert mailboxes_poll_all() == 2

    failed = _settings(system_a)
    assert "refused the user name or password" in failed.imap_error
    assert failed.imap_checked_at is not None
    assert "changed since" not in failed.imap_error
    with in_schema(system_b):
        assert list(Ticket.objects.values_list("subject", flat=True)) == ["Bravo's mail"]
        assert MailSettings.objects.get().imap_error == ""
    with in_schema(system_a):
        assert not Ticket.objects.exists()

    # Fixed: the next poll succeeds and the error goes.
    with in_schema(system_a):
        MailSettings.objects.update(imap_password=secret_seal(PASSWORD))
    assert _poll(system_a, django_capture_on_commit_callbacks).error == ""
    assert _settings(system_a).imap_error == ""


def test_an_unreachable_server_is_recorded_in_words(
    system_a, admin_a, mailbox, django_capture_on_commit_callbacks
):
    _configure(system_a, admin_a, mailbox)
    with in_schema(system_a):
        MailSettings.objects.update(imap_host="no-such-host.invalid")
    result = _poll(system_a, django_capture_on_commit_callbacks)
    assert result.error == "No server is known by the name no-such-host.invalid."
    assert _settings(system_a).imap_error == result.error


def test_a_poll_already_running_for_the_system_makes_another_wait_its_turn(
    system_a, admin_a, member_a, mailbox, django_capture_on_commit_callbacks
):
    mailbox.append(_mail(member_a, system_a, "Only once"))
    _configure(system_a, admin_a, mailbox)
    with in_schema(system_a):
        other = Lease(f"mailbox-poll:{current_schema()}", ttl=60)
        assert other.take()
    try:
        assert _poll(system_a, django_capture_on_commit_callbacks).busy
    finally:
        other.release()
    assert _poll(system_a, django_capture_on_commit_callbacks).stored == 1


def test_the_stored_password_is_sent_only_to_the_server_it_was_given_for(
    system_a, admin_a, mailbox
):
    _configure(system_a, admin_a, mailbox)
    _configure(system_a, admin_a, mailbox, password="")  # same server: kept
    with pytest.raises(ValidationError) as refused:
        _configure(system_a, admin_a, mailbox, host="localhost", password="")
    assert refused.value.message_dict == {"password": ["Give the mailbox's password."]}


def test_disabling_stops_polling_and_forgets_the_password(
    system_a, admin_a, member_a, mailbox, django_capture_on_commit_callbacks
):
    _configure(system_a, admin_a, mailbox)
    with in_schema(system_a):
        service.mailbox_disable(actor=admin_a)
    row = _settings(system_a)
    assert (row.imap_enabled, row.imap_password, row.imap_host) == (False, "", mailbox.server.host)
    mailbox.append(_mail(member_a, system_a, "Nobody reads this"))
    with django_capture_on_commit_callbacks(execute=True):
        assert mailboxes_poll_all() == 0
    with in_schema(system_a):
        assert not InboundMessage.objects.exists()


def test_only_admins_may_connect_a_mailbox(system_a, agent_a, mailbox):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _configure(system_a, agent_a, mailbox)

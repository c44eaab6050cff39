"""Mail to a System's support address becomes the right ticket or reply, or is held,
ignored or failed with a reason, and never reaches another System."""

from __future__ import annotations

import pytest

from tests.mail.support import message, support_of
from tests.support.tenancy import in_schema
from tickets.mail import addresses
from tickets.mail.models import Contact, InboundMessage, MailSettings, OutboundMessage, WhoMayWrite
from tickets.models import Reply, Ticket

pytestmark = pytest.mark.django_db
Status = InboundMessage.Status


def _only_message(system) -> InboundMessage:
    with in_schema(system):
        return InboundMessage.objects.get(duplicate_of__isnull=True)


def test_mail_from_a_person_opens_a_ticket_as_that_person(deliver, system_a, member_a):
    raw = message(sender=member_a.email, to=support_of(system_a), subject="Re: VPN is down")
    deliver(raw, to=[support_of(system_a)])
    row = _only_message(system_a)
    assert row.status == Status.TICKET, row.reason
    with in_schema(system_a):
        ticket = Ticket.objects.get()
        assert ticket.requester == member_a
        assert ticket.subject == "VPN is down"
        assert "Please send help." in ticket.description
        assert row.ticket_id == ticket.pk


def test_mail_from_a_stranger_is_held_by_default(deliver, system_a, owner_a):
    deliver(
        message(sender="eve@outside.example", to=support_of(system_a)), to=[support_of(system_a)]
    )
    row = _only_message(system_a)
    assert row.status == Status.HELD
    assert "not a person of this System" in row.reason
    with in_schema(system_a):
        assert not Ticket.objects.exists()
        assert not Contact.objects.exists()


def test_a_stranger_becomes_a_contact_not_a_seat_when_anyone_may_write(deliver, system_a, owner_a):
    with in_schema(system_a):
        MailSettings.objects.create(who_may_write=WhoMayWrite.ANYONE)
    seats_before = type(system_a).objects.get(pk=system_a.pk).seats_used
    raw = message(sender="Eve@Outside.example", name="Eve Nguyễn", to=support_of(system_a))
    deliver(raw, to=[support_of(system_a)])
    assert _only_message(system_a).status == Status.TICKET
    with in_schema(system_a):
        ticket = Ticket.objects.get()
        assert ticket.requester is None
        assert ticket.contact.email == "eve@outside.example"
        assert ticket.contact.name == "Eve Nguyễn"
    assert type(system_a).objects.get(pk=system_a.pk).seats_used == seats_before


def test_the_same_message_twice_makes_one_ticket(deliver, system_a, member_a):
    raw = message(sender=member_a.email, to=support_of(system_a))
    deliver(raw, to=[support_of(system_a)])
    deliver(raw, to=[support_of(system_a)], via="imap")
    with in_schema(system_a):
        assert Ticket.objects.count() == 1
        assert InboundMessage.objects.filter(status=Status.DUPLICATE).count() == 1


def test_a_reply_threads_by_in_reply_to_of_our_notification(
    deliver, system_a, member_a, make_ticket
):
    ticket = make_ticket(member_a)
    with in_schema(system_a):
        sent = OutboundMessage.objects.create(
            message_id=addresses.new_message_id(slug=system_a.slug),
            ticket=ticket,
            to=member_a.email,
            kind="ticket_reply",
        )
    raw = message(
        sender=member_a.email,
        to=support_of(system_a),
        subject="Re: something else entirely",
        in_reply_to=sent.message_id,
    )
    deliver(raw, to=[support_of(system_a)])
    assert _only_message(system_a).status == Status.REPLY
    with in_schema(system_a):
        reply = Reply.objects.get()
        assert reply.ticket_id == ticket.pk and reply.via_mail and reply.author == member_a


def test_a_reply_threads_by_the_signed_token_in_the_address(
    deliver, system_a, member_a, make_ticket
):
    ticket = make_ticket(member_a)
    token_address = addresses.ticket_reply_address(slug=system_a.slug, number=ticket.number)
    deliver(message(sender=member_a.email, to=token_address), to=[token_address])
    assert _only_message(system_a).status == Status.REPLY


def test_a_forged_token_opens_no_thread(deliver, system_a, member_a, make_ticket):
    ticket = make_ticket(member_a)
    good = addresses.ticket_reply_address(slug=system_a.slug, number=ticket.number)
    forged = good.replace(f"+t{ticket.number}-", f"+t{ticket.number + 1}-")
    deliver(message(sender=member_a.email, to=forged), to=[forged])
    assert _only_message(system_a).status == Status.TICKET


def test_subject_number_threads_only_for_someone_on_the_ticket(
    deliver, system_a, member_a, other_member_a, make_ticket
):
    ticket = make_ticket(member_a)
    subject = f"Re: [#{ticket.number}] printer"
    deliver(
        message(sender=other_member_a.email, to=support_of(system_a), subject=subject),
        to=[support_of(system_a)],
    )
    deliver(
        message(sender=member_a.email, to=support_of(system_a), subject=subject),
        to=[support_of(system_a)],
    )
    with in_schema(system_a):
        outcomes = {m.from_address: m.status for m in InboundMessage.objects.all()}
    assert outcomes == {other_member_a.email: Status.TICKET, member_a.email: Status.REPLY}


def test_an_out_of_office_is_never_answered(deliver, system_a, member_a):
    raw = message(
        sender=member_a.email, to=support_of(system_a), headers={"Auto-Submitted": "auto-replied"}
    )
    deliver(raw, to=[support_of(system_a)])
    row = _only_message(system_a)
    assert row.status == Status.IGNORED
    with in_schema(system_a):
        assert not Ticket.objects.exists()


def test_a_message_that_breaks_the_parser_is_kept_as_failed(
    deliver, system_a, member_a, monkeypatch
):
    from tickets.mail.services import processing

    def explode(raw):
        raise UnicodeError("cannot read this")

    monkeypatch.setattr(processing, "parse", explode)
    deliver(message(sender=member_a.email, to=support_of(system_a)), to=[support_of(system_a)])
    row = _only_message(system_a)
    assert row.status == Status.FAILED
    assert "cannot read this" in row.reason
    with in_schema(system_a):
        assert row.raw.read().startswith(b"From:")


def test_a_reply_of_system_a_sent_to_system_b_never_reaches_a(
    deliver, system_a, system_b, member_a, user_b, make_ticket
):
    ticket = make_ticket(member_a)
    token_a = addresses.ticket_reply_address(slug=system_a.slug, number=ticket.number)
    # The token of A, moved onto B's domain: B doesn't know it, and A never sees the mail.
    moved = token_a.replace(system_a.slug, system_b.slug)
    deliver(message(sender=member_a.email, to=moved), to=[moved])
    with in_schema(system_a):
        assert not InboundMessage.objects.exists()
        assert Reply.objects.count() == 0
    with in_schema(system_b):
        assert InboundMessage.objects.get().status == Status.HELD


def test_one_message_to_two_systems_makes_one_ticket_in_each(
    deliver, system_a, system_b, member_a, user_b
):
    to = [support_of(system_a), support_of(system_b)]
    raw = message(sender=member_a.email, to=", ".join(to))
    for system in (system_a, system_b):
        with in_schema(system):
            MailSettings.objects.create(who_may_write=WhoMayWrite.ANYONE)
    deliver(raw, to=to)
    with in_schema(system_a):
        assert Ticket.objects.get().requester == member_a
    with in_schema(system_b):
        ticket = Ticket.objects.get()
        assert ticket.requester is None and ticket.contact.email == member_a.email


def test_deleting_a_mailed_ticket_for_good_deletes_its_original_mail(
    deliver, system_a, admin_a, member_a, django_capture_on_commit_callbacks
):
    from pathlib import Path

    from tickets.services.trash import ticket_purge, ticket_trash

    deliver(message(sender=member_a.email, to=support_of(system_a)), to=[support_of(system_a)])
    with in_schema(system_a):
        row = InboundMessage.objects.get()
        raw_path = Path(row.raw.path)
        assert raw_path.exists()
        with django_capture_on_commit_callbacks(execute=True):
            ticket = ticket_trash(actor=admin_a, ticket=row.ticket)
            ticket_purge(actor=admin_a, ticket=ticket)
        assert not InboundMessage.objects.exists()
    assert not raw_path.exists()


def test_a_sender_writing_faster_than_a_person_is_held(deliver, system_a, member_a, settings):
    settings.MAIL_PER_SENDER_PER_HOUR = 2
    for n in range(3):
        raw = message(sender=member_a.email, to=support_of(system_a), subject=f"Loop {n}")
        deliver(raw, to=[support_of(system_a)])
    with in_schema(system_a):
        statuses = list(InboundMessage.objects.order_by("id").values_list("status", flat=True))
        held = InboundMessage.objects.get(status=Status.HELD)
    assert statuses == [Status.TICKET, Status.TICKET, Status.HELD]
    assert "possible mail loop" in held.reason

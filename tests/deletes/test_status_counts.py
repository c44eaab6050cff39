"""The status counters (a trigger) leave out tickets in the trash, whatever happens to them
there: trashed, changed, restored, purged — the counters always equal a recount."""

from django.db.models import Count
from django.utils import timezone

from tests.support.tenancy import in_schema
from tickets.models import StatusCount, Ticket


def recount() -> dict[str, int]:
    rows = Ticket.objects.filter(deleted_at__isnull=True).values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def kept() -> dict[str, int]:
    return {status: n for status, n in StatusCount.objects.values_list("status", "n") if n}


def test_the_counters_always_equal_a_recount_of_live_tickets(system_a, member_a, make_ticket):
    tickets = [make_ticket(member_a, subject=f"T{n}") for n in range(4)]
    with in_schema(system_a):
        first, second, third, _fourth = (Ticket.objects.get(pk=t.pk) for t in tickets)
        assert kept() == recount() == {"new": 4}

        Ticket.objects.filter(pk=first.pk).update(deleted_at=timezone.now())
        assert kept() == recount() == {"new": 3}
        Ticket.objects.filter(pk=first.pk).update(status="closed")  # changed in the trash
        assert kept() == recount()
        Ticket.objects.filter(pk=second.pk).update(status="open")
        assert kept() == recount() == {"new": 2, "open": 1}
        Ticket.objects.filter(pk=first.pk).update(deleted_at=None)  # restored, now closed
        assert kept() == recount() == {"new": 2, "open": 1, "closed": 1}
        Ticket.objects.filter(pk=third.pk).update(deleted_at=timezone.now(), status="solved")
        Ticket.objects.filter(pk=third.pk).delete()  # purged from the trash
        assert kept() == recount() == {"new": 1, "open": 1, "closed": 1}
        Ticket.objects.filter(pk=second.pk).delete()  # a live one deleted outright
        assert kept() == recount() == {"new": 1, "closed": 1}

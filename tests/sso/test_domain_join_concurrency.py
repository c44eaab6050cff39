"""Eight people of a verified domain finish joining at the same moment; one seat is free.
The join takes the System's lock as an invitation's accept does: exactly one account."""

from __future__ import annotations

import threading

from django.db import connection
from django.utils import timezone

from accounts.models import Role, SeatEvent, User
from accounts.sso import selectors, services
from accounts.sso.models import SingleSignOn, VerifiedDomain
from tests.support.tenancy import in_schema


def test_concurrent_domain_joins_for_one_free_seat_make_exactly_one_account(committed):
    system = committed.system("ssocrowd", owner="owner@ssocrowd.example")
    with in_schema(system):
        SingleSignOn.objects.create(domain_join=True)
        VerifiedDomain.objects.create(
            domain="crowd.example", token="t", added_by_label="Owner", verified_at=timezone.now()
        )
    system.seat_cap = 2  # the owner holds one
    system.save(update_fields=["seat_cap"])

    start = threading.Barrier(8)
    outcomes: list[str] = []
    lock = threading.Lock()

    def join(n: int) -> None:
        try:
            with in_schema(system):
                start.wait()
                try:
                    services.sso_join(
                        email=f"p{n}@crowd.example",
                        full_name=f"P {n}",
                        uid=f"sub-{n}",
                        extra_data={},
                        ip=None,
                        user_agent="",
                    )
                    outcome = "joined"
                except services.JoinRefused as refusal:
                    outcome = refusal.reason
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=join, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["joined"] + [selectors.NO_SEAT] * 7
    with in_schema(system):
        assert User.objects.filter(role=Role.MEMBER).count() == 1
        assert SeatEvent.objects.filter(delta=1).count() == 2  # the owner's and the joiner's
    system.refresh_from_db()
    assert system.seats_used == 2

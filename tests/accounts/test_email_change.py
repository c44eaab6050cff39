"""Changing one's email address: the new one must be confirmed before it replaces the old."""

import re

from django.core import mail
from django.test import Client

from accounts.models import AuditEvent, User
from tests.factories import PASSWORD
from tests.support.tenancy import host_of, in_schema


def test_a_new_address_replaces_the_old_only_once_confirmed(
    system_a, agent_a, django_capture_on_commit_callbacks
):
    client = Client(HTTP_HOST=host_of(system_a))
    client.post("/accounts/login/", {"login": agent_a.email, "password": PASSWORD})
    # Changing the address asks for the password again, then carries on with the change.
    asked = client.post("/accounts/email/", {"action_add": "", "email": "arno@new.example"})
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(asked["Location"], {"password": PASSWORD})

    with in_schema(system_a):
        assert User.objects.get(pk=agent_a.pk).email == agent_a.email  # not yet
    to_new = next(m for m in mail.outbox if m.to == ["arno@new.example"])
    confirm_path = re.search(
        r"http://alpha\.localhost(/accounts/confirm-email/\S+/)", to_new.body
    ).group(1)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm_path)

    with in_schema(system_a):
        assert User.objects.get(pk=agent_a.pk).email == "arno@new.example"
        assert AuditEvent.objects.filter(
            action="email_changed", target_label="arno@new.example"
        ).exists()
    fresh = Client(HTTP_HOST=host_of(system_a))
    assert (
        fresh.post("/accounts/login/", {"login": "arno@new.example", "password": PASSWORD})[
            "Location"
        ]
        == "/"
    )

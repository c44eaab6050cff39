"""A restore brings data back, never old ways in: each person keeps today's password, second
factors, role and active flag; people deleted since come back unable to sign in."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEvent, Role, User
from accounts.services.people import ownership_transfer
from accounts.services.removal import user_delete
from tenants.backups.models import Backup, Restore
from tenants.backups.services import backups, restores
from tenants.models import System
from tests.backups.conftest import fill
from tests.factories import PASSWORD
from tests.support.tenancy import host_of, in_schema

NEW_PASSWORD = "changed-after-the-leak-7"


def _backup(system: System) -> Backup:
    backup = backups.backup_request(system=system)
    backup.refresh_from_db()
    assert backup.status == Backup.Status.OK, backup.error
    return backup


def _restore(system: System, backup: Backup) -> System:
    restore = restores.restore_start(backup=backup, operator="op@example.com")
    restore.refresh_from_db()
    assert restore.status == Restore.Status.SWAPPED, restore.error
    system.refresh_from_db()
    assert system.schema_name == restore.restored_schema
    return system


def _login(system: System, email: str, password: str):
    return Client(HTTP_HOST=host_of(system)).post(
        "/accounts/login/", {"login": email, "password": password}
    )


def test_a_restore_keeps_todays_passwords_second_factors_roles_and_active_flags(
    backups_cleanup, mailoutbox
):
    system = backups_cleanup.system(
        "bk-signin",
        owner="owner@bk-signin.example",
        admin="admin@bk-signin.example",
        agent="agent@bk-signin.example",
        member="member@bk-signin.example",
    )
    fill(system, tickets=1)
    with in_schema(system):
        # A second factor on a phone that is lost after the backup.
        lost_phone = TOTP.activate(User.objects.get(role=Role.ADMIN), "JBSWY3DPEHPK3PXP")
    backup = _backup(system)

    # After the backup: the agent's password leaked and was changed, he became an admin and
    # added a second factor; the admin removed her lost phone; the member left.
    with in_schema(system):
        agent = User.objects.get(email="agent@bk-signin.example")
        agent.set_password(NEW_PASSWORD)
        agent.role = Role.ADMIN
        agent.save()
        added = TOTP.activate(agent, "KRSXG5CTMVRXEZLU").instance
        lost_phone.instance.delete()
        User.objects.filter(email="member@bk-signin.example").update(
            is_active=False, deactivated_at=timezone.now()
        )
    assert _login(system, agent.email, PASSWORD).status_code == 200  # the old one is refused

    system = _restore(system, backup)

    with in_schema(system):
        agent = User.objects.get(email="agent@bk-signin.example")
        assert agent.check_password(NEW_PASSWORD) and not agent.check_password(PASSWORD)
        assert agent.role == Role.ADMIN
        (factor,) = Authenticator.objects.filter(user=agent)
        assert (factor.pk, factor.type, factor.data) == (added.pk, "totp", added.data)
        assert not Authenticator.objects.filter(user__email="admin@bk-signin.example").exists()
        assert not User.objects.get(email="member@bk-signin.example").is_active
        assert User.objects.get(role=Role.OWNER).email == "owner@bk-signin.example"
        # The sequence went on past the kept factors: a new one gets a free id.
        TOTP.activate(User.objects.get(role=Role.OWNER), "MFRGGZDFMZTWQ2LK")
        restored = AuditEvent.objects.get(action=AuditEvent.Action.SYSTEM_RESTORED)
        assert (restored.detail["sign_in_kept"], restored.detail["deactivated"]) == (4, 0)
    # At the sign-in page: the old password is refused, the new one leads to the second step.
    assert _login(system, agent.email, PASSWORD).status_code == 200
    second_step = _login(system, agent.email, NEW_PASSWORD)
    assert second_step.status_code == 302 and "/2fa/" in second_step["Location"]
    assert system.seats_used == 3  # owner, admin, agent
    (told,) = [
        m for m in mailoutbox if m.to == ["owner@bk-signin.example"] and "restored" in m.subject
    ]
    assert "never brings back old passwords" in told.body


def test_people_deleted_since_come_back_deactivated_and_todays_owner_stays_the_owner(
    backups_cleanup,
):
    system = backups_cleanup.system(
        "bk-owner",
        owner="owner@bk-owner.example",
        admin="admin@bk-owner.example",
        agent="leaver@bk-owner.example",
    )
    backup = _backup(system)
    with in_schema(system):
        owner = User.objects.get(email="owner@bk-owner.example")
        ownership_transfer(actor=owner, new_owner=User.objects.get(email="admin@bk-owner.example"))
        user_delete(actor=owner, user=User.objects.get(email="leaver@bk-owner.example"))

    system = _restore(system, backup)

    with in_schema(system):
        assert list(User.objects.filter(role=Role.OWNER).values_list("email", flat=True)) == [
            "admin@bk-owner.example"
        ]
        assert User.objects.get(email="owner@bk-owner.example").role == Role.ADMIN
        leaver = User.objects.get(email="leaver@bk-owner.example")  # back, with his tickets
        assert not leaver.is_active and not leaver.has_usable_password()
        restored = AuditEvent.objects.get(action=AuditEvent.Action.SYSTEM_RESTORED)
        assert restored.detail["deactivated"] == 1
    assert _login(system, "leaver@bk-owner.example", PASSWORD).status_code == 200
    assert (system.owner_email, system.seats_used) == ("admin@bk-owner.example", 2)


def test_when_todays_owner_is_not_in_the_backup_the_backups_owner_stays_the_owner(
    backups_cleanup,
):
    system = backups_cleanup.system(
        "bk-heir", owner="founder@bk-heir.example", admin="admin@bk-heir.example"
    )
    backup = _backup(system)
    with in_schema(system):
        from accounts.services.seats import user_register

        founder = User.objects.get(email="founder@bk-heir.example")
        heir = user_register(email="heir@bk-heir.example", full_name="Heir", role=Role.ADMIN)
        ownership_transfer(actor=founder, new_owner=heir)

    system = _restore(system, backup)

    with in_schema(system):
        assert not User.objects.filter(email="heir@bk-heir.example").exists()
        founder = User.objects.get(role=Role.OWNER)
        assert founder.email == "founder@bk-heir.example" and founder.is_active
        assert founder.check_password(PASSWORD)
    assert system.owner_email == "founder@bk-heir.example"

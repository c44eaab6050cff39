"""The first operator account is made by a command, with a strong password nobody published."""

import io

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from accounts.models import User


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("createoperator", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_without_a_terminal_it_generates_a_strong_password_and_prints_it_once(db):
    output = _run("--email", "Boss@Example.com", "--name", "Bo Boss")

    (line,) = [line for line in output.splitlines() if line.startswith("Password")]
    password = line.rsplit(" ", 1)[1]
    boss = User.objects.get(email="boss@example.com")
    assert len(password) >= 32 and boss.check_password(password)
    assert boss.is_staff and boss.is_superuser  # the first operator may do everything
    assert list(boss.groups.values_list("name", flat=True)) == ["Superuser"]
    assert EmailAddress.objects.get(user=boss).verified
    assert "second factor" in output


def test_later_operators_get_the_groups_named(db):
    _run("--email", "first@example.com")

    _run("--email", "money@example.com", "--group", "Billing")

    money = User.objects.get(email="money@example.com")
    assert money.is_staff and not money.is_superuser
    assert list(money.groups.values_list("name", flat=True)) == ["Billing"]


def test_an_existing_address_is_refused(db):
    _run("--email", "first@example.com")

    with pytest.raises(CommandError, match="already has an account"):
        _run("--email", "first@example.com", "--group", "Support")


def test_on_a_terminal_it_asks_until_the_password_is_strong(db, monkeypatch):
    typed = iter(["short", "short", "a-long-unusual-passphrase", "a-long-unusual-passphrase"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))

    output = _run("--email", "asked@example.com")

    assert "Password (shown once" not in output
    assert User.objects.get(email="asked@example.com").check_password("a-long-unusual-passphrase")

"""Make an operator account (the first one, or another): a staff account of the public site.

    python manage.py createoperator --email you@example.com [--name "…"] [--group Billing]

On a terminal it asks for the password twice; otherwise (a script, `docker compose exec -T`)
it generates a strong one and prints it once. The first account (or `--superuser`) may do
everything, operators and groups included; others get the groups named. Everyone sets up a
second factor at the first sign-in before admin opens.
"""

from __future__ import annotations

import getpass
import secrets
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.services.operator_accounts import OPERATOR_GROUPS, operator_account_create
from tenants.selectors import public_url

GENERATED_BYTES = 24  # 32 URL-safe characters


class Command(BaseCommand):
    help = "Create an operator account for admin (asks for, or generates, a strong password)."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", default="", help="Full name.")
        parser.add_argument(
            "--group",
            action="append",
            choices=OPERATOR_GROUPS,
            default=[],
            help="Operator group (repeatable). Default: Superuser for the first operator.",
        )
        parser.add_argument("--superuser", action="store_true", help="May do everything.")
        parser.add_argument(
            "--generate-password",
            action="store_true",
            help="Don't ask even on a terminal: generate one and print it once.",
        )

    def handle(self, *args, email, name, group, superuser, generate_password, **options):
        first = not User.objects.filter(is_staff=True).exists()
        superuser = superuser or first
        groups = group or (["Superuser"] if superuser else [])
        if not groups:
            raise CommandError("Name at least one --group (or --superuser).")
        asks = sys.stdin.isatty() and not generate_password
        password = self._ask() if asks else secrets.token_urlsafe(GENERATED_BYTES)
        try:
            user = operator_account_create(
                email=email,
                full_name=name or email.split("@", 1)[0],
                password=password,
                groups=groups,
                superuser=superuser,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Operator {user.email} created ({', '.join(groups)}).")
        if not asks:
            self.stdout.write(f"Password (shown once, store it now): {password}")
        self.stdout.write(
            f"Sign in at {public_url(path='/admin/')} and set up an authenticator app "
            "when asked: admin opens only with a second factor."
        )

    def _ask(self) -> str:
        while True:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The two passwords differ; try again.")
                continue
            try:
                validate_password(password)
            except ValidationError as error:
                self.stderr.write(" ".join(error.messages))
                continue
            return password

"""Idempotent demo data for `make run`: an operator and System `acme` with four people and
three dozen tickets (tenants/management/demo_content.py), unless it already has tickets.

Their passwords are printed in the README, so the command refuses to run unless DEBUG is on:
a deployment makes its first operator with `createoperator` instead.
"""

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services.operator_accounts import operator_account_create
from accounts.services.seats import user_register
from legal.selectors import terms_current
from legal.services.terms import terms_accept
from tenants import selectors
from tenants.management.demo_kb import kb_fill
from tenants.management.demo_mail import mail_fill
from tenants.management.demo_responses import responses_fill
from tenants.management.demo_tickets import tickets_fill
from tenants.models import System
from tenants.onboarding import services
from tickets.mail.addresses import support_address

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - printed on screen; demo data only
# The demo operator's authenticator (admin needs a second factor); `demo --code` prints the
# current code, or add it to an authenticator app.
DEMO_TOTP_SECRET = "DEMODESKDEMODESKDEMODESKDEMODESK"  # noqa: S105 - development only
OPERATOR_EMAIL = "operator@example.com"
PEOPLE = [
    ("owner@acme.example", "Olivia Owner", User.Role.OWNER),
    ("admin@acme.example", "Adam Admin", User.Role.ADMIN),
    ("agent@acme.example", "Ava Agent", User.Role.AGENT),
    ("member@acme.example", "Max Member", User.Role.MEMBER),
]


class Command(BaseCommand):
    help = "Create (or keep) the demo operator and the demo System `acme`."

    def add_arguments(self, parser):
        parser.add_argument("--slug", default="acme")
        parser.add_argument(
            "--summary-only", action="store_true", help="Only print the URLs and logins."
        )
        parser.add_argument(
            "--code",
            action="store_true",
            help="Print the demo operator's current two-factor code (admin asks for one).",
        )

    def handle(self, *args, slug: str, summary_only: bool = False, **options):
        if not settings.DEBUG:
            raise CommandError(
                "The demo's accounts have published passwords: it runs only in development "
                "(DEBUG=1). Make the first operator with `manage.py createoperator`."
            )
        if options["code"]:
            self.stdout.write(
                format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30))
            )
            return
        if not summary_only:
            made = self._ensure(slug)
            if made and options["verbosity"] > 0:
                self.stdout.write(f"Filled the demo System with {made} tickets.")
        if options["verbosity"] > 0:
            self._print_summary(System.objects.get(slug=slug))

    def _ensure(self, slug: str) -> int:
        """Make what is missing; returns how many tickets were made."""
        with transaction.atomic():
            operator = User.objects.filter(email=OPERATOR_EMAIL).first()
            if operator is None:
                operator = operator_account_create(
                    email=OPERATOR_EMAIL,
                    full_name="Demo Operator",
                    password=DEMO_PASSWORD,
                    groups=["Superuser"],
                    superuser=True,
                )
            if not Authenticator.objects.filter(user=operator, type="totp").exists():
                TOTP.activate(operator, DEMO_TOTP_SECRET)
        system = System.objects.filter(slug=slug).first()
        if system is None:
            customer = services.customer_create(name="Acme Ltd", email="billing@acme.example")
            system = services.system_create(customer=customer, name="Acme Support", slug=slug)
        terms = terms_current()
        with schema_context(system.schema_name), transaction.atomic():
            for email, name, role in PEOPLE:
                if not User.objects.filter(email=email).exists():
                    person = user_register(
                        email=email, full_name=name, role=role, password=DEMO_PASSWORD
                    )
                    if terms is not None:  # as if each had joined through the front door
                        terms_accept(user=person, version=terms, ip=None, user_agent="demo")
        with schema_context(system.schema_name):
            people = {role.value: User.objects.get(email=email) for email, _, role in PEOPLE}
            try:
                made = tickets_fill(people=people)
                if made:  # a System that had tickets of its own gets no demo mail either
                    mail_fill(slug=system.slug, people=people)
                    responses_fill(people=people)
                kb_fill(people=people)  # unless it has a knowledge base of its own
                return made
            except (ValidationError, PermissionDenied) as error:
                # Someone changed the demo's people (a role, an account switched off): the
                # System stays as it is and `make run` goes on.
                self.stderr.write(f"No demo tickets: the demo's people have changed ({error}).")
                return 0

    def _print_summary(self, system: System) -> None:
        lines = [
            "",
            "Service Desk is ready.",
            f"  Public site:  {selectors.public_url()}",
            f"  Admin:        {selectors.public_url(path='/admin/')}"
            f"  ({OPERATOR_EMAIL} / {DEMO_PASSWORD}, then the code from "
            "`uv run python manage.py demo --code`)",
            f"  Demo System:  {selectors.system_url(system=system)}",
        ]
        lines += [f"    {role.label:<7} {email} / {DEMO_PASSWORD}" for email, _, role in PEOPLE]
        lines.append(f"  Health:       {selectors.public_url(path='/healthz')}")
        if settings.DEBUG:
            receiver = f"{settings.MAIL_RECEIVER_HOST}:{settings.MAIL_RECEIVER_PORT}"
            lines.append(
                f"  Mail in:      SMTP at {receiver}, to {support_address(slug=system.slug)}"
                " (README: Mail)"
            )
            lines.append(
                f"  Mail outbox:  {selectors.public_url(path='/dev/mail/')}  (sent and received)"
            )
        self.stdout.write("\n".join(lines) + "\n")

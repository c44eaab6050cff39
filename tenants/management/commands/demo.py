"""Idempotent demo data for `make run`: an operator and System `acme` with four people."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services.seats import user_register
from legal.selectors import terms_current
from legal.services.terms import terms_accept
from tenants import selectors, services
from tenants.models import System

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - printed on screen; demo data only
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

    def handle(self, *args, slug: str, summary_only: bool = False, **options):
        if not summary_only:
            self._ensure(slug)
        if options["verbosity"] > 0:
            self._print_summary(System.objects.get(slug=slug))

    def _ensure(self, slug: str) -> None:
        with transaction.atomic():
            operator = User.objects.filter(email=OPERATOR_EMAIL).first()
            if operator is None:
                User.objects.create_superuser(
                    OPERATOR_EMAIL, DEMO_PASSWORD, full_name="Demo Operator"
                )
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

    def _print_summary(self, system: System) -> None:
        lines = [
            "",
            "Service Desk is ready.",
            f"  Public site:  {selectors.public_url()}",
            f"  Admin:        {selectors.public_url(path='/admin/')}"
            f"  ({OPERATOR_EMAIL} / {DEMO_PASSWORD})",
            f"  Demo System:  {selectors.system_url(system=system)}",
        ]
        lines += [f"    {role.label:<7} {email} / {DEMO_PASSWORD}" for email, _, role in PEOPLE]
        lines.append(f"  Health:       {selectors.public_url(path='/healthz')}")
        self.stdout.write("\n".join(lines) + "\n")

"""Helpers for tests that cross schemas and hosts."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.test import Client
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services.seats import user_register
from tenants import services
from tenants.models import (
    Customer,
    Invoice,
    InvoiceCounter,
    Payment,
    Plan,
    System,
    SystemDeletion,
)
from tests.factories import PASSWORD, PlanFactory, accept_current_terms

SLUG_A = "alpha"
SLUG_B = "bravo"
# Text that only System A holds; a response on B's side that contains it leaked.
CANARY_A = "Canary-Alpha-7f3c"


@contextmanager
def in_schema(system: System) -> Iterator[System]:
    with schema_context(system.schema_name):
        yield system


def host_of(system: System) -> str:
    return f"{system.slug}.{settings.BASE_DOMAIN}"


def client_for(system: System | None, user: User | None = None) -> Client:
    """A test client talking to ``system``'s host (the public site when None).

    Django's test client sends every cookie to every host, so a client logged in at one
    System and pointed at another plays exactly the attacker who copied a cookie over.
    """
    host = host_of(system) if system else settings.BASE_DOMAIN
    client = Client(HTTP_HOST=host)
    if user is not None:
        assert system is not None
        with in_schema(system):
            client.force_login(user)
    return client


class Committed:
    """Makes Systems whose rows are committed, and removes them afterwards."""

    def __init__(self) -> None:
        self.system_floor = System.objects.order_by("-id").values_list("id", flat=True).first()
        self.customer_floor = Customer.objects.order_by("-id").values_list("id", flat=True).first()
        self.claimed_before = set(
            System.objects.exclude(status=System.Status.POOLED).values_list("id", flat=True)
        )
        self.plans: list[int] = []
        self.operators: list[int] = []

    def plan(self, **fields) -> Plan:
        plan = PlanFactory(**fields)
        self.plans.append(plan.pk)
        return plan

    def operator(self, email: str) -> Client:
        """A signed-in operator (superuser) at the public site's admin."""
        user = User.objects.create_superuser(email, PASSWORD, full_name="Operator")
        self.operators.append(user.pk)
        client = Client(HTTP_HOST=settings.BASE_DOMAIN)
        client.force_login(user)
        return client

    def system(self, slug: str, **people: str) -> System:
        """A new System at ``slug``; keyword arguments are role=email of its people."""
        customer = services.customer_create(name=f"{slug} Ltd", email=f"billing@{slug}.example")
        system = services.system_create(customer=customer, name=f"{slug.title()} Desk", slug=slug)
        # A rolled-back test may have claimed this pooled schema before and written files for
        # it: the rows went with the rollback, the files on disk did not.
        stale = Path(settings.MEDIA_ROOT) / "systems" / system.schema_name
        shutil.rmtree(stale, ignore_errors=True)
        # ...and sequences don't roll back: an import sets the ticket numbers going on from
        # the archive's, so a fresh System here may have started at #717.
        with connection.cursor() as cursor:
            cursor.execute(f'ALTER SEQUENCE "{system.schema_name}".tickets_number_seq RESTART')
        with in_schema(system):
            for role, email in people.items():
                user = user_register(
                    email=email, full_name=f"{role.title()} of {slug}", role=role, password=PASSWORD
                )
                accept_current_terms(user)
        return system

    def cleanup(self) -> None:
        connection.set_schema_to_public()
        # New schemas, and pooled ones claimed during the test.
        made_here = Q(id__gt=self.system_floor or 0) | (
            ~Q(status=System.Status.POOLED) & ~Q(id__in=self.claimed_before)
        )
        for system in System.objects.filter(made_here):
            with connection.cursor() as cursor:
                cursor.execute(f'DROP SCHEMA IF EXISTS "{system.schema_name}" CASCADE')
            system.domains.all().delete()
            System.objects.filter(pk=system.pk).delete()
        new_customers = Customer.objects.filter(id__gt=self.customer_floor or 0)
        Payment.objects.filter(invoice__customer__in=new_customers).delete()
        Invoice.objects.filter(customer__in=new_customers).delete()
        SystemDeletion.objects.filter(customer__in=new_customers).delete()
        new_customers.delete()
        Plan.objects.filter(pk__in=self.plans).delete()
        _delete_public_users(self.operators)
        if not Invoice.objects.exists():
            InvoiceCounter.objects.all().delete()  # numbers start again at 1 for other tests

        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


def _delete_public_users(ids: list[int]) -> None:
    """Remove operators made by a test. The ORM's cascade would follow the relations of
    tenant-only tables that public doesn't have, so clear the public ones it does have."""
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, a.attname
            FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
            WHERE c.contype = 'f' AND c.confrelid = 'public.accounts_user'::regclass
            """
        )
        for table, column in cursor.fetchall():
            cursor.execute(f'DELETE FROM {table} WHERE "{column}" = ANY(%s)', [ids])
        cursor.execute("DELETE FROM public.accounts_user WHERE id = ANY(%s)", [ids])

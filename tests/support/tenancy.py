"""Helpers for tests that cross schemas and hosts."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.test import Client
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services.seats import user_register
from legal.models import TakedownNotice
from tenants.billing.models import Invoice, InvoiceCounter, Payment, Plan
from tenants.lifecycle.models import SystemDeletion
from tenants.models import Customer, System
from tenants.onboarding import services as onboarding
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


_HANDOFF_FORM = re.compile(
    r'<form method="post" action="(?P<action>[^"]+)">\s*'
    r'<input type="hidden" name="token" value="(?P<token>[^"]+)">'
)


def handoff_form(response) -> tuple[str, str]:
    """The action and token of the hand-over page shown after a signup or a new System."""
    assert response.status_code == 200, response.status_code
    found = _HANDOFF_FORM.search(response.content.decode())
    assert found, "no hand-over form on the page"
    return found["action"], found["token"]


def handoff_follow(response, *, origin: str = f"http://{settings.BASE_DOMAIN}") -> Client:
    """Press the hand-over page's button: a client signed in at the new System."""
    action, token = handoff_form(response)
    parts = urlsplit(action)
    client = Client(HTTP_HOST=parts.hostname)
    landed = client.post(parts.path, {"token": token}, HTTP_ORIGIN=origin)
    assert landed.status_code == 302 and landed["Location"] == "/", landed
    return client


def operator_client(user: User) -> Client:
    """A client signed in as the operator ``user`` at the public site, in a session where a
    second factor was used (as allauth records it after a TOTP code), so admin opens."""
    client = Client(HTTP_HOST=settings.BASE_DOMAIN)
    client.force_login(user)
    session = client.session
    now = time.time()
    session["account_authentication_methods"] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
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
        return operator_client(user)

    def system(self, slug: str, **people: str) -> System:
        """A new System at ``slug``; keyword arguments are role=email of its people."""
        customer = onboarding.customer_create(name=f"{slug} Ltd", email=f"billing@{slug}.example")
        system = onboarding.system_create(customer=customer, name=f"{slug.title()} Desk", slug=slug)
        # A rolled-back test may have claimed this pooled schema before and written files for
        # it: the rows went with the rollback, the files on disk did not...
        stale = Path(settings.MEDIA_ROOT) / "systems" / system.schema_name
        shutil.rmtree(stale, ignore_errors=True)
        # ...nor did its sequences (PostgreSQL never rolls them back): a System claimed in
        # production numbers its first ticket 1, and so does this one.
        _sequences_restart(system.schema_name)
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
            # As good as new, the schema goes back to the pool for the next test (migrating
            # one costs seconds); one a test changed the shape of is dropped.
            recycled = schema_recycle(system.schema_name)
            if not recycled:
                with connection.cursor() as cursor:
                    cursor.execute(f'DROP SCHEMA IF EXISTS "{system.schema_name}" CASCADE')
            system.domains.all().delete()
            # The operator's notices outlive a deleted System; not a test's.
            TakedownNotice.objects.filter(system=system).delete()
            System.objects.filter(pk=system.pk).delete()
            if recycled:
                System(schema_name=system.schema_name, status=System.Status.POOLED).save()
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


# --- schemas as good as new ------------------------------------------------------------------

PRISTINE = "test_pristine"
# The tables of a freshly migrated schema, and how many migrations made it (set once per
# test database by pristine_snapshot).
_pristine: dict[str, object] = {}


def _tables(schema: str) -> frozenset[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [schema])
        return frozenset(name for (name,) in cursor.fetchall())


def pristine_snapshot() -> None:
    """Copy the rows a freshly migrated schema holds (content types, permissions, counters)
    from a pooled schema no test has touched, so ``schema_recycle`` can make a used schema
    as good as new."""
    pooled = (
        System.objects.filter(status=System.Status.POOLED, claimed_at__isnull=True)
        .order_by("id")
        .first()
    )
    if pooled is None:
        from tenants.services import pool_schema_add

        pooled = pool_schema_add()
    schema = pooled.schema_name
    tables = _tables(schema)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{PRISTINE}" CASCADE')
        cursor.execute(f'CREATE SCHEMA "{PRISTINE}"')
        for table in sorted(tables - {"django_migrations"}):
            cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{schema}"."{table}")')
            if cursor.fetchone()[0]:
                cursor.execute(f'CREATE TABLE "{PRISTINE}"."{table}" AS TABLE "{schema}"."{table}"')
        cursor.execute(f'SELECT count(*) FROM "{schema}".django_migrations')
        migrations = cursor.fetchone()[0]
    _pristine.update(tables=tables, migrations=migrations, rows=_tables(PRISTINE))


def schema_recycle(schema: str) -> bool:
    """Empty ``schema`` back to what migrating it left; False (nothing done) when its tables
    or migrations are not those of a fresh schema, or there is no snapshot."""
    if not _pristine or _tables(schema) != _pristine["tables"]:
        return False
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{schema}".django_migrations')
        if cursor.fetchone()[0] != _pristine["migrations"]:
            return False
        # Past the triggers that keep the audit log append-only (a test's database only).
        cursor.execute("SET LOCAL session_replication_role = replica")
        emptied = sorted(_pristine["tables"] - {"django_migrations"})  # type: ignore[operator]
        cursor.execute(
            "TRUNCATE "
            + ", ".join(f'"{schema}"."{table}"' for table in emptied)
            + " RESTART IDENTITY CASCADE"
        )
        for table in sorted(_pristine["rows"]):  # type: ignore[call-overload]
            cursor.execute(f'INSERT INTO "{schema}"."{table}" SELECT * FROM "{PRISTINE}"."{table}"')
            cursor.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = %s AND table_name = %s AND column_name = 'id' "
                "AND (is_identity = 'YES' OR column_default LIKE 'nextval%%')",
                [schema, table],
            )
            if cursor.fetchone():
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{schema}\".\"{table}\"', 'id'), "
                    f'(SELECT max(id) FROM "{schema}"."{table}"))'
                )
    _sequences_restart(schema)
    return True


def _sequences_restart(schema: str) -> None:
    """Restart every sequence of ``schema`` whose table is empty, and the free-standing ones
    (ticket numbers) when the schema holds no ticket."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT seq.relname, owner.relname
            FROM pg_class seq
            JOIN pg_namespace ns ON ns.oid = seq.relnamespace
            LEFT JOIN pg_depend dep
              ON dep.objid = seq.oid AND dep.classid = 'pg_class'::regclass AND dep.deptype = 'a'
            LEFT JOIN pg_class owner ON owner.oid = dep.refobjid
            WHERE seq.relkind = 'S' AND ns.nspname = %s
            """,
            [schema],
        )
        for sequence, table in cursor.fetchall():
            cursor.execute(
                f'SELECT EXISTS (SELECT 1 FROM "{schema}"."{table or "tickets_ticket"}")'
            )
            if not cursor.fetchone()[0]:
                cursor.execute(f'ALTER SEQUENCE "{schema}"."{sequence}" RESTART')


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

"""Shared test fixtures.

Two Systems exist for the whole session, made once per test database: A (``alpha``) and B
(``bravo``). Each test runs in a transaction that is rolled back, so the people and rows a
test makes vanish afterwards. Three actors, after Healthchecks' alice/bob/charlie: the
owner and an agent of System A, and a user of System B.

Tests that need committed data (a real worker, a browser against a live server, real
concurrency) use ``committed``: it makes its own Systems and drops them afterwards.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client
from django.utils import timezone, translation

from accounts.models import User
from legal import selectors as legal_selectors
from tenants.models import System
from tenants.onboarding import services as onboarding
from tests.factories import PASSWORD, UserFactory
from tests.support.tenancy import (
    CANARY_A,
    SLUG_A,
    SLUG_B,
    Committed,
    client_for,
    in_schema,
    operator_client,
    pristine_snapshot,
)
from tickets.services.tickets import ticket_create


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_modify_db_settings, django_db_blocker
):
    """The test database, always: pytest-django would skip it when no test asks for `db`,
    and the tests that use committed data (workers, browsers) don't."""
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        config = setup_databases(
            verbosity=request.config.option.verbose,
            interactive=False,
            aliases={"default"},
            serialized_aliases=set(),
        )
        assert connection.settings_dict["NAME"].startswith("test_"), "not a test database"
        for slug in (SLUG_A, SLUG_B):
            customer = onboarding.customer_create(
                name=f"{slug.title()} Inc", email=f"billing@{slug}.example"
            )
            onboarding.system_create(customer=customer, name=f"{slug.title()} Support", slug=slug)
        pristine_snapshot()
    yield
    with django_db_blocker.unblock():
        # Live-server threads kept alive by browser keep-alive may still hold connections.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        connections.close_all()
        teardown_databases(config, verbosity=request.config.option.verbose)


@pytest.fixture(autouse=True)
def _public_schema_around_each_test():
    connection.set_schema_to_public()
    yield
    connection.set_schema_to_public()


@pytest.fixture(autouse=True)
def _default_language_and_zone_around_each_test():
    # A request activates its reader's language and zone for the thread (as every request
    # does in production); a test that made one must not leave it to the next test, which
    # may call services directly.
    translation.activate(settings.LANGUAGE_CODE)
    timezone.deactivate()
    yield
    translation.activate(settings.LANGUAGE_CODE)
    timezone.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    # The cache is a real Redis database of this xdist worker's own (settings_test).
    cache.clear()
    # Per-process caches of public rows that tests create and roll back.
    legal_selectors.versions_forget()
    legal_selectors.providers_forget()
    yield
    legal_selectors.versions_forget()
    legal_selectors.providers_forget()


@pytest.fixture(autouse=True, scope="session")
def _fresh_media_root():
    roots = (
        settings.MEDIA_ROOT,
        settings.EXPORT_ROOT,
        settings.BACKUP_ROOT,
        settings.LEGAL_DOCUMENT_ROOT,
    )
    for root in roots:
        shutil.rmtree(root, ignore_errors=True)
    yield
    for root in roots:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def system_a(db) -> System:
    return System.objects.get(slug=SLUG_A)


@pytest.fixture
def system_b(db) -> System:
    return System.objects.get(slug=SLUG_B)


@pytest.fixture
def owner_a(system_a) -> User:
    with in_schema(system_a):
        return UserFactory(
            email="owner@alpha.example", full_name=f"Olga {CANARY_A}", role=User.Role.OWNER
        )


@pytest.fixture
def agent_a(system_a) -> User:
    with in_schema(system_a):
        return UserFactory(
            email="agent@alpha.example", full_name="Arno Agent", role=User.Role.AGENT
        )


@pytest.fixture
def admin_a(system_a) -> User:
    with in_schema(system_a):
        return UserFactory(email="admin@alpha.example", full_name="Ada Admin", role=User.Role.ADMIN)


@pytest.fixture
def member_a(system_a) -> User:
    with in_schema(system_a):
        return UserFactory(email="mia@alpha.example", full_name="Mia Member", role=User.Role.MEMBER)


@pytest.fixture
def make_ticket(system_a):
    """``make_ticket(actor, subject=..., description=..., files=[...], **fields)``: a ticket
    in System A through the service (files: uploads, or (name, bytes) pairs)."""

    def make(
        actor,
        subject="Printer on floor 3 is jammed",
        description="It shows error E42.",
        files=(),
        **fields,
    ):
        uploads = [SimpleUploadedFile(*item) if isinstance(item, tuple) else item for item in files]
        with in_schema(system_a):
            return ticket_create(
                actor=actor, subject=subject, description=description, files=uploads, **fields
            )

    return make


@pytest.fixture
def user_b(system_b) -> User:
    with in_schema(system_b):
        return UserFactory(email="user@bravo.example", full_name="Bea Bravo", role=User.Role.OWNER)


@pytest.fixture
def client_a(system_a) -> Client:
    return client_for(system_a)


@pytest.fixture
def owner_client_a(system_a, owner_a) -> Client:
    return client_for(system_a, owner_a)


@pytest.fixture
def public_client(db) -> Client:
    return client_for(None)


OPERATOR_EMAIL = "op@example.com"


@pytest.fixture
def operator_user(db) -> User:
    """The operator: a superuser of the public site (the first account createoperator makes)."""
    return User.objects.create_superuser(OPERATOR_EMAIL, PASSWORD, full_name="Op")


@pytest.fixture
def operator(operator_user) -> Client:
    """The operator, signed in at admin with a second factor."""
    return operator_client(operator_user)


@pytest.fixture
def staff_client(db):
    """A signed-in staff account (second factor used) in the given operator groups only:
    ``staff_client()`` has no permission at all, ``staff_client("Billing")`` billing's."""
    from django.contrib.auth.models import Group

    def make(*groups: str, email: str = "staff@example.com") -> Client:
        user = User.objects.create_user(email, PASSWORD, full_name="Staff", is_staff=True)
        user.groups.set(Group.objects.filter(name__in=groups))
        assert user.groups.count() == len(groups), groups
        return operator_client(user)

    return make


# --- committed data: real workers, live servers, real concurrency --------------------


@pytest.fixture
def committed(django_db_setup, django_db_blocker) -> Iterator[Committed]:
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        helper = Committed()
        try:
            yield helper
        finally:
            helper.cleanup()


@pytest.fixture(scope="session")
def live_server_session(django_db_setup, django_db_blocker):
    from tests.support.live import LiveServer

    with django_db_blocker.unblock():
        server = LiveServer().start()
        yield server
        server.stop()


@pytest.fixture
def live(live_server_session, committed):
    """A live server plus committed data; yields (server, committed)."""
    return live_server_session, committed


# --- browser --------------------------------------------------------------------------

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # are still synchronous, so Django's async guard must stand aside.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


# --- a real Celery worker ---------------------------------------------------------------


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    from tests.support.worker import Worker

    with django_db_blocker.unblock():
        worker = Worker(mail_dir=tmp_path_factory.mktemp("worker-mail")).start()
    yield worker
    worker.stop()


@pytest.fixture
def worker(celery_worker_process, committed):
    """A running worker, with tasks sent to it (not run eagerly) during the test."""
    from tests.support.worker import eager_off

    with eager_off():
        yield celery_worker_process

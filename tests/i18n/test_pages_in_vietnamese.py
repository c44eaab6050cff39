"""Every page renders in Vietnamese for a Vietnamese reader, with nothing falling back to
English: each System page for each role, each public page, and the operator's admin.

A recorder wraps gettext: any marked string asked for in Vietnamese that neither our catalog
nor Django's has is a miss. (Text not marked at all is found by test_everything_is_translated.)
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils.translation.trans_real import DjangoTranslation

from accounts.models import User
from tests.factories import accept_current_terms
from tests.support.canary import seed_canary
from tests.support.tenancy import client_for, in_schema
from tests.support.urls import endpoints

TENANT_URLCONF = settings.ROOT_URLCONF
PUBLIC_URLCONF = settings.PUBLIC_SCHEMA_URLCONF
# Views that answer files or streams, not pages; nothing to read in them.
NOT_PAGES = {"healthz", "javascript_catalog"}
# A developer's tool that only exists with DEBUG, not part of the product; and the API's
# interactive docs, Swagger UI's page, which speaks only English (and says so: lang="en").
DEVELOPER_ONLY = ("dev/", "api/v1/docs")


@pytest.fixture
def misses(monkeypatch) -> set[str]:
    found: set[str] = set()
    gettext, ngettext = DjangoTranslation.gettext, DjangoTranslation.ngettext

    def recording_gettext(self, message):
        if self.language() == "vi" and message.strip() and message not in self._catalog:
            found.add(message)
        return gettext(self, message)

    def recording_ngettext(self, singular, plural, number):
        if self.language() == "vi" and (singular, 0) not in self._catalog:
            found.add(singular)
        return ngettext(self, singular, plural, number)

    monkeypatch.setattr(DjangoTranslation, "gettext", recording_gettext)
    monkeypatch.setattr(DjangoTranslation, "ngettext", recording_ngettext)
    return found


def _read_every_page(client, urlconf, samples=None, *, host=None, least: int = 1) -> list[str]:
    """GET each page; return the ones that broke. Each page that answers is in Vietnamese,
    and at least ``least`` pages answer (a reader stopped at a gate reads nothing)."""
    broken, read = [], 0
    extra = {"HTTP_HOST": host} if host else {}
    for endpoint in endpoints(urlconf, samples):
        if endpoint.name in NOT_PAGES or endpoint.path.lstrip("/").startswith(DEVELOPER_ONLY):
            continue
        response = client.get(endpoint.path, **extra)
        if response.status_code >= 500:
            broken.append(f"{endpoint.path} ({endpoint.name}): {response.status_code}")
        elif response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            read += 1
            if response.headers.get("Content-Language") != "vi":
                broken.append(f"{endpoint.path}: Content-Language {response['Content-Language']}")
            if b'<html lang="vi"' not in response.content:
                broken.append(f"{endpoint.path}: not <html lang=vi>")
    if read < least:
        broken.append(f"only {read} pages read in Vietnamese (at least {least} expected)")
    return broken


# Pages each role reads (answered 200) on the canary System: far fewer means a gate (the
# terms, a second factor) stopped the reader and the walk proved nothing.
PAGES_AT_LEAST = {"owner": 80, "admin": 70, "agent": 40, "member": 25}


@pytest.mark.parametrize("role", ["owner", "admin", "agent", "member"])
def test_every_system_page_reads_in_vietnamese_for_each_role(role, system_a, misses):
    samples, _secrets = seed_canary(system_a)
    with in_schema(system_a):
        person = User.objects.filter(role=role).first() or User.objects.create_user(
            f"{role}.vi@alpha.example", "x" * 16, role=role, full_name="Người đọc"
        )
        accept_current_terms(person)  # or every page is the terms gate
        User.objects.filter(pk=person.pk).update(language="vi")
    client = client_for(system_a, person)

    broken = _read_every_page(client, TENANT_URLCONF, samples, least=PAGES_AT_LEAST[role])

    assert not broken, broken
    assert not misses, f"{len(misses)} strings fell back to English: {sorted(misses)[:40]}"


def test_every_public_and_system_page_reads_in_vietnamese_for_a_visitor(system_a, misses):
    samples, _secrets = seed_canary(system_a)
    visitor = client_for(None)
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"

    broken = _read_every_page(visitor, PUBLIC_URLCONF, {"app_label": "tenants"})
    at_system = client_for(system_a)
    at_system.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    broken += _read_every_page(at_system, TENANT_URLCONF, samples)

    assert not broken, broken
    assert not misses, f"{len(misses)} strings fell back to English: {sorted(misses)[:40]}"


def test_the_operators_admin_reads_in_vietnamese(operator, operator_user, system_a, misses):
    seed_canary(system_a)
    User.objects.filter(pk=operator_user.pk).update(language="vi")

    broken = _read_every_page(operator, PUBLIC_URLCONF, {"app_label": "tenants"})

    assert not broken, broken
    assert not misses, f"{len(misses)} strings fell back to English: {sorted(misses)[:40]}"

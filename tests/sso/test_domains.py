"""Verified email domains: added with a TXT record to publish, checked with DNS (stubbed:
the outside world), removed; each change audited; another System's domain is a 404."""

from __future__ import annotations

import dns.exception
import dns.resolver
import pytest

from accounts.models import AuditEvent
from accounts.sso.models import VerifiedDomain
from tests.support.tenancy import client_for, in_schema


class _Record:
    def __init__(self, text: str) -> None:
        self.strings = (text.encode(),)


@pytest.fixture
def dns_txt(monkeypatch):
    """``dns_txt[name] = [values]``; an absent name is NXDOMAIN; "FAIL" a DNS failure."""
    published: dict[str, object] = {}
    asked: list[str] = []

    def resolve(name, kind, **kwargs):
        asked.append(name)
        assert kind == "TXT"
        if published.get(name) == "FAIL":
            raise dns.exception.Timeout()
        if name not in published:
            raise dns.resolver.NXDOMAIN()
        return [_Record(value) for value in published[name]]

    monkeypatch.setattr(dns.resolver, "resolve", resolve)
    published["asked"] = asked
    return published


def _add(client, domain="Acme.Example"):
    return client.post("/settings/sso/domains/", {"domain": domain}, follow=True)


def test_adding_a_domain_shows_the_txt_record_to_publish(system_a, admin_a):
    response = _add(client_for(system_a, admin_a))

    page = response.content.decode()
    with in_schema(system_a):
        domain = VerifiedDomain.objects.get()
        assert domain.domain == "acme.example" and domain.verified_at is None
        assert AuditEvent.objects.filter(action=AuditEvent.Action.SSO_DOMAIN_ADDED).count() == 1
    assert "_servicedesk.acme.example" in page
    assert f"servicedesk-verify={domain.token}" in page


def test_check_now_verifies_a_published_record(system_a, admin_a, dns_txt):
    client = client_for(system_a, admin_a)
    _add(client)
    with in_schema(system_a):
        domain = VerifiedDomain.objects.get()
    dns_txt["_servicedesk.acme.example"] = ["v=spf1 -all", domain.record_value]

    response = client.post(f"/settings/sso/domains/{domain.pk}/check/", follow=True)

    assert "acme.example is verified." in response.content.decode()
    assert dns_txt["asked"] == ["_servicedesk.acme.example"]
    with in_schema(system_a):
        domain.refresh_from_db()
        assert domain.verified_at is not None and domain.check_error == ""
        assert AuditEvent.objects.filter(action=AuditEvent.Action.SSO_DOMAIN_VERIFIED).count() == 1


@pytest.mark.parametrize(
    ("published", "message"),
    [
        (None, "No TXT record servicedesk-verify="),
        (["servicedesk-verify=someone-elses"], "No TXT record servicedesk-verify="),
        ("FAIL", "DNS did not answer for _servicedesk.acme.example"),
    ],
)
def test_a_missing_or_wrong_record_says_what_is_missing(
    system_a, admin_a, dns_txt, published, message
):
    client = client_for(system_a, admin_a)
    _add(client)
    with in_schema(system_a):
        domain = VerifiedDomain.objects.get()
    if published is not None:
        dns_txt["_servicedesk.acme.example"] = published

    response = client.post(f"/settings/sso/domains/{domain.pk}/check/", follow=True)

    assert message in response.content.decode()
    with in_schema(system_a):
        domain.refresh_from_db()
        assert domain.verified_at is None and message in domain.check_error


@pytest.mark.parametrize("text", ["not a domain", "localhost", "-bad-.example", "a@"])
def test_a_bad_domain_is_refused_with_a_message(system_a, admin_a, text):
    response = client_for(system_a, admin_a).post("/settings/sso/domains/", {"domain": text})

    assert response.status_code == 400
    assert "is not a domain name" in response.content.decode()
    with in_schema(system_a):
        assert not VerifiedDomain.objects.exists()


def test_a_domain_is_listed_once(system_a, admin_a):
    client = client_for(system_a, admin_a)
    _add(client)

    response = client.post("/settings/sso/domains/", {"domain": "ACME.example"})

    assert response.status_code == 400
    assert "acme.example is already listed." in response.content.decode()


def test_removing_a_domain_is_audited(system_a, admin_a):
    client = client_for(system_a, admin_a)
    _add(client)
    with in_schema(system_a):
        domain = VerifiedDomain.objects.get()

    client.post(f"/settings/sso/domains/{domain.pk}/remove/")

    with in_schema(system_a):
        assert not VerifiedDomain.objects.exists()
        assert AuditEvent.objects.filter(action=AuditEvent.Action.SSO_DOMAIN_REMOVED).count() == 1


def test_system_b_s_domain_is_a_404_at_system_a(system_a, system_b, admin_a, user_b):
    _add(client_for(system_b, user_b), "bravo.example")
    with in_schema(system_b):
        domain = VerifiedDomain.objects.get()
    client = client_for(system_a, admin_a)

    assert client.post(f"/settings/sso/domains/{domain.pk}/check/").status_code == 404
    assert client.post(f"/settings/sso/domains/{domain.pk}/remove/").status_code == 404
    with in_schema(system_b):
        assert VerifiedDomain.objects.exists()

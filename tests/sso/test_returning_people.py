"""People who already have an account: matched by their verified address when the admins
turned matching on, never by an unverified one; deactivated people are refused."""

from __future__ import annotations

from allauth.socialaccount.models import SocialAccount

from accounts.models import AuditEvent, User
from accounts.services.seats import user_deactivate
from tests.sso.conftest import signed_in_as, sso_connect, sso_sign_in
from tests.sso.issuer import Identity
from tests.support.tenancy import client_for, in_schema

AGENT = Identity(sub="agent-9", email="agent@alpha.example")


def test_an_existing_person_is_matched_by_his_verified_address(system_a, owner_a, agent_a, issuer):
    sso_connect(system_a, owner_a, issuer, match_by_email=True)
    client = client_for(system_a)

    response = sso_sign_in(client, issuer, AGENT)

    assert response.status_code == 302 and response["Location"] == "/", response
    with in_schema(system_a):
        assert signed_in_as(client, system_a) == agent_a
        link = SocialAccount.objects.get(user=agent_a)
        assert link.uid == "agent-9"
        assert AuditEvent.objects.filter(action=AuditEvent.Action.SSO_LINKED).count() == 1
        assert User.objects.count() == 2  # nobody new
        # His password still works: matching links, it takes nothing away.
        assert User.objects.get(pk=agent_a.pk).has_usable_password()


def test_an_unverified_address_is_never_matched(system_a, owner_a, agent_a, issuer):
    sso_connect(system_a, owner_a, issuer, match_by_email=True)
    client = client_for(system_a)

    response = sso_sign_in(
        client, issuer, Identity(sub="mallory", email="agent@alpha.example", email_verified=False)
    )

    assert response.status_code == 403
    assert "does not say that your email address is verified" in response.content.decode()
    assert signed_in_as(client, system_a) is None
    with in_schema(system_a):
        assert not SocialAccount.objects.exists()


def test_a_verified_claim_must_be_true_not_a_string_saying_false(
    system_a, owner_a, agent_a, issuer
):
    sso_connect(system_a, owner_a, issuer, match_by_email=True)
    client = client_for(system_a)

    response = sso_sign_in(
        client, issuer, Identity(sub="mallory", email="agent@alpha.example", email_verified="false")
    )

    assert response.status_code == 403
    with in_schema(system_a):
        assert not SocialAccount.objects.exists()


def test_without_matching_an_existing_address_is_refused_not_linked(
    system_a, owner_a, agent_a, issuer
):
    sso_connect(system_a, owner_a, issuer)
    client = client_for(system_a)

    response = sso_sign_in(client, issuer, AGENT)

    assert response.status_code == 403
    assert "match accounts by email address" in response.content.decode()
    assert signed_in_as(client, system_a) is None
    with in_schema(system_a):
        assert not SocialAccount.objects.exists()


def test_a_deactivated_person_is_refused_when_matched_by_address(
    system_a, owner_a, agent_a, issuer
):
    sso_connect(system_a, owner_a, issuer, match_by_email=True)
    with in_schema(system_a):
        user_deactivate(actor=owner_a, user=agent_a)
    client = client_for(system_a)

    response = sso_sign_in(client, issuer, AGENT)

    assert response.status_code == 403
    assert "Your account here is deactivated" in response.content.decode()
    assert signed_in_as(client, system_a) is None
    with in_schema(system_a):
        assert not SocialAccount.objects.exists()


def test_a_deactivated_person_is_refused_when_found_by_his_link(system_a, owner_a, agent_a, issuer):
    sso_connect(system_a, owner_a, issuer, match_by_email=True)
    sso_sign_in(client_for(system_a), issuer, AGENT)  # linked
    with in_schema(system_a):
        user_deactivate(actor=owner_a, user=agent_a)
    client = client_for(system_a)

    response = sso_sign_in(client, issuer, AGENT)

    assert response.status_code == 403
    assert "Your account here is deactivated" in response.content.decode()
    assert signed_in_as(client, system_a) is None


def test_entra_id_s_domain_owner_verified_claim_counts_as_verified(
    system_a, owner_a, agent_a, issuer
):
    sso_connect(system_a, owner_a, issuer, match_by_email=True)
    issuer.extra_claims = {"xms_edov": True}
    client = client_for(system_a)

    response = sso_sign_in(
        client, issuer, Identity(sub="entra-1", email="agent@alpha.example", email_verified=None)
    )

    assert response.status_code == 302 and response["Location"] == "/", response
    with in_schema(system_a):
        assert signed_in_as(client, system_a) == agent_a

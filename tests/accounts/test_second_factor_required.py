"""The owner can require a second factor of everyone in his System."""

from allauth.mfa.models import Authenticator

from accounts.models import AuditEvent
from tests.factories import PASSWORD
from tests.support.tenancy import client_for, in_schema


def _totp(system, user) -> None:
    with in_schema(system):
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})


def _require(system, owner, client=None):
    client = client or client_for(system, owner)
    return client.post("/settings/second-factor/", {"require_second_factor": "on"})


def test_people_without_a_second_factor_can_do_nothing_but_set_one_up(
    system_a, owner_a, agent_a, member_a
):
    _totp(system_a, owner_a)
    assert _require(system_a, owner_a).status_code == 302
    system_a.refresh_from_db()
    assert system_a.require_second_factor

    agent = client_for(system_a, agent_a)
    for path in ("/", "/tickets/", "/tickets/new/", "/account/security/"):
        response = agent.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/accounts/2fa/totp/activate/", path
    assert agent.post("/tickets/new/", {"subject": "x"})["Location"] == (
        "/accounts/2fa/totp/activate/"
    )
    setup = agent.get("/accounts/2fa/totp/activate/", follow=True)
    assert "requires two-factor authentication of everyone" in setup.content.decode()
    assert agent.post("/accounts/logout/").status_code == 302  # leaving is always open

    _totp(system_a, member_a)
    assert client_for(system_a, member_a).get("/tickets/").status_code == 200
    assert client_for(system_a, owner_a).get("/tickets/").status_code == 200


def test_the_owner_must_have_a_second_factor_before_requiring_one(system_a, owner_a):
    owner = client_for(system_a, owner_a)
    response = _require(system_a, owner_a, owner)
    page = owner.get(response["Location"]).content.decode()

    assert "Set up two-factor authentication for your own account first" in page
    system_a.refresh_from_db()
    assert not system_a.require_second_factor


def test_only_the_owner_may_require_it_and_each_change_is_audited(system_a, owner_a, admin_a):
    _totp(system_a, admin_a)
    assert _require(system_a, admin_a).status_code == 403
    system_a.refresh_from_db()
    assert not system_a.require_second_factor

    _totp(system_a, owner_a)
    _require(system_a, owner_a)
    client_for(system_a, owner_a).post("/settings/second-factor/", {})
    with in_schema(system_a):
        details = list(
            AuditEvent.objects.filter(action=AuditEvent.Action.SETTINGS_CHANGED)
            .order_by("pk")
            .values_list("detail", flat=True)
        )
    assert details == [
        {"require_second_factor": [False, True]},
        {"require_second_factor": [True, False]},
    ]


def test_nobody_can_turn_theirs_off_while_it_is_required(system_a, owner_a, agent_a):
    _totp(system_a, owner_a)
    _totp(system_a, agent_a)
    _require(system_a, owner_a)

    agent = client_for(system_a, agent_a)
    asked = agent.post("/accounts/2fa/totp/deactivate/")
    agent.post(asked["Location"], {"password": PASSWORD})  # allauth asks for it again first
    response = agent.post("/accounts/2fa/totp/deactivate/", follow=True)

    assert "cannot be turned off" in response.content.decode()
    with in_schema(system_a):
        assert Authenticator.objects.filter(user=agent_a, type="totp").exists()


def test_the_settings_page_names_who_still_has_to_set_it_up(system_a, owner_a, agent_a, member_a):
    _totp(system_a, owner_a)
    _totp(system_a, agent_a)
    _require(system_a, owner_a)

    page = client_for(system_a, owner_a).get("/settings/").content.decode()

    assert "Still to set it up:" in page and "Mia Member" in page
    assert "Arno Agent" not in page


def test_another_system_is_not_affected(system_a, system_b, owner_a, user_b):
    _totp(system_a, owner_a)
    _require(system_a, owner_a)

    assert client_for(system_b, user_b).get("/tickets/").status_code == 200

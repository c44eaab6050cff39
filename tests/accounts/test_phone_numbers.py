"""An optional phone number per person: checked, stored in E.164, shown where names are."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import AuditEvent, User
from accounts.phones import phone_normalise
from tests.exports.test_round_trip import export_now, rows
from tests.support.tenancy import client_for, in_schema


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+84 912 345 678", "+84912345678"),
        ("0084 (91) 234-5678", "+84912345678"),
        ("+1 650.253.0000", "+16502530000"),
        ("  ", ""),
    ],
)
def test_a_number_is_stored_in_e164(typed, stored):
    assert phone_normalise(typed) == stored


@pytest.mark.parametrize("typed", ["0912 345 678", "+84 12", "+1 555 0100 99999", "+84 abc"])
def test_a_number_without_a_country_code_or_that_cannot_exist_is_refused(typed):
    with pytest.raises(ValidationError):
        phone_normalise(typed)


def test_a_person_sets_his_number_and_the_change_is_audited(system_a, agent_a):
    client = client_for(system_a, agent_a)
    response = client.post(
        "/account/profile/", {"full_name": "Arno Agent", "phone": "+84 912 345 678"}
    )

    assert response.status_code == 302
    with in_schema(system_a):
        assert User.objects.get(pk=agent_a.pk).phone == "+84912345678"
        event = AuditEvent.objects.get(action=AuditEvent.Action.PROFILE_CHANGED)
    assert event.detail == {"phone": ["", "+84912345678"]}
    assert "+84 912 345 678" in client.get("/account/profile/").content.decode()


def test_a_wrong_number_is_explained_and_what_was_typed_stays(system_a, agent_a):
    response = client_for(system_a, agent_a).post(
        "/account/profile/", {"full_name": "Arno Renamed", "phone": "0912 345 678"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Start with + and the country code" in page
    assert 'value="0912 345 678"' in page and 'value="Arno Renamed"' in page
    with in_schema(system_a):
        assert User.objects.get(pk=agent_a.pk).full_name == "Arno Agent"


def test_admins_see_the_number_on_the_people_page(system_a, admin_a, agent_a):
    with in_schema(system_a):
        User.objects.filter(pk=agent_a.pk).update(phone="+84912345678")

    page = client_for(system_a, admin_a).get("/settings/people/").content.decode()

    assert 'href="tel:+84912345678"' in page and "+84 912 345 678" in page


def test_the_export_holds_the_number(system_a, owner_a, django_capture_on_commit_callbacks):
    with in_schema(system_a):
        User.objects.filter(pk=owner_a.pk).update(phone="+84912345678")

    _export, path = export_now(system_a, owner_a, django_capture_on_commit_callbacks)

    people = {row["email"]: row for row in rows(path, "data/accounts.user.json")}
    assert people[owner_a.email]["phone"] == "+84912345678"


def test_the_operator_sees_the_number_only_under_an_access_grant(operator, system_a, owner_a):
    with in_schema(system_a):
        User.objects.filter(pk=owner_a.pk).update(phone="+84912345678")
    overview = f"/admin/tenants/system/{system_a.pk}/data/"
    assert "+84 912 345 678" not in operator.get(overview).content.decode()

    operator.post(
        f"/admin/tenants/system/{system_a.pk}/access/",
        {"reason": "customer_request", "note": "Owner asked us to call back", "minutes": 60},
    )

    assert "+84 912 345 678" in operator.get(overview).content.decode()

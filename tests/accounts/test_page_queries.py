"""Query counts of the account pages, pinned: a change that adds queries changes a number
here on purpose. (People and audit log pages also prove they don't grow with rows.)"""

import pytest
from django.test import Client

from tests.support.tenancy import client_for, host_of

SYSTEM_PAGES = {
    # dashboard: + its three numbers (one query), status counts and page ids, and for the
    # owner the set-up checklist (one query)
    "/": 9,
    "/account/security/": 9,  # + his own security reports, whether single sign-on is offered
    "/account/profile/": 5,
    "/settings/": 8,  # + who has no second factor yet, and whether you have one
    "/settings/ownership/": 6,
    "/settings/new-system/": 5,
    "/settings/people/invite/": 5,
    "/terms/": 6,
}


@pytest.mark.parametrize("path,limit", SYSTEM_PAGES.items())
def test_system_pages_answer_in_a_fixed_number_of_queries(
    system_a, owner_a, path, limit, django_assert_max_num_queries
):
    client = client_for(system_a, owner_a)
    client.get(path)  # the first request of a session also records it
    with django_assert_max_num_queries(limit):
        assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    # (+1: the analytics providers, read once a minute per process; the test clears that)
    "path,limit",
    {"/": 3, "/signup/": 3, "/terms/": 4, "/privacy/": 4}.items(),
)
def test_public_pages_answer_in_a_fixed_number_of_queries(
    db, path, limit, django_assert_max_num_queries
):
    with django_assert_max_num_queries(limit):
        assert Client(HTTP_HOST="localhost").get(path).status_code == 200


def test_the_account_claim_form_answers_in_a_fixed_number_of_queries(
    system_a, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = Client(HTTP_HOST=host_of(system_a)).get("/account-claim/")
        assert response.status_code == 200 and "Claim an account" in response.content.decode()

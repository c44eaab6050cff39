"""Someone who cannot use an account that is his claims it from the System's public page."""

import re

from django.core import mail
from django.test import Client, override_settings

from accounts.models import AccountDispute
from tests.support.tenancy import host_of

CLAIM = {
    "claimant_name": "Rita Rightful",
    "claimant_email": "Rita@Example.org",
    "account_email": "owner@alpha.example",
    "claim": "I founded the company; my former partner changed the password.",
    "evidence": "Registration papers list me as sole director since 2019.",
}


def _link(message) -> str:
    return re.search(r"https?://\S+/account-claim/confirm/\S+/", message.body).group(0)


def test_a_confirmed_claim_becomes_a_dispute_for_the_operator(
    system_a, owner_a, django_capture_on_commit_callbacks
):
    visitor = Client(HTTP_HOST=host_of(system_a))
    assert "Claim it" in visitor.get("/accounts/login/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        sent = visitor.post("/account-claim/", CLAIM)
    assert sent.status_code == 200 and "Check your email" in sent.content.decode()
    dispute = AccountDispute.objects.get()
    assert (dispute.system, dispute.claimant_email, dispute.confirmed_at) == (
        system_a,
        "rita@example.org",
        None,
    )
    (confirmation,) = mail.outbox
    assert confirmation.to == ["rita@example.org"]

    path = _link(confirmation).split(host_of(system_a), 1)[1]
    assert "Confirm and send" in visitor.get(path).content.decode()  # opening alone: nothing
    dispute.refresh_from_db()
    assert dispute.confirmed_at is None
    with django_capture_on_commit_callbacks(execute=True):
        visitor.post(path)
        visitor.post(path)  # twice: the operator hears once

    dispute.refresh_from_db()
    assert dispute.confirmed_at is not None and dispute.status == AccountDispute.Status.OPEN
    to_operator = [m for m in mail.outbox if "Account claim" in m.subject]
    assert len(to_operator) == 1 and "sole director" in to_operator[0].body


def test_a_claim_with_errors_keeps_what_was_typed(system_a):
    response = Client(HTTP_HOST=host_of(system_a)).post(
        "/account-claim/", {**CLAIM, "account_email": "not an address"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid email address." in page and "my former partner" in page
    assert not AccountDispute.objects.exists()


def test_a_confirmation_link_works_only_on_its_own_system(
    system_a, system_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Client(HTTP_HOST=host_of(system_a)).post("/account-claim/", CLAIM)
    path = _link(mail.outbox[0]).split(host_of(system_a), 1)[1]

    elsewhere = Client(HTTP_HOST=host_of(system_b))
    assert elsewhere.post(path).status_code == 404
    assert elsewhere.get(path.replace("/confirm/", "/confirm/x")).status_code == 404
    assert AccountDispute.objects.get().confirmed_at is None


@override_settings(ACCOUNT_CLAIMS_PER_HOUR=2)
def test_claims_from_one_address_are_limited(system_a):
    visitor = Client(HTTP_HOST=host_of(system_a))
    answers = [visitor.post("/account-claim/", CLAIM).status_code for _ in range(3)]

    assert answers == [200, 200, 400]
    assert AccountDispute.objects.count() == 2

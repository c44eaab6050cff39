"""A person who reported unauthorised use follows his report: its state and our answer."""

from django.core import mail

from accounts.models import SecurityReport
from tests.support.tenancy import client_for


def _report(system, user) -> SecurityReport:
    return SecurityReport.objects.create(
        system=system, user_id_in_system=user.pk, user_email=user.email
    )


def _answer(operator, report, **fields):
    data = {"status": "resolved", "resolution": "", "operator_notes": "", **fields}
    return operator.post(f"/admin/accounts/securityreport/{report.pk}/change/", data)


def test_the_reporter_reads_the_state_and_answer_of_his_report(
    operator, system_a, agent_a, django_capture_on_commit_callbacks
):
    report = _report(system_a, agent_a)
    page = client_for(system_a, agent_a).get("/account/security/").content.decode()
    assert f"#{report.pk}" in page and "Open" in page and "not answered yet" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = _answer(
            operator,
            report,
            resolution="Two sign-ins came from an address we have now blocked.",
            operator_notes="Internal: matched the botnet list.",
        )

    assert response.status_code == 302
    page = client_for(system_a, agent_a).get("/account/security/").content.decode()
    assert "Resolved" in page and "an address we have now blocked" in page
    assert "botnet" not in page
    (sent,) = mail.outbox
    assert sent.to == [agent_a.email]
    assert "an address we have now blocked" in sent.body and "botnet" not in sent.body
    assert "/account/security/" in sent.body
    report.refresh_from_db()
    assert report.resolved_at is not None


def test_saving_notes_alone_does_not_mail_the_reporter_again(
    operator, system_a, agent_a, django_capture_on_commit_callbacks
):
    report = _report(system_a, agent_a)
    with django_capture_on_commit_callbacks(execute=True):
        _answer(operator, report, status="investigating")
        _answer(operator, report, status="investigating", operator_notes="still looking")

    assert len(mail.outbox) == 1


def test_nobody_else_sees_a_persons_reports(system_a, system_b, agent_a, admin_a):
    _report(system_a, agent_a)
    # Same user id in another System must not match either.
    SecurityReport.objects.create(system=system_b, user_id_in_system=agent_a.pk, user_email="b@x")

    admin_page = client_for(system_a, admin_a).get("/account/security/").content.decode()
    assert "Your reports" not in admin_page
    own = client_for(system_a, agent_a).get("/account/security/").content.decode()
    assert own.count("Our security team has not answered yet") == 1

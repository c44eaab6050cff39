"""Inviting many people at once: a pasted list or a CSV file, a result per line."""

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Invitation, Role
from tests.support.tenancy import in_schema


def _results(response):
    return [(r.line, r.email, r.ok, r.message) for r in response.context["results"]]


def test_a_pasted_list_sends_good_lines_and_reports_bad_ones(
    admin_client_a, system_a, member_a, seat_cap, django_capture_on_commit_callbacks
):
    seat_cap(20)
    text = "\n".join(
        [
            "email,role",
            "ann@example.com",
            "Bob <bob@example.com>, admin",
            "not-an-address",
            "carl@example.com, owner",
            f"{member_a.email}",
            "ann@example.com",
            "",
            "dora@example.com, agent",
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_a.post(
            "/settings/people/invite/", {"addresses": text, "default_role": "member"}
        )

    assert response.status_code == 200
    results = _results(response)
    assert [(line, ok) for line, _, ok, _ in results] == [
        (2, True), (3, True), (4, False), (5, False), (6, False), (7, False), (9, True),
    ]  # fmt: skip
    messages = {line: message for line, _, _, message in results}
    assert "not an email address" in messages[4]
    assert "not a role you can give" in messages[5]
    assert "already has an account" in messages[6]
    assert "Listed twice" in messages[7]
    with in_schema(system_a):
        sent = dict(Invitation.objects.values_list("email", "role"))
    assert sent == {
        "ann@example.com": Role.MEMBER,
        "bob@example.com": Role.ADMIN,
        "dora@example.com": Role.AGENT,
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted(sent)


def test_a_csv_file_works_the_same(admin_client_a, system_a, seat_cap):
    seat_cap(20)
    upload = SimpleUploadedFile(
        "people.csv",
        b"Name,Email,Role\nEve,eve@example.com,agent\nFay,fay@example.com,\n",
        "text/csv",
    )

    response = admin_client_a.post(
        "/settings/people/invite/", {"file": upload, "default_role": "member"}
    )

    assert [(email, ok) for _, email, ok, _ in _results(response)] == [
        ("eve@example.com", True),
        ("fay@example.com", True),
    ]
    with in_schema(system_a):
        assert Invitation.objects.get(email="fay@example.com").role == Role.MEMBER


def test_lines_beyond_the_seat_cap_are_refused_one_by_one(admin_client_a, system_a, seat_cap):
    seat_cap(3)  # the admin holds one: two invitations fit

    response = admin_client_a.post(
        "/settings/people/invite/",
        {"addresses": "a@example.com\nb@example.com\nc@example.com", "default_role": "agent"},
    )

    assert [ok for _, _, ok, _ in _results(response)] == [True, True, False]
    assert "No free seat" in _results(response)[2][3]


def test_a_binary_file_is_refused_by_its_content_whatever_its_name(admin_client_a, system_a):
    upload = SimpleUploadedFile("people.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "text/csv")

    response = admin_client_a.post(
        "/settings/people/invite/", {"file": upload, "default_role": "agent"}
    )

    assert response.status_code == 400
    assert b"not a UTF-8 text" in response.content or b"not a text" in response.content
    with in_schema(system_a):
        assert not Invitation.objects.exists()


def test_an_empty_form_says_what_to_do(admin_client_a):
    response = admin_client_a.post("/settings/people/invite/", {"default_role": "agent"})

    assert response.status_code == 400
    assert b"Paste some addresses or choose a CSV file" in response.content


def test_agents_cannot_reach_the_bulk_page(system_a, agent_a):
    from tests.support.tenancy import client_for

    assert client_for(system_a, agent_a).get("/settings/people/invite/").status_code == 403


def test_more_than_five_hundred_lines_are_refused_at_once_and_kept(
    admin_client_a, system_a, seat_cap, django_assert_max_num_queries
):
    seat_cap(2000)
    text = "\n".join(f"person{n}@example.com" for n in range(400))
    csv = "email\n" + "\n".join(f"filed{n}@example.com" for n in range(101))

    with django_assert_max_num_queries(25):
        response = admin_client_a.post(
            "/settings/people/invite/",
            {
                "addresses": text,
                "default_role": "member",
                "file": SimpleUploadedFile("list.csv", csv.encode(), content_type="text/csv"),
            },
        )

    assert response.status_code == 400
    page = response.content.decode()
    assert "That is 501 addresses; send at most 500 at once" in page
    assert "person399@example.com" in page  # what was pasted is still there
    with in_schema(system_a):
        assert not Invitation.objects.exists()


def test_five_hundred_lines_are_sent(admin_client_a, system_a, seat_cap, settings):
    seat_cap(2000)
    settings.INVITES_PER_HOUR = 1000
    text = "\n".join(f"person{n}@example.com" for n in range(500))

    response = admin_client_a.post(
        "/settings/people/invite/", {"addresses": text, "default_role": "member"}
    )

    assert response.status_code == 200
    with in_schema(system_a):
        assert Invitation.objects.count() == 500

"""Twenty people accept their invitations at the same moment; one seat is free.

Real PostgreSQL, a real threaded HTTP server, twenty real connections.
"""

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

from accounts.models import Invitation, Role, SeatEvent, User
from accounts.services.invitations import invitation_create
from servicedesk.tokens import new_token
from tests.support.tenancy import host_of, in_schema


class Browser:
    """A minimal cookie-keeping client for 127.0.0.1 with a chosen Host header."""

    def __init__(self, port: int, host: str) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.host = host
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            NoRedirect(),
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        # Always http://127.0.0.1 (our own live server), so no scheme surprises.
        request = urllib.request.Request(  # noqa: S310
            self.base + path, data=body, headers={"Host": self.host}
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_twenty_concurrent_accepts_for_one_free_seat_make_exactly_one_account(live):
    server, committed = live
    system = committed.system("crowd", owner="owner@crowd.example")
    system.seat_cap = 25
    system.save(update_fields=["seat_cap"])
    tokens = []
    with in_schema(system):
        owner = User.objects.get(role=Role.OWNER)
        for n in range(20):
            invitation = invitation_create(
                actor=owner, email=f"p{n}@crowd.example", role=Role.AGENT
            )
            token, digest = new_token()  # we need the tokens; the emails are not read here
            Invitation.objects.filter(pk=invitation.pk).update(token_hash=digest)
            tokens.append(token)
    system.seat_cap = 2  # the owner holds one: exactly one seat is free
    system.save(update_fields=["seat_cap"])

    browsers = []
    for token in tokens:
        browser = Browser(server.port, host_of(system))
        status, page = browser.request(f"/invite/{token}/")
        assert status == 200
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        browsers.append((browser, token, csrf))

    start = threading.Barrier(len(browsers))
    outcomes: list[tuple[int, str]] = []
    lock = threading.Lock()

    def accept(browser, token, csrf):
        form = {
            "csrfmiddlewaretoken": csrf,
            "full_name": "Racer",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
            "accept_terms": "on",
        }
        start.wait()
        result = browser.request(f"/invite/{token}/", form)
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=accept, args=entry) for entry in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    statuses = sorted(status for status, _ in outcomes)
    assert statuses == [302] + [409] * 19
    assert all(
        "crowd" in page.lower() and "is full" in page for status, page in outcomes if status == 409
    )
    with in_schema(system):
        assert User.objects.filter(is_active=True).count() == 2
        assert SeatEvent.objects.order_by("-seats_after").first().seats_after == 2
        assert Invitation.objects.filter(accepted_at__isnull=False).count() == 1

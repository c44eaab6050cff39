"""Every field a person can write, filled with the XSS corpus (tests/security/
xss_payloads.py), then every page that shows them opened in Chromium as an agent and as a
member: no dialog opens, no script of theirs runs, nothing trips the Content-Security-Policy,
and no element they wrote carries an event handler or a script URL. A field that refuses a
payload (a clear error) is fine; one that stores it must show it as text."""

from __future__ import annotations

import contextlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from accounts.services.people import profile_update
from accounts.services.system_settings import system_settings_update
from tests.factories import PASSWORD
from tests.security.xss_payloads import PAYLOADS
from tests.support.tenancy import in_schema
from tickets.fields.services import ticket_field_create
from tickets.kb import services as kb
from tickets.models import Ticket
from tickets.responses.services import canned_response_create
from tickets.saved.services import saved_view_create
from tickets.services.categories import category_create
from tickets.services.tickets import ticket_create, ticket_reply

pytestmark = pytest.mark.browser

# Collected in every page before its own scripts run: CSP reports and any alert.
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile));
"""
# What no page of ours should hold once payloads are on it.
DANGEROUS = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase(), value = attr.value.replace(/\\s/g, '').toLowerCase();
      if (name.startsWith('on')) found.push(el.tagName + ' ' + name);
      if (['href', 'src', 'action', 'formaction', 'data', 'xlink:href'].includes(name)
          && (value.startsWith('javascript:') || value.startsWith('data:text/html')))
        found.push(el.tagName + ' ' + name + '=' + attr.value);
    }
  }
  for (const el of document.querySelectorAll('iframe, object, embed, base, meta[http-equiv]'))
    found.push(el.tagName);
  for (const el of document.querySelectorAll('script:not([src]):not([type="application/json"])'))
    found.push('inline script: ' + el.textContent.slice(0, 60));
  return found;
}"""


def _tried(stored: list, make) -> None:
    with contextlib.suppress(ValidationError):  # refused with a message: as good as escaped
        stored.append(make())


def _fill(system, agent: User, member: User, owner: User) -> dict[str, list]:
    stored: dict[str, list] = {key: [] for key in ("tickets", "categories", "fields", "kb")}
    with in_schema(system):
        for index, payload in enumerate(PAYLOADS):
            _tried(
                stored["tickets"],
                lambda p=payload, i=index: ticket_create(
                    actor=member, subject=f"{i} {p}"[:200], description=p, tags=[p[:50]]
                ),
            )
        corpus = stored["tickets"][0]
        for index, payload in enumerate(PAYLOADS):
            name = f"{payload[:90]}.txt"
            ticket_reply(
                actor=agent,
                ticket=corpus,
                body=payload,
                internal=index % 2 == 1,
                files=[SimpleUploadedFile(name, b"plain text", "text/plain")] if index < 12 else (),
            )
        for index, payload in enumerate(PAYLOADS[:15]):
            _tried(
                stored["categories"],
                lambda p=payload, i=index: category_create(actor=owner, name=f"{i} {p}"[:80]),
            )
            _tried(
                stored["fields"],
                lambda p=payload: ticket_field_create(actor=owner, label=p[:80], kind="text"),
            )
            _tried(
                stored["kb"],
                lambda p=payload, i=index: kb.article_create(
                    actor=agent,
                    section=kb.section_create(actor=agent, name=f"{i} {p}"[:100]),
                    title=f"{i} {p}"[:200],
                    body=p,
                    visibility="public",
                ),
            )
            canned_response_create(
                actor=agent, name=f"{index} {payload}"[:80], body=payload, shared=False
            )
            saved_view_create(actor=agent, name=f"{index} {payload}"[:60], query="status=open")
        profile_update(actor=agent, full_name=PAYLOADS[9][:150], phone="")
        profile_update(actor=member, full_name=PAYLOADS[13][:150], phone="")
        system_settings_update(
            actor=owner,
            name=PAYLOADS[0][:100],
            idle_timeout_minutes=0,
            invite_expiry_days=7,
            ip=None,
        )
        stored["numbers"] = list(Ticket.objects.order_by("number").values_list("number", flat=True))
    return stored


def _sign_in(page, url: str, email: str) -> None:
    page.goto(url)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


def _check(page, url: str, dialogs: list[str]) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_timeout(50)  # a handler bound to load or an animation has had its chance
    problems = [f"dialog: {message}" for message in dialogs]
    dialogs.clear()
    problems += [f"CSP: {report}" for report in page.evaluate("window.__csp")]
    problems += page.evaluate(DANGEROUS)
    return [f"{url}: {problem}" for problem in problems]


def test_no_payload_runs_on_any_page_that_shows_it(live, browser, settings):
    server, committed = live
    settings.SITE_PORT = server.port
    system = committed.system(
        "xss", owner="owner@xss.example", agent="agent@xss.example", member="member@xss.example"
    )
    with in_schema(system):
        owner, agent, member = (
            User.objects.get(email=f"{role}@xss.example") for role in ("owner", "agent", "member")
        )
    stored = _fill(system, agent, member, owner)
    assert len(stored["tickets"]) >= 60
    # Fields may refuse some payloads, never all of them: then nothing would be shown.
    assert stored["categories"] and stored["fields"] and stored["kb"]
    host = "xss.localhost"
    numbers = stored["numbers"]
    agent_pages = [
        "/",
        "/tickets/",
        "/tickets/?page=2",
        "/tickets/?page=3",
        "/tickets/?q=script",
        # The first holds every payload in its replies, notes and file names; each subject
        # shows in the lists, and in the title and heading of every seventh ticket here.
        *(f"/tickets/{n}/" for n in numbers[::7]),
        "/settings/categories/",
        "/settings/fields/",
        "/responses/",
        "/help/",
        "/help/manage/",
        "/help/search/?q=alert",
        *(f"/help/articles/{a.pk}/" for a in stored["kb"]),
        "/settings/people/",
        "/reports/?by=tag",
        "/reports/?by=category",
    ]
    member_pages = ["/", "/tickets/", f"/tickets/{numbers[0]}/", "/help/", "/account/profile/"]

    problems: list[str] = []
    for email, pages in (("agent@xss.example", agent_pages), ("member@xss.example", member_pages)):
        context = browser.new_context()
        context.add_init_script(WATCH)
        page = context.new_page()
        page.set_default_timeout(15_000)
        dialogs: list[str] = []
        page.on(
            "dialog", lambda dialog, seen=dialogs: (seen.append(dialog.message), dialog.dismiss())
        )
        _sign_in(page, server.url(host, "/accounts/login/"), email)
        for path in pages:
            problems += _check(page, server.url(host, path), dialogs)
        context.close()

    assert not problems, problems[:20]


def test_the_checks_catch_a_payload_that_gets_through(browser):
    """The detectors themselves: a page that did let markup through is caught three ways."""
    context = browser.new_context()
    context.add_init_script(WATCH)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.route(
        "http://leaky.localhost/",
        lambda route: route.fulfill(
            content_type="text/html",
            headers={"Content-Security-Policy": "script-src 'self'"},
            body='<p>hi</p><img src=x onerror=alert(1)><a href="javascript:alert(2)">x</a>'
            "<script>alert(3)</script>",
        ),
    )

    problems = _check(page, "http://leaky.localhost/", dialogs)

    context.close()
    assert any("onerror" in p for p in problems)
    assert any("javascript:alert(2)" in p for p in problems)
    assert any("inline script" in p for p in problems)
    assert any("CSP: script-src" in p for p in problems)

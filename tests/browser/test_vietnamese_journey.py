"""The whole help desk in Vietnamese, in Chromium: a member of a Vietnamese System finds a
help-center article, then raises a ticket; an agent solves it; the member rates it from the
link in his (Vietnamese) mail; the owner's reports show the rating and the ticket, with
times in Asia/Ho_Chi_Minh.

Every label the test looks for is the catalog's Vietnamese for it (``vi``), and is checked
to differ from the English, so the journey fails if a page falls back to English."""

import re
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.models import User
from tenants.models import System
from tests.factories import PASSWORD
from tests.support.browser import assert_accessible
from tests.support.tenancy import in_schema
from tickets.kb import services as kb
from tickets.models import Ticket

pytestmark = pytest.mark.browser
ZONE = "Asia/Ho_Chi_Minh"
SAME_IN_BOTH = {"Email"}  # words Vietnamese keeps as they are


def vi(english: str) -> str:
    with translation.override("vi"):
        text = translation.gettext(english)
    assert text != english or english in SAME_IN_BOTH, f"no Vietnamese for {english!r}"
    return text


def _login(page, server, host, email):
    page.goto(server.url(host, "/accounts/login/"))
    page.get_by_label(vi("Email")).fill(email)
    page.get_by_label(vi("Password")).fill(PASSWORD)
    page.get_by_role("button", name=vi("Sign In")).click()
    welcome = vi("Welcome, %(name)s").split("%(name)s")[0].strip(" ,")
    page.get_by_role("heading", name=re.compile(re.escape(welcome))).wait_for()


def _hanoi(committed) -> System:
    system = committed.system(
        "hanoi", owner="chi@hanoi.example", agent="minh@hanoi.example", member="lan@hanoi.example"
    )
    System.objects.filter(pk=system.pk).update(language="vi", time_zone=ZONE)
    system.refresh_from_db()
    with in_schema(system):
        agent = User.objects.get(email="minh@hanoi.example")
        section = kb.section_create(actor=agent, name="Thanh toán")
        kb.article_create(
            actor=agent,
            section=section,
            title="Cách xem hóa đơn",
            body="Vào **Cài đặt → Thanh toán** để xem và tải hóa đơn.",
            visibility="public",
            language="vi",
        )
    return system


def test_a_vietnamese_desk_from_article_to_rating_to_reports(live, browser, settings):
    server, committed = live
    settings.SITE_PORT = server.port
    system = _hanoi(committed)
    host = "hanoi.localhost"
    pages = {}
    for who in ("lan", "minh", "chi"):
        context = browser.new_context(locale="vi-VN")
        pages[who] = context.new_page()
        pages[who].set_default_timeout(15_000)
    lan, minh, chi = pages["lan"], pages["minh"], pages["chi"]

    # Lan searches the help center (without diacritics), reads the article, then asks.
    _login(lan, server, host, "lan@hanoi.example")
    assert lan.locator("html").get_attribute("lang") == "vi"
    lan.goto(server.url(host, "/help/"))
    lan.get_by_label(vi("Search the help center")).fill("hoa don")
    lan.get_by_role("button", name=vi("Search")).click()
    lan.get_by_role("link", name="Cách xem hóa đơn").click()
    lan.get_by_text("tải hóa đơn").wait_for()
    assert_accessible(lan)
    lan.locator("main a[href='/tickets/new/']").first.click()  # "Still stuck? Raise a ticket"
    lan.get_by_label(vi("Subject")).fill("Không tải được hóa đơn tháng 11")
    lan.get_by_label(vi("Description")).fill("Nút tải hóa đơn không phản hồi.")
    lan.get_by_role("button", name=vi("Raise the ticket")).click()
    lan.wait_for_url(re.compile(r"/tickets/\d+/$"))
    assert_accessible(lan)
    with in_schema(system):
        ticket = Ticket.objects.get(subject="Không tải được hóa đơn tháng 11")
    local = ticket.created_at.astimezone(ZoneInfo(ZONE))
    assert local.strftime("%H:%M") in lan.locator("main").inner_text()

    # Minh answers and solves it in the same step.
    _login(minh, server, host, "minh@hanoi.example")
    minh.goto(server.url(host, f"/tickets/{ticket.number}/"))
    mail.outbox.clear()
    minh.get_by_label(vi("Message")).fill("Đã sửa nút tải, bạn thử lại nhé.")
    minh.get_by_label(vi("Submit as")).select_option("solved")
    minh.get_by_role("button", name=vi("Send"), exact=True).click()
    minh.get_by_text(vi("Reply sent.")).wait_for()
    assert_accessible(minh)

    # Lan's mail asks in Vietnamese; she answers from its link, signed out.
    asked = [m for m in mail.outbox if m.to == ["lan@hanoi.example"] and "/satisfaction/" in m.body]
    assert len(asked) == 1, [m.subject for m in mail.outbox]
    with translation.override("vi"):
        assert asked[0].subject != "How did we do?"
    link = re.search(r"https?://\S+/satisfaction/\S+", asked[0].body).group(0)
    visitor = browser.new_context(locale="vi-VN").new_page()
    visitor.goto(link)
    visitor.get_by_role("heading", name=vi("How did we do?")).wait_for()
    visitor.get_by_label(vi("Anything to add? (optional)")).fill("Nhanh và rõ ràng, cảm ơn!")
    visitor.get_by_role("button", name=vi("Send my answer")).click()
    visitor.get_by_text(vi("Thank you: your answer is recorded.")).wait_for()
    assert_accessible(visitor)

    # Chi's reports show the rating and the ticket, days and times in Ho Chi Minh City.
    _login(chi, server, host, "chi@hanoi.example")
    chi.goto(server.url(host, "/reports/"))
    report = chi.locator("main").inner_text()
    assert ZONE in report
    assert vi("Latest answers") in report
    answers = chi.locator("#table-satisfaction_answers").inner_text()
    assert "Nhanh và rõ ràng, cảm ơn!" in answers
    assert f"#{ticket.number} Không tải được hóa đơn tháng 11" in answers
    assert vi("Answered at (%(zone)s)") % {"zone": ZONE} in answers
    with in_schema(system):
        answered = ticket.satisfaction_ratings.get().answered_at
    with translation.override("vi"), timezone.override(ZoneInfo(ZONE)):
        shown = date_format(timezone.localtime(answered), "SHORT_DATETIME_FORMAT")
    assert shown in answers
    assert_accessible(chi)
    for page in (lan, minh, chi, visitor):
        page.context.close()

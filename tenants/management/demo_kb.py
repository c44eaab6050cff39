"""The demo System's knowledge base: two sections and four public articles, two of them in
Vietnamese (one the translation of an English article), written by the demo's agent through
the services, so versions, search and the help center are what real writing leaves."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from accounts.models import User
from tickets.kb.models import Article, KbSection
from tickets.kb.services import article_create, section_create

CURRENCY_EN = """\
A customer can be invoiced in more than one currency.

1. Open **Customers** and choose the customer.
2. Under **Billing**, choose **Add a currency** and pick it from the list.
3. On a new invoice, choose the currency next to the total.

Exchange rates come from the European Central Bank each morning; an invoice keeps the rate
of the day it was issued. See [the rates we use](https://www.ecb.europa.eu/stats/policy_and_exchange_rates/).
"""

CURRENCY_VI = """\
Bạn có thể lập hóa đơn cho một khách hàng bằng nhiều loại tiền.

1. Mở **Khách hàng** và chọn khách hàng.
2. Trong mục **Thanh toán**, chọn **Thêm loại tiền** rồi chọn trong danh sách.
3. Khi tạo hóa đơn mới, chọn loại tiền bên cạnh tổng tiền.

Tỷ giá được lấy từ Ngân hàng Trung ương châu Âu mỗi sáng; mỗi hóa đơn giữ tỷ giá của ngày
phát hành.
"""

GOOGLE_EN = """\
Choose **Sign in with Google** on the login page and pick your work account.

If you are sent back to the login page, your company's Google admin may not have allowed
our app yet: ask them to add it under *Security → API controls*, then try again. Still
stuck? Raise a ticket and tell us the address you signed in with.
"""

RESET_VI = """\
Nếu bạn quên mật khẩu:

1. Mở trang đăng nhập và chọn **Quên mật khẩu?**.
2. Nhập địa chỉ email của bạn.
3. Mở liên kết trong email chúng tôi gửi và đặt mật khẩu mới.

Liên kết chỉ dùng được một lần và hết hạn sau ba ngày. Không nhận được email? Hãy xem thư
mục thư rác, hoặc gửi yêu cầu hỗ trợ.
"""


def kb_fill(*, people: Mapping[str, User]) -> int:
    """Write the demo's articles unless the current System has a knowledge base already.
    ``people`` maps "agent" (the writer) to an account. Returns how many articles were made."""
    with transaction.atomic():
        if KbSection.objects.exists():
            return 0
        agent = people["agent"]
        billing = section_create(
            actor=agent,
            name="Invoices and payments",
            description="Invoicing your customers, currencies and payments.",
            position=1,
        )
        account = section_create(
            actor=agent,
            name="Your account",
            description="Signing in, passwords and your profile.",
            position=2,
        )
        english = article_create(
            actor=agent,
            section=billing,
            title="Add a second currency to a customer",
            body=CURRENCY_EN,
            visibility="public",
        )
        article_create(
            actor=agent,
            section=billing,
            title="Thêm loại tiền thứ hai cho khách hàng",
            body=CURRENCY_VI,
            visibility="public",
            language="vi",
            translation=english,
        )
        article_create(
            actor=agent,
            section=account,
            title="Sign in with Google",
            body=GOOGLE_EN,
            visibility="public",
        )
        article_create(
            actor=agent,
            section=account,
            title="Đặt lại mật khẩu",
            body=RESET_VI,
            visibility="public",
            language="vi",
        )
        return Article.objects.count()

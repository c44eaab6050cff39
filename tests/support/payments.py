"""A second payment provider, as an operator would add one: no lifecycle code changes."""

from tenants.billing.models import Invoice
from tenants.billing.payments import PaymentProvider


class CardLink(PaymentProvider):
    code = "cardlink"
    label = "Card"

    def instructions(self, invoice: Invoice) -> str:
        return f"Pay {invoice.balance} {invoice.currency} by card at https://pay.example/{invoice.number}"

"""How money arrives. Lifecycle code only ever calls ``billing.payment_record``; a provider
is whatever produces those calls (the operator in admin, a webhook, an import) plus the
instructions shown to the customer. Add one to settings.PAYMENT_PROVIDERS."""

from __future__ import annotations

from abc import ABC, abstractmethod
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from tenants.billing.models import Invoice


class PaymentProvider(ABC):
    code: str
    label: str

    @abstractmethod
    def instructions(self, invoice: Invoice) -> str:
        """What the customer should do to pay ``invoice``."""


class ManualTransfer(PaymentProvider):
    """A bank transfer the operator records in admin (amount, date, reference)."""

    code = "manual"
    label = "Bank transfer"

    def instructions(self, invoice: Invoice) -> str:
        return (
            f"Transfer {invoice.balance} {invoice.currency} to {settings.BANK_TRANSFER_DETAILS}, "
            f"with the reference {invoice.number}. We record it within one working day."
        )


@cache
def providers() -> tuple[PaymentProvider, ...]:
    return tuple(import_string(path)() for path in settings.PAYMENT_PROVIDERS)


def provider(code: str) -> PaymentProvider:
    for candidate in providers():
        if candidate.code == code:
            return candidate
    raise LookupError(f"No payment provider {code!r} is configured.")

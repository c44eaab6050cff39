"""How money arrives. Lifecycle code only ever calls ``billing.payment_record``; a provider
is whatever produces those calls (the operator in admin, a webhook, an import) plus the
instructions shown to the customer. Add one to settings.PAYMENT_PROVIDERS."""

from __future__ import annotations

from abc import ABC, abstractmethod
from functools import cache

from django.conf import settings
from django.utils.functional import Promise as StrPromise
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenants.billing.models import Invoice


class PaymentProvider(ABC):
    code: str
    label: str | StrPromise  # what the customer reads: translated when shown

    @abstractmethod
    def instructions(self, invoice: Invoice) -> str:
        """What the customer should do to pay ``invoice``."""


class ManualTransfer(PaymentProvider):
    """A bank transfer the operator records in admin (amount, date, reference)."""

    code = "manual"
    label = gettext_lazy("Bank transfer")

    def instructions(self, invoice: Invoice) -> str:
        return _(
            "Transfer %(amount)s %(currency)s to %(details)s, with the reference %(number)s. "
            "We record it within one working day."
        ) % {
            "amount": invoice.balance,
            "currency": invoice.currency,
            "details": settings.BANK_TRANSFER_DETAILS,
            "number": invoice.number,
        }


@cache
def providers() -> tuple[PaymentProvider, ...]:
    return tuple(import_string(path)() for path in settings.PAYMENT_PROVIDERS)


def provider(code: str) -> PaymentProvider:
    for candidate in providers():
        if candidate.code == code:
            return candidate
    raise LookupError(f"No payment provider {code!r} is configured.")

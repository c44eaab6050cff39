"""Deployment checks of billing (`manage.py check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

MANUAL = "tenants.billing.payments.ManualTransfer"


@register(Tags.security, deploy=True)
def bank_details_are_real(app_configs, **kwargs) -> list[Error]:
    """Customers would be told to pay to a placeholder."""
    uses_transfers = MANUAL in settings.PAYMENT_PROVIDERS
    placeholder = settings.BANK_TRANSFER_DETAILS.strip() in {
        "",
        settings.BANK_TRANSFER_PLACEHOLDER,
    }
    if uses_transfers and placeholder:
        return [
            Error(
                "BANK_TRANSFER_DETAILS is unset: invoices would show a placeholder account.",
                hint="Set BANK_TRANSFER_DETAILS to the account customers pay into, or take "
                f"{MANUAL} out of PAYMENT_PROVIDERS.",
                id="billing.E001",
            )
        ]
    return []

"""factory_boy factories. Tenant-side factories create rows in the schema that is active."""

from datetime import timedelta
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from legal.models import TermsAcceptance
from legal.selectors import terms_current
from tenants.billing.models import Invoice, Plan
from tenants.models import Customer

PASSWORD = "correct-horse-battery"


def accept_current_terms(user) -> None:
    current = terms_current()
    if current is not None:
        TermsAcceptance.objects.get_or_create(
            user=user, terms_version_id=current.pk, defaults={"version": current.version}
        )


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    name = factory.Sequence(lambda n: f"Customer {n}")
    email = factory.Sequence(lambda n: f"billing{n}@customer.example")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    role = User.Role.MEMBER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            # Accounts made by our services have a verified address; allauth needs it.
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)
            # ...and they accepted the terms in effect when they joined.
            accept_current_terms(obj)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    name = factory.Sequence(lambda n: f"Plan {n}")
    price_per_seat = Decimal("10.00")
    currency = "EUR"
    seat_cap = 50


class InvoiceFactory(factory.django.DjangoModelFactory):
    """An open invoice of ``system`` for one month (numbers outside the real sequence)."""

    class Meta:
        model = Invoice

    number = factory.Sequence(lambda n: f"INV-1999-{n + 1:06d}")
    customer = factory.LazyAttribute(lambda o: o.system.customer)
    system_name = factory.LazyAttribute(lambda o: o.system.name)
    system_slug = factory.LazyAttribute(lambda o: o.system.slug or "")
    period_start = factory.Sequence(
        lambda n: (timezone.now() - timedelta(days=31 * (n + 1))).date().replace(day=1)
    )
    period_end = factory.LazyAttribute(
        lambda o: (o.period_start + timedelta(days=32)).replace(day=1)
    )
    seats_billed = 3
    currency = "EUR"
    amount = Decimal("30.00")
    lines = factory.LazyAttribute(lambda o: [{"text": "3 seats", "amount": str(o.amount)}])
    issued_at = factory.LazyFunction(timezone.now)
    due_at = factory.LazyAttribute(lambda o: o.issued_at + timedelta(days=14))

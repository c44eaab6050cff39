"""factory_boy factories. Tenant-side factories create rows in the schema that is active."""

import factory
from allauth.account.models import EmailAddress

from accounts.models import User
from legal.models import TermsAcceptance
from legal.selectors import terms_current
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

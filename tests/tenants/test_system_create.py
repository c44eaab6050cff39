import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import schema_exists

from tenants import selectors, services
from tenants.models import Domain, System
from tenants.onboarding import services as onboarding
from tests.factories import CustomerFactory


def _schemas() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 's\\_%'")
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def pooled(db) -> System:
    """The pooled schema the next signup will claim."""
    services.pool_refill(size=1)
    return System.objects.filter(status=System.Status.POOLED).order_by("id").first()


def test_it_claims_a_pooled_schema_without_making_a_new_one(pooled):
    before = _schemas()

    system = onboarding.system_create(customer=CustomerFactory(), name="Gamma", slug="gamma")

    assert system.pk == pooled.pk
    assert system.schema_name == pooled.schema_name
    assert system.status == System.Status.TRIAL
    assert system.claimed_at is not None
    assert _schemas() == before
    assert Domain.objects.get(tenant=system).domain == "gamma.localhost"


def test_the_claimed_schema_is_fully_migrated(pooled):
    system = onboarding.system_create(customer=CustomerFactory(), name="Gamma", slug="gamma")

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = %s",
            [system.schema_name],
        )
        (tables,) = cursor.fetchone()
    assert tables > 5
    assert selectors.system_for_host(host="gamma.localhost") == system


def test_it_makes_a_schema_synchronously_when_the_pool_is_empty(db):
    System.objects.filter(status=System.Status.POOLED).update(status=System.Status.TERMINATED)

    system = onboarding.system_create(customer=CustomerFactory(), name="Delta", slug="delta")

    assert schema_exists(system.schema_name)
    assert system.status == System.Status.TRIAL


def test_schema_names_are_opaque_and_not_the_subdomain(pooled):
    system = onboarding.system_create(customer=CustomerFactory(), name="Gamma", slug="gamma")

    assert system.schema_name.startswith("s_")
    assert "gamma" not in system.schema_name


@pytest.mark.parametrize("slug", ["admin", "www", "api", "mail", "static", "support", "billing"])
def test_it_refuses_reserved_subdomains(db, slug):
    with pytest.raises(ValidationError) as error:
        onboarding.system_create(customer=CustomerFactory(), name="X", slug=slug)
    assert "reserved" in str(error.value)
    assert not System.objects.filter(slug=slug).exists()


@pytest.mark.parametrize(
    "slug", ["a", "-acme", "acme-", "ac--me", "acme.co", "acme_co", "ac me", "x" * 64, "ünï"]
)
def test_it_refuses_malformed_subdomains(db, slug):
    with pytest.raises(ValidationError):
        onboarding.system_create(customer=CustomerFactory(), name="X", slug=slug)


def test_it_lowercases_the_subdomain(pooled):
    system = onboarding.system_create(customer=CustomerFactory(), name="Echo", slug="  Echo ")
    assert system.slug == "echo"


def test_it_refuses_a_taken_subdomain_and_keeps_the_pool(system_a, pooled):
    with pytest.raises(ValidationError) as error:
        onboarding.system_create(customer=CustomerFactory(), name="Again", slug=system_a.slug)

    assert "already taken" in str(error.value)
    pooled.refresh_from_db()
    assert pooled.status == System.Status.POOLED


def test_a_customer_may_own_several_systems(pooled):
    customer = CustomerFactory()
    first = onboarding.system_create(customer=customer, name="One", slug="one-desk")
    second = onboarding.system_create(customer=customer, name="Two", slug="two-desk")

    assert set(customer.systems.all()) == {first, second}
    assert first.schema_name != second.schema_name


def test_pooled_schemas_answer_on_no_host(pooled):
    assert not Domain.objects.filter(tenant=pooled).exists()
    assert selectors.system_for_host(host=f"{pooled.schema_name}.localhost") is None

from django.core.management import call_command
from django.db import connection

from tenants import selectors, services
from tenants.models import System


def test_it_fills_the_pool_to_the_configured_size(db, settings):
    settings.SYSTEM_POOL_SIZE = 2
    System.objects.filter(status=System.Status.POOLED).delete()

    made = services.pool_refill()

    assert made == 2
    assert selectors.pool_size() == 2


def test_running_it_again_makes_nothing(db):
    System.objects.filter(status=System.Status.POOLED).delete()  # (other tests give back some)
    services.pool_refill(size=1)

    assert services.pool_refill(size=1) == 0
    assert selectors.pool_size() == 1


def test_migrate_schemas_brings_pooled_schemas_up_to_date(db):
    System.objects.filter(status=System.Status.POOLED).delete()
    services.pool_refill(size=1)
    pooled = System.objects.get(status=System.Status.POOLED)
    # Make the pooled schema one migration behind, as after a deploy that adds one.
    with connection.cursor() as cursor:
        cursor.execute(f'DROP TABLE "{pooled.schema_name}".django_session')
        cursor.execute(
            f'DELETE FROM "{pooled.schema_name}".django_migrations WHERE app = %s', ["sessions"]
        )

    call_command("migrate_schemas", tenant=True, interactive=False, verbosity=0)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = %s AND table_name = %s",
            [pooled.schema_name, "django_session"],
        )
        assert cursor.fetchone() is not None

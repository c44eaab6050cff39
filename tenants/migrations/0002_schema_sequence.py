from django.db import migrations


class Migration(migrations.Migration):
    """Numbers for opaque schema names (s_000123), independent of row ids."""

    dependencies = [("tenants", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE IF NOT EXISTS tenants_schema_seq",
            reverse_sql="DROP SEQUENCE IF EXISTS tenants_schema_seq",
        ),
    ]

from django.db import migrations


class Migration(migrations.Migration):
    """Ticket numbers (#1042): one sequence per System's schema."""

    dependencies = [("tickets", "0001_tickets")]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE IF NOT EXISTS tickets_number_seq",
            "DROP SEQUENCE IF EXISTS tickets_number_seq",
            hints={"model_name": "ticket"},
        ),
    ]

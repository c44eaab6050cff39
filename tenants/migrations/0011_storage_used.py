from django.db import migrations, models


def count_what_exists(apps, schema_editor):
    """A first figure for every System: its attachments' bytes and its export archives
    still offered (thumbnails are left to the daily recount, which stats them on disk)."""
    System = apps.get_model("tenants", "System")
    Export = apps.get_model("tenants", "Export")
    connection = schema_editor.connection
    for system in System.objects.only("pk", "schema_name"):
        files = 0
        with connection.cursor() as cursor:
            table = f'"{system.schema_name}".tickets_attachment'
            cursor.execute("SELECT to_regclass(%s)", [table])
            if cursor.fetchone()[0] is not None:
                cursor.execute(f"SELECT coalesce(sum(size), 0) FROM {table}")
                files = int(cursor.fetchone()[0])
        archives = (
            Export.objects.filter(system_id=system.pk, status="ready").aggregate(
                total=models.Sum("size")
            )["total"]
            or 0
        )
        System.objects.filter(pk=system.pk).update(storage_used=files + archives)


class Migration(migrations.Migration):

    dependencies = [
        ('tenants', '0010_operator_groups'),
    ]

    operations = [
        migrations.AddField(
            model_name='system',
            name='storage_notice_level',
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='system',
            name='storage_used',
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.RunPython(count_what_exists, migrations.RunPython.noop),
    ]

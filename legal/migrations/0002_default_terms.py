from pathlib import Path

from django.db import migrations
from django.utils import timezone

TEXT = Path(__file__).resolve().parent.parent / "texts" / "terms-1.0.md"


def publish_default_terms(apps, schema_editor):
    TermsVersion = apps.get_model("legal", "TermsVersion")
    if TermsVersion.objects.exists():
        return
    TermsVersion.objects.create(
        version="1.0",
        effective_at=timezone.now(),
        summary="The default terms of this installation, until the operator publishes theirs.",
        body=TEXT.read_text(),
    )


class Migration(migrations.Migration):
    dependencies = [("legal", "0001_initial")]

    operations = [
        migrations.RunPython(
            publish_default_terms,
            migrations.RunPython.noop,
            hints={"model_name": "termsversion"},
        ),
    ]

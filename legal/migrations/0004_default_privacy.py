from pathlib import Path

from django.db import migrations
from django.utils import timezone

TEXT = Path(__file__).resolve().parent.parent / "texts" / "privacy-1.0.md"


def publish_default_privacy(apps, schema_editor):
    TermsVersion = apps.get_model("legal", "TermsVersion")
    # Versions that exist already are where everyone started: nobody is told about them.
    TermsVersion.objects.filter(announced_at__isnull=True).update(announced_at=timezone.now())
    if TermsVersion.objects.filter(document="privacy").exists():
        return
    TermsVersion.objects.create(
        document="privacy",
        version="1.0",
        effective_at=timezone.now(),
        announced_at=timezone.now(),
        summary="The default privacy policy of this installation.",
        body=TEXT.read_text(),
    )


class Migration(migrations.Migration):
    dependencies = [("legal", "0003_privacy_access_consents_takedowns")]

    operations = [
        migrations.RunPython(
            publish_default_privacy,
            migrations.RunPython.noop,
            hints={"model_name": "termsversion"},
        ),
    ]

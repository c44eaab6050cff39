"""Count Systems' storage again from their rows and files: what the daily beat job does."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from tenants.models import System
from tenants.storage import storage_recount


class Command(BaseCommand):
    help = (
        "Count the bytes of every System's files, thumbnails and export archives again, "
        "and correct the kept figure where it drifted (after a restore or an import)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("slugs", nargs="*", help="Only these Systems (subdomains).")

    def handle(self, *args, slugs: list[str], **options) -> None:
        systems = System.objects.exclude(status=System.Status.POOLED)
        if slugs:
            systems = systems.filter(slug__in=slugs)
            missing = set(slugs) - set(systems.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"No System {', '.join(sorted(missing))}.")
        for system_id, slug in systems.order_by("slug").values_list("pk", "slug"):
            before, after = storage_recount(system_id=system_id)
            change = "" if before == after else f" (was {filesizeformat(before)})"
            self.stdout.write(f"{slug}: {filesizeformat(after)}{change}")

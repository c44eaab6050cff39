"""Back up one System now (and optionally verify it): what the beat does, by hand."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from tenants.backups.models import Backup
from tenants.backups.services import backups
from tenants.models import System


class Command(BaseCommand):
    help = "Back up a System now: its schema and files, checksummed, to the backups storage."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug", help="The System's subdomain.")
        parser.add_argument("--verify", action="store_true", help="Verify it afterwards.")

    def handle(self, *args, slug: str, verify: bool, **options) -> None:
        system = System.objects.filter(slug=slug).first()
        if system is None:
            raise CommandError(f"No System {slug}.")
        backup = backups.backup_create(system=system, kind=Backup.Kind.MANUAL)
        try:
            done = backups.backup_run(backup_id=backup.pk)
        except Exception as error:
            backups.backup_fail(backup_id=backup.pk, error=f"{type(error).__name__}: {error}")
            raise CommandError(f"The backup failed: {error}") from error
        if done is None or done.status != Backup.Status.OK:
            raise CommandError("Another worker is running this backup.")
        self.stdout.write(f"backup #{done.pk}: {done.size} bytes at {done.location}")
        if verify:
            checked = backups.backup_verify(backup_id=done.pk)
            assert checked is not None
            self.stdout.write(f"verified: {'OK' if checked.verify_ok else checked.verify_detail}")
            if not checked.verify_ok:
                raise CommandError("Verification failed.")

"""Make a new System from an export archive: `manage.py import_system ARCHIVE --slug NEW`."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants import selectors
from tenants.models import Customer
from tenants.portability.services.archive import ArchiveError
from tenants.portability.services.imports import system_import


class Command(BaseCommand):
    help = (
        "Create a new System from an export archive. The archive is verified first; a bad "
        "or changed archive is refused with the reason and nothing is made."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--slug", required=True, help="The new System's subdomain.")
        parser.add_argument("--name", help="Its name (default: the exported System's).")
        parser.add_argument(
            "--customer", type=int, help="Id of the Customer it belongs to (default: a new one)."
        )
        parser.add_argument(
            "--trust-foreign",
            action="store_true",
            help=(
                "Accept an archive signed by another Service Desk (checksums still count): its "
                "people are emailed a link to choose a password and its HTML is rendered again."
            ),
        )

    def handle(self, *args, archive: Path, slug: str, name, customer, trust_foreign, **options):
        if not archive.is_file():
            raise CommandError(f"{archive} is not a file.")
        owner = None
        if customer is not None:
            owner = Customer.objects.filter(pk=customer).first()
            if owner is None:
                raise CommandError(f"There is no customer {customer}.")
        try:
            system = system_import(
                path=archive,
                slug=slug,
                name=name,
                customer=owner,
                by="manage.py import_system",
                trust_foreign=trust_foreign,
            )
        except ArchiveError as error:
            raise CommandError(f"Refused: {error}") from None
        except ValidationError as error:
            raise CommandError(f"Refused: {'; '.join(error.messages)}") from None
        url = selectors.system_url(system=system)
        self.stdout.write(self.style.SUCCESS(f"Imported as {system.slug}: {url}"))
        self.stdout.write(
            "People keep their accounts but not their passwords: each sets a new one with "
            "“Forgot password” (from an archive signed elsewhere, each is emailed a link). "
            "Pending invitations must be sent again."
        )

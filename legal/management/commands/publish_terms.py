"""Publish a version of the terms (or the privacy policy) from a Markdown file.

manage.py publish_terms FILE.md --version 2.0 --effective 2026-12-01 --summary "…"
  [--reason "…"]   (needed when it takes effect sooner than TERMS_MIN_NOTICE_DAYS)
"""

from datetime import datetime, time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from legal.models import TermsVersion
from legal.services.terms import terms_publish


class Command(BaseCommand):
    help = "Publish a terms or privacy version, now or from a future date."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Our --version is the terms' version; it replaces Django's "print my version".
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--version", required=True)
        parser.add_argument(
            "--effective",
            required=True,
            help="YYYY-MM-DD (midnight UTC) or an ISO date-time; 'now' for immediately.",
        )
        parser.add_argument("--summary", required=True, help="What changed, for the email.")
        parser.add_argument(
            "--reason",
            default="",
            help="Why it takes effect with less than the minimum notice (shown to people).",
        )
        parser.add_argument(
            "--document", choices=TermsVersion.Document.values, default=TermsVersion.Document.TERMS
        )

    def handle(
        self,
        *args,
        file: Path,
        version: str,
        effective: str,
        summary: str,
        reason: str,
        document: str,
        **options,
    ):
        try:
            body = file.read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Can't read {file}: {error}") from error
        effective_at = _when(effective)
        try:
            published = terms_publish(
                document=document,
                version=version,
                effective_at=effective_at,
                body=body,
                summary=summary,
                short_notice_reason=reason,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Published {published} — in effect from {published.effective_at:%Y-%m-%d %H:%M} UTC."
        )


def _when(value: str) -> datetime:
    if value == "now":
        return timezone.now()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--effective {value!r} is not a date (YYYY-MM-DD).") from error
    if len(value) == 10:
        parsed = datetime.combine(parsed.date(), time.min)
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, timezone.UTC)

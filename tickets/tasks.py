from datetime import datetime

from celery import shared_task
from django_tenants.utils import schema_context

from tenants.models import System
from tickets.models import Attachment
from tickets.services.attachments import thumbnail_make, thumbnails_give_up
from tickets.services.trash import trash_purge_due


def _thumbnails_given_up(task, args: tuple, kwargs: dict) -> None:
    """Its worker died on every try (an image too costly to decode): no previews then."""
    ids = kwargs.get("attachment_ids", args[0] if args else [])
    thumbnails_give_up(attachment_ids=ids)


@shared_task(
    name="tickets.tasks.attachment_thumbnails",
    ignore_result=True,
    max_retries=3,
    on_poisoned=_thumbnails_given_up,
)
def attachment_thumbnails(attachment_ids: list[int]) -> int:
    """Runs in the System's schema (the task carries it); idempotent."""
    made = 0
    for attachment in Attachment.objects.filter(pk__in=attachment_ids, erased_at__isnull=True):
        made += thumbnail_make(attachment)
    return made


@shared_task(name="tickets.tasks.trash_purge_all", ignore_result=True)
def trash_purge_all(as_of: str | None = None) -> int:
    """Beat, in public: queue one ``trash_purge`` per System, in that System's schema."""

    count = 0
    schemas = System.objects.exclude(status=System.Status.POOLED).values_list(
        "schema_name", flat=True
    )
    for schema in schemas:
        with schema_context(schema):
            trash_purge.delay(as_of)
        count += 1
    return count


@shared_task(name="tickets.tasks.trash_purge", ignore_result=True, acks_late=True)
def trash_purge(as_of: str | None = None) -> int:
    """Delete for good what has been in this System's trash longer than TRASH_DAYS."""

    return trash_purge_due(as_of=datetime.fromisoformat(as_of) if as_of else None)

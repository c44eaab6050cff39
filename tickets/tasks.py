from celery import shared_task

from tickets.models import Attachment
from tickets.services.attachments import thumbnail_make


@shared_task(name="tickets.tasks.attachment_thumbnails", ignore_result=True, max_retries=3)
def attachment_thumbnails(attachment_ids: list[int]) -> int:
    """Runs in the System's schema (the task carries it); idempotent."""
    made = 0
    for attachment in Attachment.objects.filter(pk__in=attachment_ids):
        made += thumbnail_make(attachment)
    return made

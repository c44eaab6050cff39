from celery import shared_task
from django.db import OperationalError
from django_tenants.utils import schema_context

from tickets.mail.services.mailbox import POLL_EVERY_SECONDS, mailboxes_to_poll
from tickets.mail.services.mailbox import mailbox_poll as poll
from tickets.mail.services.processing import inbound_process as process
from tickets.mail.services.review import inbound_give_up


def _given_up(task, args: tuple, kwargs: dict) -> None:
    """Its worker died on every try: the message is kept as failed, for an admin."""
    inbound_give_up(message_pk=kwargs["message_pk"])


@shared_task(
    name="tickets.mail.tasks.inbound_process",
    ignore_result=True,
    autoretry_for=(OSError, OperationalError),
    retry_backoff=10,
    max_retries=6,
    on_poisoned=_given_up,
    # A message built to be slow (thousands of parts) fails alone, as failed, with this
    # reason; the hard limit ends a worker stuck past it (it is then counted as poisoned).
    soft_time_limit=120,
    time_limit=180,
)
def inbound_process(*, message_pk: int) -> None:
    """Runs in the System's schema (the task carries it); idempotent."""
    process(message_pk=message_pk)


@shared_task(name="tickets.mail.tasks.mailboxes_poll_all", ignore_result=True)
def mailboxes_poll_all() -> int:
    """Beat, in public: one ``mailbox_poll`` for each System with a mailbox connected. A
    poll not started within two rounds is dropped: the next round asks again."""
    schemas = mailboxes_to_poll()
    for schema in schemas:
        with schema_context(schema):
            mailbox_poll.apply_async(expires=2 * POLL_EVERY_SECONDS)
    return len(schemas)


@shared_task(name="tickets.mail.tasks.mailbox_poll", ignore_result=True)
def mailbox_poll() -> None:
    """Runs in the System's schema (the task carries it)."""
    poll()

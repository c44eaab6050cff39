import time

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import translation

from servicedesk import mail, redis


@shared_task(name="servicedesk.tasks.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Beat queues this; a worker running it proves both are alive (see /healthz)."""
    redis.client().set(redis.key("worker-heartbeat"), str(time.time()), ex=3600)


def _send_given_up(task, args: tuple, kwargs: dict) -> None:
    """Its worker died on every try: the mail is recorded as not delivered."""
    message_id = mail.message_id_of(kwargs.get("headers") or {})
    if message_id:
        mail.delivery_record(
            message_id=message_id, error="Sending stopped the worker every time it was tried."
        )


@shared_task(
    name="servicedesk.tasks.send_email",
    bind=True,
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=8,
    on_poisoned=_send_given_up,
)
def send_email(
    self,
    *,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    from_email: str | None = None,
    reply_to: str | None = None,
    headers: dict[str, str] | None = None,
    metadata: dict[str, str] | None = None,
    language: str | None = None,
) -> None:
    with translation.override(language or settings.LANGUAGE_CODE):
        text, html = mail.with_support_footer(text, html)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_email or mail.from_address(),
        to=[to],
        reply_to=[reply_to] if reply_to else None,
        headers=headers or None,
    )
    if html:
        message.attach_alternative(html, "text/html")
    if metadata:
        # anymail hands it to the provider, whose delivery events bring it back.
        message.metadata = metadata  # type: ignore[attr-defined]
    message_id = mail.message_id_of(headers or {})
    try:
        message.send()
    except Exception as error:
        # Network trouble (OSError) is retried; anything else, or the last try, is final.
        if message_id and (
            not isinstance(error, OSError) or self.request.retries >= self.max_retries
        ):
            mail.delivery_record(
                message_id=message_id, error=f"{type(error).__name__}: {error}"[:2000]
            )
        raise
    if message_id:
        status = getattr(message, "anymail_status", None)
        # One recipient, one id (a set only when recipients got different ones).
        provider_id = getattr(status, "message_id", None)
        mail.delivery_record(
            message_id=message_id,
            provider_id=str(provider_id) if isinstance(provider_id, str | int) else "",
        )

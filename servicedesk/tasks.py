import time

from celery import shared_task
from django.core.mail import EmailMultiAlternatives

from servicedesk import mail, redis


@shared_task(name="servicedesk.tasks.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Beat queues this; a worker running it proves both are alive (see /healthz)."""
    redis.client().set(redis.key("worker-heartbeat"), str(time.time()), ex=3600)


@shared_task(
    name="servicedesk.tasks.send_email",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=8,
)
def send_email(*, to: str, subject: str, text: str, html: str | None = None) -> None:
    text, html = mail.with_support_footer(text, html)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=mail.from_address(), to=[to]
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()

"""Templated email, sent by a Celery worker after the transaction that caused it commits.

Templates live in templates/emails/: ``<name>.subject.txt``, ``<name>.txt`` and, when
present, ``<name>.html``. Rendering happens here, in the request, so the task carries
only finished text and can be retried safely.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

from servicedesk.queue import enqueue_on_commit


def render(template: str, context: dict) -> tuple[str, str, str | None]:
    subject = " ".join(render_to_string(f"emails/{template}.subject.txt", context).split())
    text = render_to_string(f"emails/{template}.txt", context)
    try:
        html = render_to_string(f"emails/{template}.html", context)
    except TemplateDoesNotExist:
        html = None
    return subject, text, html


def send_templated(
    *, to: Iterable[str], template: str, context: dict, essential: bool = False
) -> None:
    """Queue one email per recipient (nobody sees anyone else's address).

    A suspended or terminated System sends no mail but the essential kind (billing,
    lifecycle, account security): its people can't work there, so nothing is news.
    """
    from servicedesk.tasks import send_email

    recipients = sorted({address for address in to if address})
    if not recipients or (not essential and _system_is_silenced()):
        return
    base = {"site_name": "Service Desk", "base_domain": settings.BASE_DOMAIN}
    subject, text, html = render(template, {**base, **context})
    for address in recipients:
        enqueue_on_commit(send_email, to=address, subject=subject, text=text, html=html)


def from_address() -> str:
    return settings.DEFAULT_FROM_EMAIL


def _system_is_silenced() -> bool:
    from servicedesk.schema import current_schema, in_public_schema
    from tenants.models import System

    if in_public_schema():
        return False
    status = System.objects.filter(schema_name=current_schema()).values_list("status", flat=True)
    return next(iter(status), None) in {System.Status.SUSPENDED, System.Status.TERMINATED}

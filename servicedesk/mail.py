"""Templated email, sent by a Celery worker after the transaction that caused it commits.

Templates live in templates/emails/: ``<name>.subject.txt``, ``<name>.txt`` and, when
present, ``<name>.html``. Rendering happens here, in the request, so the task carries
only finished text and can be retried safely.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import groupby

from django.conf import settings
from django.db import connection
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from servicedesk.locales import activated
from servicedesk.queue import enqueue_on_commit


def render(template: str, context: dict) -> tuple[str, str, str | None]:
    subject = " ".join(render_to_string(f"emails/{template}.subject.txt", context).split())
    text = render_to_string(f"emails/{template}.txt", context)
    try:
        html = render_to_string(f"emails/{template}.html", context)
    except TemplateDoesNotExist:
        html = None
    return subject, text, html


SEND_EMAIL = "servicedesk.tasks.send_email"


def send_templated(
    *, to: Iterable[str], template: str, context: dict, essential: bool = False
) -> None:
    """Queue one email per recipient (nobody sees anyone else's address).

    A suspended or terminated System sends no mail but the essential kind (billing,
    lifecycle, account security): its people can't work there, so nothing is news.
    """
    recipients = sorted({address for address in to if address})
    if not recipients or (not essential and _system_is_silenced()):
        return
    base = {"site_name": "Service Desk", "base_domain": settings.BASE_DOMAIN}
    # Rendered once per language and zone among the readers, each in his own.
    by_locale = sorted((reader_locale(address), address) for address in recipients)
    for locale, group in groupby(by_locale, key=lambda pair: pair[0]):
        language, zone = locale
        with activated(language=language, time_zone=zone):
            subject, text, html = render(template, {**base, **context})
            for _locale, address in group:
                enqueue_on_commit(
                    SEND_EMAIL,
                    to=address,
                    subject=subject,
                    text=text,
                    html=html,
                    language=translation.get_language(),
                )


def send(
    *,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    from_email: str | None = None,
    reply_to: str | None = None,
    headers: dict[str, str] | None = None,
    metadata: dict[str, str] | None = None,
) -> None:
    """Queue one finished mail (rendered by the caller) after the transaction commits.

    ``headers`` may carry a ``Message-ID``: the delivery recorders then learn whether it
    left (sent, with the provider's id) or failed for good. ``metadata`` goes to the mail
    provider (anymail) and comes back with its delivery events. The caller decides about
    silenced Systems (``silenced()``).
    """
    enqueue_on_commit(
        SEND_EMAIL,
        to=to,
        subject=subject,
        text=text,
        html=html,
        from_email=from_email,
        reply_to=reply_to,
        headers=headers or {},
        metadata=metadata or {},
        language=translation.get_language(),  # of the footer the worker adds
    )


# Who reads a mail decides its language and time zone. The kernel knows no people: the
# accounts layer registers a lookup (address -> the person's own choices, blanks allowed);
# what a person left blank, and every address that is nobody's (contacts writing by mail),
# takes the current System's defaults.
_READER_LOOKUPS: list[Callable[[str], tuple[str, str] | None]] = []


def reader_lookup(lookup: Callable[[str], tuple[str, str] | None]) -> Callable:
    if lookup not in _READER_LOOKUPS:
        _READER_LOOKUPS.append(lookup)
    return lookup


# The current System's defaults: a request's tenant carries them, but a worker or a
# ``schema_context`` block knows only the schema's name, so the tenancy core registers a
# lookup by schema (the kernel knows no System).
_SYSTEM_LOOKUPS: list[Callable[[], tuple[str, str] | None]] = []


def system_lookup(lookup: Callable[[], tuple[str, str] | None]) -> Callable:
    if lookup not in _SYSTEM_LOOKUPS:
        _SYSTEM_LOOKUPS.append(lookup)
    return lookup


def _system_locale() -> tuple[str, str]:
    system = getattr(connection, "tenant", None)
    found = (getattr(system, "language", None), getattr(system, "time_zone", None))
    if found[0] is None:
        found = next(filter(None, (lookup() for lookup in _SYSTEM_LOOKUPS)), found)
    return found[0] or settings.LANGUAGE_CODE, found[1] or settings.TIME_ZONE


def reader_locale(address: str) -> tuple[str, str]:
    """(language, time zone) to write to ``address`` in."""
    for lookup in _READER_LOOKUPS:
        found = lookup(address)
        if found:
            if found[0] and found[1]:
                return found[0], found[1]
            language, zone = _system_locale()
            return found[0] or language, found[1] or zone
    return _system_locale()


@contextmanager
def for_reader(address: str) -> Iterator[None]:
    """Render what ``address`` will read in his language and time zone."""
    language, zone = reader_locale(address)
    with activated(language=language, time_zone=zone):
        yield


def with_support_footer(text: str, html: str | None) -> tuple[str, str | None]:
    """Every mail we send ends with where to get help (added here, where all mail passes,
    so no template can forget it)."""
    address = settings.SUPPORT_EMAIL
    question = _("Questions? Contact support:")
    text = f"{text.rstrip()}\n\n-- \n{question} {address}\n"
    if html is not None:
        link = (
            f'<p style="color:#6c757d;font-size:12px">{escape(question)} '
            f'<a href="mailto:{escape(address)}">{escape(address)}</a></p>'
        )
        html = html.replace("</body>", f"{link}</body>") if "</body>" in html else html + link
    return text, html


def from_address() -> str:
    return settings.DEFAULT_FROM_EMAIL


# Each says whether mail of the current schema is silenced but for the essential kind. The
# kernel knows no System; the tenancy core registers its rule (suspended and terminated
# Systems) when the apps are ready.
_SILENCERS: list[Callable[[], bool]] = []


def silencer(check: Callable[[], bool]) -> Callable[[], bool]:
    _SILENCERS.append(check)
    return check


def _system_is_silenced() -> bool:
    return any(check() for check in _SILENCERS)


def silenced() -> bool:
    """Whether mail of the current schema is silenced but for the essential kind."""
    return _system_is_silenced()


# Each learns what became of a mail sent with a Message-ID: called by the send task with the
# Message-ID (without <>), the provider's id on success, or the error once the task gives
# up. The kernel keeps no record of mail; the tickets layer registers its own.
_RECORDERS: list[Callable[..., None]] = []


def delivery_recorder(record: Callable[..., None]) -> Callable[..., None]:
    if record not in _RECORDERS:
        _RECORDERS.append(record)
    return record


def delivery_record(*, message_id: str, provider_id: str = "", error: str = "") -> None:
    for record in _RECORDERS:
        record(message_id=message_id, provider_id=provider_id, error=error)


def message_id_of(headers: dict[str, str]) -> str:
    for name, value in headers.items():
        if name.lower() == "message-id":
            return value.strip().strip("<>")
    return ""

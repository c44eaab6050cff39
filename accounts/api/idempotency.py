"""Idempotency keys on creates: a client that sends ``Idempotency-Key`` may send the same
request again (after a timeout, say) and gets the first answer replayed, not a second
object. The same key with a different request is a 422 problem. Keys are per token and
kept ``API_IDEMPOTENCY_HOURS`` (older ones are swept when the token sends a new key).

The key's row is inserted in the create's own transaction, before it runs: a concurrent
request with the same key waits on the row's unique index, then finds the answer.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.api.auth import api_token_of
from accounts.api.problems import ApiProblem
from accounts.apitokens.models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY = 200


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    for part in (request.method or "", request.path, request.body):
        digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\x00")
    return digest.hexdigest()


def _answer(status: int, body: Any, headers: Mapping[str, str], replayed: bool) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, default=str),
        status=status,
        content_type="application/json; charset=utf-8",
    )
    for name, value in headers.items():
        response[name] = value
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


Created = tuple[int, Any, dict[str, str]]  # status, JSON body, headers (Location, ETag)


def idempotent(request: HttpRequest, create: Callable[[], Created]) -> HttpResponse:
    """Run ``create`` once per Idempotency-Key (or every time without one)."""
    key = request.headers.get(HEADER, "").strip()
    if not key:
        status, body, headers = create()
        return _answer(status, body, headers, replayed=False)
    if len(key) > MAX_KEY or not key.isprintable():
        raise ApiProblem(
            422,
            "invalid-request",
            title=_("The request is not valid."),
            detail=_("An Idempotency-Key is at most %(count)d printable characters.")
            % {"count": MAX_KEY},
            errors=[{"field": HEADER, "message": _("Invalid key.")}],
        )
    token = api_token_of(request)
    fingerprint = _fingerprint(request)
    since = timezone.now() - timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
    with transaction.atomic():
        IdempotencyKey.objects.filter(token=token, created_at__lt=since).delete()
        row, made = IdempotencyKey.objects.get_or_create(
            token=token, key=key, defaults={"fingerprint": fingerprint}
        )
        if not made:
            if row.fingerprint != fingerprint:
                raise ApiProblem(
                    422,
                    "idempotency-key-reused",
                    title=_("This Idempotency-Key was used for another request."),
                    detail=_("Use a new key for a new request."),
                    errors=[{"field": HEADER, "message": _("Already used for another request.")}],
                )
            return _answer(row.status, row.body, row.headers, replayed=True)
        status, body, headers = create()
        row.status, row.body, row.headers = status, body, headers
        row.save(update_fields=["status", "body", "headers"])
    return _answer(status, body, headers, replayed=False)

"""Webhooks' reads: the endpoints, one endpoint, its delivery log."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from tickets.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

PER_PAGE = 25


def endpoints() -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.order_by("created_at", "id")


def endpoint_get(*, endpoint_id: int) -> WebhookEndpoint:
    """The endpoint, or 404 (each System's live in its own schema: another's is unknown)."""
    return get_object_or_404(WebhookEndpoint, pk=endpoint_id)


def delivery_get(*, endpoint: WebhookEndpoint, delivery_id: int) -> WebhookDelivery:
    return get_object_or_404(
        WebhookDelivery.objects.select_related("endpoint"), pk=delivery_id, endpoint=endpoint
    )


def delivery_log(*, endpoint: WebhookEndpoint, page: int) -> Page:
    """A page of the endpoint's deliveries, newest first, each with its attempts: three
    queries whatever the page holds (count, rows, attempts)."""
    rows = (
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .defer("body")
        .order_by("-created_at", "-id")
        .prefetch_related(
            Prefetch(
                "attempt_log",
                queryset=WebhookAttempt.objects.order_by("-number"),
            )
        )
    )
    return Paginator(rows, PER_PAGE).get_page(page)

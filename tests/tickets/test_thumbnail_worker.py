"""Thumbnails in a real worker process: a bomb that got past the upload check (stored
before it existed) doesn't take the worker past its memory budget."""

from __future__ import annotations

import pytest
from django.conf import settings

from accounts.models import User
from tests.support.images import png_bomb, stored_image
from tests.support.tenancy import in_schema
from tickets.models import Attachment
from tickets.services import tickets as ticket_services
from tickets.tasks import attachment_thumbnails

pytestmark = pytest.mark.worker


def test_a_stored_bomb_does_not_take_the_thumbnail_worker_past_its_budget(worker, committed):
    system = committed.system("bombs", owner="owner@bombs.example")
    with in_schema(system):
        owner = User.objects.get()
        ticket = ticket_services.ticket_create(actor=owner, subject="Screens", description="…")
    # 13,300² RGB: 515 KB on disk, 708 MB of pixels; just under Pillow's own error.
    bomb = stored_image(system, ticket, "bomb.png", png_bomb(13_300, 13_300))
    # 7,000² RGBA: under the pixel limit, but about 390 MB to decode and resize.
    costly = stored_image(system, ticket, "costly.png", png_bomb(7_000, 7_000, mode="RGBA"))
    # 4,000 × 3,000 RGB: about 48 MB to decode, so it gets its preview.
    fine = stored_image(system, ticket, "fine.png", png_bomb(4_000, 3_000))

    start = worker.peak_memory_reset()
    with in_schema(system):
        attachment_thumbnails.delay([bomb.pk, costly.pk, fine.pk])
    worker.drain()
    grew_kib = worker.peak_memory() - start

    print(f"thumbnail worker: peak {grew_kib // 1024} MiB above its {start // 1024} MiB")
    assert grew_kib < settings.THUMBNAIL_MAX_DECODE_MB * 1024
    with in_schema(system):
        found = dict(Attachment.objects.values_list("original_name", "kind"))
        assert Attachment.objects.get(pk=fine.pk).thumbnail
    assert found == {"bomb.png": "file", "costly.png": "file", "fine.png": "image"}

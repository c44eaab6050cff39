"""Image bombs: a small file holding a huge picture is refused from its header, and a
thumbnail is only made within a memory budget. Nothing of it ends in a 500."""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image

from servicedesk import redis
from tests.support.images import animation, png_bomb, png_lying, stored_image
from tests.support.tenancy import in_schema
from tests.tickets.conftest import png_bytes, upload
from tickets.models import Attachment
from tickets.services import images
from tickets.services.attachments import inspect, thumbnail_make
from tickets.tasks import attachment_thumbnails


def _stored_files(system) -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "systems" / system.schema_name
    return sorted(path for path in root.rglob("*") if path.is_file())


def test_a_png_bomb_is_refused_at_upload_naming_the_file_and_its_size(
    system_a, make_ticket, member_a
):
    bomb = png_bomb(10_000, 10_000)
    assert len(bomb) < 300 * 1024, "small on disk"
    before = _stored_files(system_a)

    with pytest.raises(ValidationError) as refused:
        make_ticket(
            member_a, files=[upload("fine.png", png_bytes()), upload("bomb.png", bomb, "image/png")]
        )

    assert refused.value.message_dict["files"] == [
        "“bomb.png” is an image of 10,000 × 10,000 pixels (100 megapixels); "
        "images may have at most 50 megapixels."
    ]
    with in_schema(system_a):
        assert not Attachment.objects.exists()
    assert _stored_files(system_a) == before, "not even the good file was written"


def test_the_form_shows_the_refusal_and_keeps_the_text(system_a, member_client):
    response = member_client.post(
        "/tickets/new/",
        {
            "subject": "Kept subject",
            "description": "Kept body",
            "files": [upload("shot.png", png_bomb(13_300, 13_300, rows=1), "image/png")],
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "“shot.png” is an image of 13,300 × 13,300 pixels (176.9 megapixels)" in page
    assert "Kept subject" in page and "Kept body" in page


def test_the_limit_is_a_setting(system_a, make_ticket, member_a, settings):
    settings.IMAGE_MAX_PIXELS = 1_000_000
    with pytest.raises(ValidationError, match=re.escape("1,001 × 1,000 pixels")):
        make_ticket(member_a, files=[upload("wide.png", png_bomb(1_001, 1_000, rows=1))])
    make_ticket(member_a, files=[upload("square.png", png_bomb(1_000, 1_000))])
    with in_schema(system_a):
        assert Attachment.objects.get().kind == Attachment.Kind.IMAGE


def test_an_image_beyond_what_pillow_opens_is_refused_with_a_message_not_a_500(
    system_a, member_client
):
    # 400 megapixels: Pillow itself raises DecompressionBombError while opening it.
    bomb = png_bomb(20_000, 20_000, rows=1)
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(bomb))

    response = member_client.post(
        "/tickets/new/",
        {"subject": "S", "description": "D", "files": [upload("huge.png", bomb)]},
    )

    assert response.status_code == 400
    assert "“huge.png” is an image too large to open" in response.content.decode()


def test_pillows_bomb_warning_turned_error_is_a_refusal_too(settings):
    # Where warnings are errors (python -W error), Pillow raises its warning from open().
    settings.IMAGE_MAX_PIXELS = 500_000_000
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with pytest.raises(ValidationError, match="too large to open"):
            inspect(upload("big.png", png_bomb(10_000, 10_000, rows=1)))


@pytest.mark.parametrize("fmt", ["GIF", "WEBP"])
def test_an_animation_counts_every_frame(fmt, settings):
    settings.IMAGE_MAX_ANIMATION_PIXELS = 1_000_000
    # 30 frames of 200 × 200: 1.2 megapixels in all; a single frame would be fine.
    many = animation(fmt, size=(200, 200), frames=30)
    few = animation(fmt, size=(200, 200), frames=20)
    name = f"loop.{fmt.lower()}"

    with pytest.raises(ValidationError) as refused:
        inspect(upload(name, many))

    assert refused.value.message_dict["files"] == [
        f"“{name}” is an animation of 30 frames of 200 × 200 pixels (1.2 megapixels in all); "
        "animations may have at most 1 megapixels in all."
    ]
    assert inspect(upload(name, few)).kind == Attachment.Kind.IMAGE


def test_an_image_too_costly_to_decode_gets_no_preview_and_shows_as_a_file(
    system_a, make_ticket, member_a, member_client, settings
):
    settings.THUMBNAIL_MAX_DECODE_MB = 2
    ticket = make_ticket(member_a)
    # 1000 × 1000 RGB decodes to 4 MB: past the budget, though far below the pixel limit.
    costly = stored_image(system_a, ticket, "costly.png", png_bomb(1_000, 1_000))
    cheap = stored_image(system_a, ticket, "cheap.png", png_bomb(500, 500))

    with in_schema(system_a):
        assert thumbnail_make(costly) is False
        assert thumbnail_make(cheap) is True
        costly.refresh_from_db()
        cheap.refresh_from_db()
        assert (costly.kind, bool(costly.thumbnail)) == (Attachment.Kind.FILE, False)
        assert (cheap.kind, bool(cheap.thumbnail)) == (Attachment.Kind.IMAGE, True)
        assert thumbnail_make(costly) is False, "a second run changes nothing"

    page = member_client.get(f"/tickets/{ticket.number}/").content.decode()
    assert 'alt="costly.png"' not in page and "costly.png</a>" in page
    assert 'alt="cheap.png"' in page


def test_a_bomb_stored_earlier_gets_no_preview_without_being_decoded(
    system_a, make_ticket, member_a
):
    ticket = make_ticket(member_a)
    bomb = stored_image(system_a, ticket, "old.png", png_bomb(20_000, 20_000, rows=1))
    broken = stored_image(system_a, ticket, "cut.png", png_bomb(2_000, 2_000)[:5_000])

    with in_schema(system_a):
        assert thumbnail_make(bomb) is False
        assert thumbnail_make(broken) is False
        kinds = set(Attachment.objects.values_list("kind", flat=True))
    assert kinds == {Attachment.Kind.FILE}


def test_a_png_whose_data_outgrows_its_header_decodes_only_what_the_header_says():
    lying = png_lying(100, 100, inflated_mb=64)
    assert len(lying) < 100 * 1024

    made = images.thumbnail_webp(io.BytesIO(lying))

    assert made is not None
    assert Image.open(io.BytesIO(made)).size == (100, 100)


def test_the_decode_estimate_counts_a_progressive_jpegs_coefficients():
    out = io.BytesIO()
    Image.new("RGB", (4_000, 3_000), "red").save(out, "JPEG", progressive=True)
    baseline = io.BytesIO()
    Image.new("RGB", (4_000, 3_000), "red").save(baseline, "JPEG")

    def estimate(data: bytes) -> int:
        with Image.open(io.BytesIO(data)) as image:
            full = image.size
            image.draft(None, (960, 960))
            return images.decode_bytes(image, full_size=full)

    # Drafted to half size: 2000 × 1500 × 4 bytes; progressive adds 4000 × 3000 × 3 × 2.
    assert estimate(baseline.getvalue()) == 2_000 * 1_500 * 4
    assert estimate(out.getvalue()) == 2_000 * 1_500 * 4 + 4_000 * 3_000 * 3 * 2


def test_a_thumbnail_job_that_keeps_killing_its_worker_leaves_the_image_as_a_file(
    system_a, make_ticket, member_a
):
    ticket = make_ticket(member_a)
    image = stored_image(system_a, ticket, "photo.png", png_bomb(300, 200))
    task_id = "thumbnail-job-delivered-before"
    # Three deliveries already began and never finished: their worker died each time.
    with in_schema(system_a):
        key = redis.key(f"deliveries:{system_a.schema_name}:{task_id}:0")
        redis.client().set(key, settings.TASK_MAX_DELIVERIES, ex=60)

        attachment_thumbnails.apply(args=[[image.pk]], task_id=task_id)

        image.refresh_from_db()
    assert (image.kind, bool(image.thumbnail)) == (Attachment.Kind.FILE, False)
    assert redis.client().get(key) is None, "forgotten once given up"

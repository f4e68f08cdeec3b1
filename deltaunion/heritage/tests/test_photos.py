"""Venue photos: real images only, with a credit; served to those who may see the venue."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from deltaunion.core.permissions import Forbidden
from deltaunion.heritage import services
from deltaunion.heritage.tests.factories import venue

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 3), (183, 28, 28)).save(buf, format="PNG")
    return buf.getvalue()


def _upload(data: bytes, name: str = "p.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def test_a_photo_is_stored_and_served_like_its_venue(world, client):
    v = venue(world)
    photo = services.venue_photo_add(
        venue=v, upload=_upload(png_bytes()), caption="外景", credit="摄影：测试", by=world.hz_officer
    )
    assert photo.content_type == "image/png"
    url = f"/heritage/photos/{photo.pk}/"
    assert client.get(url).status_code == 404  # a draft venue's photo is not public
    client.force_login(world.hz_officer)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == png_bytes()


def test_a_file_that_is_not_an_image_is_refused(world):
    v = venue(world)
    with pytest.raises(ValidationError):
        services.venue_photo_add(
            venue=v, upload=_upload(b"<svg onload=alert(1)>", "x.png"), caption="", credit="x", by=world.hz_officer
        )
    with pytest.raises(ValidationError):
        services.venue_photo_add(venue=v, upload=_upload(png_bytes()), caption="", credit=" ", by=world.hz_officer)
    assert not v.photos.exists()


def test_only_the_venues_officers_add_photos(world):
    v = venue(world, publish=True)
    with pytest.raises(Forbidden):
        services.venue_photo_add(venue=v, upload=_upload(png_bytes()), caption="", credit="x", by=world.sz_officer)

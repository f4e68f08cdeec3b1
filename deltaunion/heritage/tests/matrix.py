"""Heritage in the 404 matrix: a draft venue of Hangzhou (its pages, actions and photo) and a
draft route of Hangzhou. Outsiders (a Suzhou officer, a worker, a judge, anonymous) must get
the same answer as for a venue or route that does not exist."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from deltaunion.core.testing import Obj
from deltaunion.heritage import services
from deltaunion.heritage.tests.factories import HANGZHOU_2, route, venue
from deltaunion.heritage.tests.test_photos import png_bytes


def build(world):
    draft = venue(world, "筹备中的场馆")
    other = venue(world, "筹备中的第二个场馆", position=HANGZHOU_2)
    photo = services.venue_photo_add(
        venue=draft,
        upload=SimpleUploadedFile("p.png", png_bytes(), content_type="image/png"),
        caption="外景",
        credit="测试",
        by=world.hz_officer,
    )
    draft_route = route(world, [draft, other], "筹备中的线路")
    return {
        "venue_id": Obj(draft.pk, owner=world.hz_officer),
        "photo_id": Obj(photo.pk, owner=world.hz_officer),
        "route_id": Obj(draft_route.pk, owner=world.hz_officer),
    }

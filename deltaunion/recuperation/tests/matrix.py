"""Recuperation in the 404 matrix: a draft itinerary and a draft batch of the Hangzhou federation,
and an application of a Hangzhou worker (seen by the Hangzhou officers, the worker and the
batch's organisers). Outsiders (a Suzhou officer, another worker, a judge, anonymous) must get
the same answer as for one that does not exist. Bases, their photos and recognitions are public."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from deltaunion.core.testing import Obj
from deltaunion.heritage.tests.factories import regions
from deltaunion.heritage.tests.test_photos import png_bytes
from deltaunion.recuperation import services
from deltaunion.recuperation.tests.factories import base, red_route

PUBLIC = {
    name: "bases, their photos and recognitions are public; changing them is a 403 for outsiders (test_pages)"
    for name in (
        "recuperation:base",
        "recuperation:base_edit",
        "recuperation:base_photo_add",
        "recuperation:base_recognise",
        "recuperation:photo",
        "recuperation:recognition_end",
    )
}


def _itinerary(world, title: str, *, publish: bool):
    b = base(world)
    it = services.itinerary_create(
        organisation=world.hz,
        title=title,
        by=world.hz_officer,
        province=regions()["js"],
        days=3,
        nights=2,
        programme=["一", "二", "三"],
        red_route=red_route(world),
        price="1500",
        union_pays="1000",
    )
    services.itinerary_set_stays(itinerary=it, stays=[(b, 2)], by=world.hz_officer)
    if publish:
        services.itinerary_publish(itinerary=it, by=world.hz_officer)
    return it, b


def build(world):
    draft, b = _itinerary(world, "杭州起草中的行程", publish=False)
    published, _b = _itinerary(world, "杭州已发布的行程", publish=True)
    close = timezone.now() + dt.timedelta(days=5)
    start = timezone.localdate() + dt.timedelta(days=30)
    draft_batch = services.batch_create(
        itinerary=published,
        senders=[world.zj],
        by=world.hz_officer,
        start_date=start,
        places=5,
        applications_close_at=close,
    )
    open_batch = services.batch_create(
        itinerary=published,
        senders=[world.zj],
        by=world.hz_officer,
        start_date=start,
        places=5,
        applications_close_at=close,
    )
    services.batch_open(batch=open_batch, by=world.hz_officer)
    app = services.application_submit(batch=open_batch, by=world.hz_officer, worker=world.hz_a)
    photo = services.base_photo_add(
        base=b,
        upload=SimpleUploadedFile("p.png", png_bytes(), content_type="image/png"),
        caption="外景",
        credit="测试",
        by=world.sz_officer,
    )
    rec = services.recognition_grant(base=b, federation=world.zj, valid_from=dt.date(2022, 1, 1), by=world.zj_admin)
    return {
        "itinerary_id": Obj(draft.pk, owner=world.hz_officer),
        "batch_id": Obj(draft_batch.pk, owner=world.hz_officer),
        "application_id": Obj(app.pk, owner=world.hz_officer),
        "base_id": Obj(b.pk, owner=world.sz_officer),
        "photo_id": Obj(photo.pk, owner=world.sz_officer),
        "recognition_id": Obj(rec.pk, owner=world.zj_admin),
    }

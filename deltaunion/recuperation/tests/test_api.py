"""The recuperation API: the exchange matrix for officers (per sender and destination: workers,
trips, the sender's target), the public itineraries and the published record of a draw."""

from __future__ import annotations

import datetime as dt

import pytest

from deltaunion.heritage.tests.factories import regions
from deltaunion.recuperation import draw, services
from deltaunion.recuperation.tests.factories import batch, drawn, itinerary

pytestmark = pytest.mark.django_db


def test_the_matrix_gives_each_sender_and_destination_with_the_target(client, world):
    services.target_set(federation=world.zj, year=2023, workers=3000, by=world.zj_admin)
    services.group_trip_record(
        sender=world.zj,
        by=world.zj_admin,
        destination=regions()["js"],
        start_date=dt.date(2023, 9, 1),
        days=4,
        nights=3,
        workers=64,
        gig=4,
    )
    assert client.get("/api/recuperation/matrix?year=2023").status_code == 401
    client.force_login(world.worker)
    response = client.get("/api/recuperation/matrix?year=2023")
    assert response.status_code == 403 and response.json()["detail"] == ["交流矩阵和统计数据供工会干部查看"]
    client.force_login(world.sz_officer)
    data = client.get("/api/recuperation/matrix", {"year": 2023}).json()
    assert data["year"] == 2023
    cell = next(c for c in data["cells"] if c["sender"] == "浙江省总工会" and c["destination"] == "320000")
    assert cell == {
        "sender_id": world.zj.pk,
        "sender": "浙江省总工会",
        "sender_province": "330000",
        "destination": "320000",
        "destination_name": "江苏省",
        "workers": 64,
        "trips": 1,
        "target": 3000,
        "own_province": False,
    }
    own = next(c for c in data["cells"] if c["sender"] == "浙江省总工会" and c["destination"] == "330000")
    assert own["own_province"] and own["workers"] == 0
    zj = next(s for s in data["senders"] if s["sender"] == "浙江省总工会")
    assert zj["sent_to_other_provinces"] == 64 and zj["by_month"][8] == 64 and zj["by_priority_group"]["gig"] == 4
    assert zj["share_of_target"] == round(100 * 64 / 3000, 1)
    for bad in ("1800", "abc", "2101"):
        assert client.get("/api/recuperation/matrix", {"year": bad}).status_code == 422


def test_itineraries_are_public_and_filtered(client, world):
    it = itinerary(world, "接口里的行程")
    batch(world, it)
    itinerary(world, "接口里看不到的草稿", publish=False)
    data = client.get("/api/recuperation/itineraries").json()
    assert [i["title"] for i in data] == ["接口里的行程"]
    assert data[0]["days"] == 4 and data[0]["open_batches"] == 1 and data[0]["red_route"] == "测试红色寻访线路"
    assert client.get("/api/recuperation/itineraries", {"province": "330000"}).json() == []
    assert client.get("/api/recuperation/itineraries", {"theme": "castle"}).status_code == 422
    assert client.get("/api/recuperation/itineraries", {"limit": 0}).status_code == 422


def test_the_published_draw_record_can_be_re_run_by_anyone(client, world):
    d = drawn(world, places=2, applicants=4, seed="api-seed", reserves={"skilled": 1})
    data = client.get(f"/api/recuperation/batches/{d.batch.pk}/draw").json()
    assert data["seed"] == "api-seed" and data["verified"] is True
    assert data["outcome"]["offered"][0].keys() == {"ref", "for"}
    assert draw.verify(data) == (True, [])
    draft = batch(world, d.itinerary, open_=False)
    assert client.get(f"/api/recuperation/batches/{draft.pk}/draw").status_code == 404
    assert client.get("/api/recuperation/batches/99999999999999999999/draw").status_code in (404, 422)

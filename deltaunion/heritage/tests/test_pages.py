"""The heritage pages: the public/unpublished split, the refusal rule (404 for what one may not
see, 403 with the permission's message for what one may see but not change), check-ins,
reviews, officers' forms, and that workers never see officer tools."""

from __future__ import annotations

import pytest
from django.utils import timezone

from deltaunion.heritage.models import Route, Status, Venue, Visit
from deltaunion.heritage.tests.factories import HANGZHOU_2, regions, route, venue

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def places(world):
    return regions()


def test_the_map_is_public_and_shows_published_venues_only(client, world, places):
    venue(world, "已发布的纪念馆", publish=True)
    venue(world, "未发布的纪念馆", position=HANGZHOU_2)
    response = client.get("/heritage/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "已发布的纪念馆" in text and "未发布的纪念馆" not in text
    assert 'id="heritage-map"' in text and "heritage-config" in text
    assert "红色工运地图" in text  # the navigation item, for everyone
    for url in ("/static/vendor/leaflet/leaflet.js", "/static/vendor/leaflet.markercluster/leaflet.markercluster.js"):
        assert url in text
    assert "https://" not in text.split("<footer")[0].replace('href="https://', "")  # nothing from a CDN


def test_the_list_view_works_without_the_map(client, world, places):
    venue(world, "列表里的纪念馆", publish=True)
    text = client.get("/heritage/", {"view": "list"}).content.decode()
    assert "列表里的纪念馆" in text
    assert 'id="heritage-map"' not in text and "leaflet.js" not in text


def test_filters_are_kept_in_the_url_and_unknown_ones_ignored(client, world, places):
    venue(world, "杭州的馆", publish=True)
    venue(world, "苏州的馆", where="sz", publish=True)
    text = client.get("/heritage/", {"province": "320000"}).content.decode()
    assert "苏州的馆" in text and "杭州的馆" not in text
    assert "province=320000" in text  # downloads carry the filters
    assert 'value="320000" selected' in text
    response = client.get("/heritage/", {"province": "<script>", "kind": "castle"})
    assert response.status_code == 200 and "杭州的馆" in response.content.decode()


def test_a_draft_venue_is_404_for_outsiders_and_visible_to_its_officers(client, world, places):
    draft = venue(world)
    url = f"/heritage/venues/{draft.pk}/"
    assert client.get(url).status_code == 404
    for outsider in (world.sz_officer, world.worker, world.zj_judge, world.nobody):
        assert _login(client, outsider).get(url).status_code == 404
    for insider in (world.hz_officer, world.zj_admin, world.superuser):
        response = _login(client, insider).get(url)
        assert response.status_code == 200 and "测试纪念馆" in response.content.decode()


def test_changing_a_visible_venue_one_does_not_manage_is_403_with_the_message(client, world, places):
    v = venue(world, publish=True)
    _login(client, world.sz_officer)
    for url in (f"/heritage/venues/{v.pk}/edit/",):
        response = client.get(url)
        assert response.status_code == 403
        assert "只有场馆所属工会的干部才能修改" in response.content.decode()
    response = client.post(f"/heritage/venues/{v.pk}/status/", {"status": "withdrawn"})
    assert response.status_code == 403
    assert Venue.objects.get(pk=v.pk).status == Status.PUBLISHED
    _login(client, world.worker)
    assert client.post(f"/heritage/venues/{v.pk}/edit/", {"name": "改名"}).status_code == 403
    assert Venue.objects.get(pk=v.pk).name == "测试纪念馆"


def test_workers_never_see_officer_tools(client, world, places):
    v = venue(world, publish=True)
    _login(client, world.worker)
    text = client.get(f"/heritage/venues/{v.pk}/").content.decode()
    assert 'data-testid="edit"' not in text and "status-select" not in text and 'data-testid="nav-manage"' not in text
    assert client.get("/heritage/manage/").status_code == 403
    _login(client, world.hz_officer)
    text = client.get(f"/heritage/venues/{v.pk}/").content.decode()
    assert 'data-testid="edit"' in text and 'data-testid="nav-manage"' in text


def test_an_officer_records_and_publishes_a_venue_through_the_pages(client, world, places):
    _login(client, world.hz_officer)
    form = client.get("/heritage/manage/venues/new/")
    assert form.status_code == 200
    response = client.post(
        "/heritage/manage/venues/new/",
        {
            "organisation": world.hz.pk,
            "name": "页面录入的纪念馆",
            "kind": "memorial",
            "theme": "martyrs",
            "province": "330000",
            "city": "330100",
            "longitude": "120.1600",
            "latitude": "30.2700",
            "coordinate_system": "gcj02",
            "open_days": ["2", "3", "4"],
        },
    )
    v = Venue.objects.get(name="页面录入的纪念馆")
    assert response.status_code == 302 and response["Location"] == f"/heritage/venues/{v.pk}/"
    assert v.coordinate_system == "gcj02" and v.open_days == [2, 3, 4] and v.longitude < 120.16
    client.post(f"/heritage/venues/{v.pk}/status/", {"status": "published"})
    assert Venue.objects.get(pk=v.pk).status == Status.PUBLISHED
    # An edit that leaves the position alone keeps it (and its system) as stored.
    client.post(
        f"/heritage/venues/{v.pk}/edit/",
        {
            "name": "页面录入的纪念馆",
            "kind": "memorial",
            "theme": "martyrs",
            "province": "330000",
            "city": "330100",
            "longitude": f"{v.longitude:.7f}",
            "latitude": f"{v.latitude:.7f}",
            "coordinate_system": "wgs84",
            "opening_hours": "9:00—16:30",
        },
    )
    again = Venue.objects.get(pk=v.pk)
    assert again.opening_hours == "9:00—16:30" and again.coordinate_system == "gcj02"
    assert again.longitude == v.longitude


def test_a_bad_position_on_the_form_is_a_message_and_changes_nothing(client, world, places):
    _login(client, world.hz_officer)
    response = client.post(
        "/heritage/manage/venues/new/",
        {
            "organisation": world.hz.pk,
            "name": "坐标在上海",
            "kind": "memorial",
            "theme": "martyrs",
            "province": "330000",
            "longitude": "121.4737",
            "latitude": "31.2304",
            "coordinate_system": "wgs84",
        },
    )
    assert response.status_code == 200
    assert "坐标位于上海市，而不在浙江省" in response.content.decode()
    assert not Venue.objects.exists()


def test_composing_a_route_and_the_open_day_check(client, world, places):
    a = venue(world, "周一闭馆的馆", open_days=[2, 3, 4, 5, 6, 7], publish=True)
    b = venue(world, "第二站", position=HANGZHOU_2, publish=True)
    _login(client, world.hz_officer)
    response = client.post(
        "/heritage/manage/routes/new/",
        {
            "organisation": world.hz.pk,
            "title": "页面编排的线路",
            "theme": "labour_movement",
            "days": 1,
            "batch": 1,
            "stop_1": a.pk,
            "stop_2": b.pk,
        },
    )
    r = Route.objects.get(title="页面编排的线路")
    assert response.status_code == 302
    assert [s.venue_id for s in r.stops.all()] == [a.pk, b.pk]
    client.post(f"/heritage/routes/{r.pk}/status/", {"status": "published"})
    client.logout()
    text = client.get(f"/heritage/routes/{r.pk}/", {"start": 1}).content.decode()
    assert 'data-testid="closed-warning"' in text and "周一闭馆的馆" in text
    text = client.get(f"/heritage/routes/{r.pk}/", {"start": 2}).content.decode()
    assert 'data-testid="closed-warning"' not in text
    assert client.get(f"/heritage/routes/{r.pk}/", {"start": "9"}).status_code == 200
    assert "页面编排的线路" in client.get("/heritage/routes/").content.decode()
    text = client.get("/heritage/", {"route": r.pk}).content.decode()
    assert text.count('data-testid="route-stop"') == 2


def test_a_draft_route_is_404_for_outsiders(client, world, places):
    a, b = venue(world, "甲", publish=True), venue(world, "乙", position=HANGZHOU_2, publish=True)
    r = route(world, [a, b])
    assert client.get(f"/heritage/routes/{r.pk}/").status_code == 404
    assert _login(client, world.sz_officer).get(f"/heritage/routes/{r.pk}/").status_code == 404
    assert 'data-testid="route-panel"' not in client.get("/heritage/", {"route": r.pk}).content.decode()


def test_a_worker_checks_in_from_the_venue_page_and_sees_the_team_visits(client, world, places):
    v = venue(world, publish=True)
    _login(client, world.worker)
    text = client.get(f"/heritage/venues/{v.pk}/").content.decode()
    assert 'data-testid="check-in"' in text
    today = timezone.localdate().isoformat()
    response = client.post(
        f"/heritage/venues/{v.pk}/check-in/", {"visited_on": today, "people": 15, "purpose": "recuperation"}
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert (visit.organisation, visit.people, visit.purpose) == (world.hz_unit, 15, "recuperation")
    text = client.get("/heritage/visits/").content.decode()
    assert text.count('data-testid="visit-row"') == 1 and "测试纪念馆" in text
    text = client.get(f"/heritage/venues/{v.pk}/").content.decode()
    assert "1 个工会团组" in text
    # Again the same day: a message, nothing added.
    client.post(f"/heritage/venues/{v.pk}/check-in/", {"visited_on": today, "people": 2, "purpose": "study"})
    assert Visit.objects.count() == 1
    _login(client, world.sz_officer)
    assert 'data-testid="visit-row"' not in client.get("/heritage/visits/").content.decode()


def test_a_review_from_the_venue_page(client, world, places):
    v = venue(world, publish=True)
    _login(client, world.worker)
    client.post(f"/heritage/venues/{v.pk}/review/", {"title": "很有意义", "body": "讲解员介绍了书记部的历史。"})
    client.logout()
    text = client.get(f"/heritage/venues/{v.pk}/").content.decode()
    assert 'data-testid="review"' in text and "很有意义" in text


def test_the_import_pages(client, world, places):
    _login(client, world.hz_officer)
    assert client.get("/heritage/manage/import/").status_code == 200
    assert client.get("/heritage/manage/import-geojson/").status_code == 200
    response = client.post(
        "/heritage/manage/import-geojson/",
        {"organisation": world.hz.pk, "file": _upload(b'{"type": "FeatureCollection", "features": [1]}')},
    )
    assert response.status_code == 200 and 'data-testid="import-errors"' in response.content.decode()
    # A union the officer does not manage: 404 (it is not theirs to see).
    response = client.post("/heritage/manage/import-geojson/", {"organisation": world.sz.pk, "file": _upload(b"{}")})
    assert response.status_code in (403, 404)
    assert not Venue.objects.exists()


def _upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("venues.geojson", data, content_type="application/geo+json")


def test_officer_pages_in_english(client, world, places):
    venue(world, publish=True)
    client.cookies["django_language"] = "en"
    _login(client, world.hz_officer)
    text = client.get("/heritage/manage/").content.decode()
    assert "Manage venues and routes" in text

"""Venues, routes and visits through the services: positions, places, state machines,
permissions, history and the team's visits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from deltaunion.core.audit import history
from deltaunion.core.permissions import Forbidden, can
from deltaunion.core.statemachine import TransitionError, illegal_pairs
from deltaunion.heritage import geo, selectors, services
from deltaunion.heritage.models import Route, Status, Venue, Visit
from deltaunion.heritage.tests.factories import HANGZHOU, HANGZHOU_2, SHANGHAI, regions, route, venue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


# --- positions and places -------------------------------------------------------------------------------


def test_a_position_taken_on_amap_is_stored_as_wgs84(world):
    gcj = geo.wgs84_to_gcj02(*HANGZHOU)
    v = venue(world, position=gcj, coordinate_system=geo.GCJ02)
    assert v.coordinate_system == "gcj02"
    assert geo.distance_m(v.longitude, v.latitude, *HANGZHOU) < 0.05


def test_a_position_taken_on_baidu_is_stored_as_wgs84(world):
    bd = geo.wgs84_to_bd09(*HANGZHOU)
    v = venue(world, position=bd, coordinate_system=geo.BD09)
    assert geo.distance_m(v.longitude, v.latitude, *HANGZHOU) < 0.05


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"position": (2.35, 48.85)}, "outside China"),
        ({"position": (30.2741, 120.1551)}, "order of longitude and latitude"),  # swapped
        ({"position": ("", "")}, "Both longitude and latitude"),
        ({"coordinate_system": "mercator"}, "Unknown coordinate system"),
        ({"position": SHANGHAI}, "lie in 上海市, not in 浙江省"),
    ],
    ids=["paris", "swapped", "missing", "unknown-system", "wrong-province"],
)
def test_bad_positions_are_refused_and_nothing_is_saved(world, fields, message):
    regions()
    with pytest.raises(ValidationError) as exc:
        venue(world, **fields)
    assert message in " ".join(exc.value.messages)
    assert not Venue.objects.exists()


def test_a_city_of_another_province_is_refused(world):
    places = regions()
    with pytest.raises(ValidationError, match="is not in"):
        venue(world, city=places["sz"])


def test_only_venues_of_the_four_provinces(world):
    from deltaunion.orgs.models import Region

    beijing = Region.objects.create(code="110000", name="北京市", level=Region.Level.PROVINCE)
    with pytest.raises(ValidationError, match="Shanghai, Jiangsu, Zhejiang and Anhui"):
        venue(world, province=beijing, city=None, position=(116.3974, 39.9087))


def test_editing_a_venue_is_audited_as_sentences(world):
    v = venue(world)
    services.venue_update(venue=v, by=world.hz_officer, name="测试纪念馆（新馆）", open_days=[2, 3, 4, 5, 6, 7])
    v.refresh_from_db()
    assert v.name == "测试纪念馆（新馆）"
    [change, created] = history(v)[:2]
    assert change.action == "changed the venue"
    fields = {c.field: (c.before, c.after) for c in change.changes}
    assert fields["Name"] == ("测试纪念馆", "测试纪念馆（新馆）")
    assert fields["Opening days"][1].startswith("Tuesday")
    assert created.action == "recorded the venue"


def test_moving_a_venue_updates_its_routes(world):
    a, b = venue(world, "甲"), venue(world, "乙", position=HANGZHOU_2)
    r = route(world, [a, b])
    before = r.length_km
    services.venue_update(venue=b, by=world.hz_officer, longitude=120.2, latitude=30.3, coordinate_system="wgs84")
    r.refresh_from_db()
    assert r.length_km != before


def test_only_the_owning_unions_officers_change_a_venue(world):
    v = venue(world, publish=True)
    for outsider in (world.sz_officer, world.worker, world.zj_judge):
        assert not can(outsider, "heritage.manage_venue", v)
        with pytest.raises(Forbidden):
            services.venue_update(venue=v, by=outsider, name="改名")
    assert can(world.zj_admin, "heritage.manage_venue", v)  # Zhejiang's subtree includes Hangzhou
    with pytest.raises(Forbidden):
        services.venue_create(organisation=world.hz, by=world.sz_officer, name="x")


# --- state machines --------------------------------------------------------------------------------------


def test_venue_publish_withdraw_republish(world):
    v = venue(world)
    services.venue_publish(venue=v, by=world.hz_officer)
    assert v.status == Status.PUBLISHED and v.published_at is not None
    services.venue_withdraw(venue=v, by=world.hz_officer)
    services.venue_republish(venue=v, by=world.hz_officer)
    v.refresh_from_db()
    assert v.status == Status.PUBLISHED
    actions = [item.action for item in history(v)]
    assert actions[:3] == ["published the venue again", "withdrew the venue", "published the venue"]


@pytest.mark.parametrize("model", [Venue, Route], ids=["venue", "route"])
def test_every_illegal_transition_is_refused_and_changes_nothing(world, model):
    a, b = venue(world, "甲", publish=True), venue(world, "乙", position=HANGZHOU_2, publish=True)
    for state, transition in illegal_pairs(model.workflow):
        obj = a if model is Venue else route(world, [a, b], f"线路-{state}-{transition.name}")
        model.objects.filter(pk=obj.pk).update(status=state)
        obj.refresh_from_db()
        with pytest.raises(TransitionError):
            model.workflow.fire(obj, transition.name, by=world.hz_officer)
        obj.refresh_from_db()
        assert obj.status == state


def test_a_route_is_published_only_with_two_published_stops(world):
    a = venue(world, "甲", publish=True)
    b = venue(world, "乙", position=HANGZHOU_2)
    r = route(world, [a])
    with pytest.raises(TransitionError, match="at least two stops"):
        services.route_publish(route=r, by=world.hz_officer)
    services.route_set_stops(route=r, stops=[a, b], by=world.hz_officer)
    with pytest.raises(TransitionError, match="not published venues yet: 乙"):
        services.route_publish(route=r, by=world.hz_officer)
    services.venue_publish(venue=b, by=world.hz_officer)
    services.route_publish(route=r, by=world.hz_officer)
    assert Route.objects.get(pk=r.pk).status == Status.PUBLISHED


def test_a_venue_on_a_published_route_cannot_be_withdrawn(world):
    a, b = venue(world, "甲", publish=True), venue(world, "乙", position=HANGZHOU_2, publish=True)
    route(world, [a, b], publish=True)
    with pytest.raises(TransitionError, match="stop of 1 published routes"):
        services.venue_withdraw(venue=a, by=world.hz_officer)
    assert Venue.objects.get(pk=a.pk).status == Status.PUBLISHED


def test_others_cannot_fire_a_transition(world):
    v = venue(world)
    with pytest.raises(Forbidden):
        services.venue_publish(venue=v, by=world.sz_officer)
    assert Venue.objects.get(pk=v.pk).status == Status.DRAFT


# --- routes -----------------------------------------------------------------------------------------------


def test_stops_give_length_travel_time_and_reach(world):
    places = regions()
    a = venue(world, "杭州甲", publish=True)
    b = venue(world, "杭州乙", position=HANGZHOU_2, publish=True)
    c = venue(
        world, "上海丙", position=SHANGHAI, province=places["sh"], city=None, county=places["huangpu"], publish=True
    )
    r = route(world, [a, b], days=2)
    assert r.reach == "city"
    expected = geo.distance_m(*HANGZHOU, *HANGZHOU_2) / 1000
    assert r.length_km == pytest.approx(expected, abs=0.05)
    assert r.travel_minutes == geo.leg_minutes(expected)
    services.route_set_stops(route=r, stops=[(a, 1), (b, 1), (c, 2)], by=world.hz_officer)
    r.refresh_from_db()
    assert r.reach == "region"
    assert [s.venue.name for s in r.stops.all()] == ["杭州甲", "杭州乙", "上海丙"]
    change = history(r)[0]
    assert change.action == "changed the route's stops"
    assert {c.field for c in change.changes} >= {"Stops", "Length (km)", "Reach"}
    assert "上海丙" in next(c.after for c in change.changes if c.field == "Stops")


def test_stops_are_checked(world):
    a, b = venue(world, "甲", publish=True), venue(world, "乙", position=HANGZHOU_2, publish=True)
    r = route(world, [a, b], publish=True)
    with pytest.raises(ValidationError, match="appears twice"):
        services.route_set_stops(route=r, stops=[a, a], by=world.hz_officer)
    with pytest.raises(ValidationError, match="day from 1 to 1"):
        services.route_set_stops(route=r, stops=[(a, 1), (b, 2)], by=world.hz_officer)
    with pytest.raises(ValidationError, match="at least two stops"):
        services.route_set_stops(route=r, stops=[a], by=world.hz_officer)
    draft = venue(world, "丙", position=(120.13, 30.25))
    with pytest.raises(ValidationError, match="only stop at published venues"):
        services.route_set_stops(route=r, stops=[a, b, draft], by=world.hz_officer)
    assert r.stops.count() == 2


def test_the_open_day_check_of_a_route(world):
    closed_mondays = venue(world, "周一闭馆", open_days=[2, 3, 4, 5, 6, 7], publish=True)
    unknown = venue(world, "开放日未知", position=HANGZHOU_2, publish=True)
    r = route(world, [closed_mondays, unknown])
    warnings = selectors.route_day_warnings(r, 1)
    assert [(w.name, w.closed) for w in warnings] == [("周一闭馆", True), ("开放日未知", False)]
    assert [(w.name, w.closed) for w in selectors.route_day_warnings(r, 2)] == [("开放日未知", False)]


# --- visits -------------------------------------------------------------------------------------------------


def test_a_worker_checks_in_for_their_union_group(world):
    v = venue(world, publish=True)
    visit = services.visit_record(venue=v, by=world.worker, people=12, purpose=Visit.Purpose.RECUPERATION)
    assert visit.organisation == world.hz_unit and visit.visited_on == timezone.localdate()
    with pytest.raises(ValidationError, match="already checked in"):
        services.visit_record(venue=v, by=world.worker)
    with pytest.raises(ValidationError, match="before it happens"):
        services.visit_record(venue=v, by=world.worker, visited_on=timezone.localdate() + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="within 30 days"):
        services.visit_record(venue=v, by=world.worker, visited_on=timezone.localdate() - dt.timedelta(days=31))
    assert Visit.objects.count() == 1


def test_no_check_in_at_a_draft_venue_or_without_a_union(world):
    draft = venue(world)
    with pytest.raises(Forbidden):
        services.visit_record(venue=draft, by=world.worker)
    published = venue(world, "已发布", position=HANGZHOU_2, publish=True)
    with pytest.raises(Forbidden):
        services.visit_record(venue=published, by=world.nobody)


def test_team_visits_are_seen_by_the_team_and_its_officers_only(world):
    from deltaunion.accounts.tests.factories import UserFactory
    from deltaunion.people.models import Worker

    v = venue(world, publish=True)
    visit = services.visit_record(venue=v, by=world.worker, people=20)
    teammate = UserFactory(username="teammate")
    Worker.objects.filter(pk=world.hz_a.pk).update(user=teammate)
    stranger = UserFactory(username="stranger")
    Worker.objects.filter(pk=world.sz_a.pk).update(user=stranger)
    assert list(selectors.visits_for(teammate)) == [visit]
    assert can(teammate, "heritage.view_visit", visit)
    assert list(selectors.visits_for(world.hz_officer)) == [visit]
    for outsider in (stranger, world.sz_officer, world.nobody, world.zj_judge):
        assert list(selectors.visits_for(outsider)) == []
        assert not can(outsider, "heritage.view_visit", visit)


def test_venues_count_the_union_groups_that_visited_this_year(world):
    from deltaunion.accounts.tests.factories import UserFactory
    from deltaunion.people.models import Worker

    v = venue(world, publish=True)
    services.visit_record(venue=v, by=world.worker, people=20)
    colleague = UserFactory(username="colleague")  # same union group: still one group
    Worker.objects.filter(pk=world.hz_a.pk).update(user=colleague)
    services.visit_record(venue=v, by=colleague, people=3)
    suzhou = UserFactory(username="suzhou_worker")
    Worker.objects.filter(pk=world.sz_a.pk).update(user=suzhou)
    services.visit_record(venue=v, by=suzhou, people=8)
    Visit.objects.create(
        venue=v, organisation=world.sz, user=world.sz_officer, visited_on=dt.date(2000, 5, 1), people=5
    )  # another year
    assert selectors.groups_this_year([v]) == {v.pk: 2}


def test_a_review_is_a_community_post_about_the_venue(world):
    from deltaunion.community.selectors import posts_for

    v = venue(world, publish=True)
    post = services.venue_review(venue=v, by=world.worker, title="值得一去", body="讲解很好。")
    assert post.subject == v
    assert list(posts_for(world.nobody, subject=v, published_only=True)) == [post]
    draft = venue(world, "草稿馆", position=HANGZHOU_2)
    with pytest.raises(Forbidden):
        services.venue_review(venue=draft, by=world.worker, title="x", body="y")


def test_key_task_evidence_counts_published_routes_against_thirty(world):
    from types import SimpleNamespace

    a, b = venue(world, "甲", publish=True), venue(world, "乙", position=HANGZHOU_2, publish=True)
    route(world, [a, b], publish=True)
    route(world, [b, a], "草稿线路")
    task = SimpleNamespace(kind="route", title="同步推出“长三角红色工运寻访主题线路”")
    routes = selectors.key_task_evidence(task)[0]
    assert (routes.done, routes.target, routes.complete) == (1, 30, False)
    map_task = SimpleNamespace(kind="map", title="共同推出一张“长三角地区红色工运场馆地图”")
    assert selectors.key_task_evidence(map_task)[0].done == 2
    assert selectors.key_task_evidence(SimpleNamespace(kind="contest", title="竞赛")) == []

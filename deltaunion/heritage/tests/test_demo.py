"""The heritage demo data (`manage.py load_demo`): venues of the four provinces only, at least
30 routes in the first batch, published, mixing single-city and cross-province routes; the
loader is idempotent and creates nothing in orgs."""

from __future__ import annotations

from collections import Counter

import pytest

from deltaunion.core.models import AuditEntry
from deltaunion.core.registry import DemoContext, key_task_evidence
from deltaunion.heritage import basemap, demo
from deltaunion.heritage.models import Route, Status, Venue, Visit
from deltaunion.orgs.models import Organisation, Region
from deltaunion.workplans.models import KeyTask

pytestmark = pytest.mark.usefixtures("demo_data", "db")


def test_venues_are_in_the_four_provinces_with_sources_and_approximate_positions():
    venues = list(Venue.objects.select_related("province"))
    assert len(venues) >= 30
    assert {v.province_id for v in venues} == {"310000", "320000", "330000", "340000"}
    for v in venues:
        assert v.source and v.coordinates_approximate and v.coordinate_system == "gcj02"
        assert basemap.matches_province(v.longitude, v.latitude, v.province_id), v.name
        assert v.organisation.kind == Organisation.Kind.PROVINCIAL
    labour = Venue.objects.get(name="中国劳动组合书记部旧址陈列馆")
    assert labour.open_days == [2, 3, 4, 5, 6, 7] and labour.province_id == "310000"
    # Unknown facts stay empty.
    assert not any(v.group_capacity or v.booking or v.accessibility for v in venues)


def test_at_least_thirty_routes_in_the_first_batch_all_published():
    first = Route.objects.filter(batch=1)
    assert first.count() >= 30
    assert set(first.values_list("status", flat=True)) == {Status.PUBLISHED}
    assert Route.objects.filter(batch=2, status=Status.DRAFT).exists()
    reach = Counter(first.values_list("reach", flat=True))
    assert reach["city"] >= 5 and reach["region"] >= 5
    for r in first:
        stops = list(r.stops.select_related("venue"))
        assert len(stops) >= 2 and all(s.venue.is_published for s in stops)
        assert r.length_km and r.travel_minutes


def test_the_key_task_reports_the_routes_against_thirty():
    task = KeyTask.objects.get(kind="route", plan__year=2023)
    [routes, venues] = key_task_evidence(task)
    assert routes.target == 30 and routes.done >= 30 and routes.complete
    assert venues.done == Venue.objects.filter(status=Status.PUBLISHED).count()


def test_the_demo_worker_has_visits():
    visits = Visit.objects.filter(is_demo=True)
    assert visits.exists()
    assert {v.organisation_id for v in visits} == {visits[0].user.worker.organisation_id}


def test_loading_again_changes_nothing():
    counts = (
        Venue.objects.count(),
        Route.objects.count(),
        Visit.objects.count(),
        AuditEntry.objects.count(),
        Region.objects.count(),
        Organisation.objects.count(),
    )
    demo.load(DemoContext())
    assert (
        Venue.objects.count(),
        Route.objects.count(),
        Visit.objects.count(),
        AuditEntry.objects.count(),
        Region.objects.count(),
        Organisation.objects.count(),
    ) == counts

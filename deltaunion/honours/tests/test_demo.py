"""The honours demo data (`manage.py load_demo`): the first 长三角大工匠 named in 2023 with demo
people, the third studio selection in review with an outlying score waiting for its chair, 20+
studios at several levels with two years of reports, a published exhibition, the awards of an
online contest with Chongqing's categories and places; loading it twice adds nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from deltaunion.honours import demo
from deltaunion.honours.models import (
    Award,
    Exhibition,
    InnovationResult,
    Nomination,
    Selection,
    Studio,
    StudioReport,
)
from deltaunion.honours.outliers import find_outlier
from deltaunion.honours.selectors import key_task_evidence
from deltaunion.workplans.models import KeyTask

pytestmark = pytest.mark.usefixtures("demo_data", "db")


def test_the_first_grand_craftsmen_are_named_in_2023_and_are_demo_people():
    first = Selection.objects.get(title=demo.FIRST_CRAFTSMEN)
    assert first.status == Selection.Status.PUBLISHED and first.is_demo and first.key_task is not None
    awards = list(Award.objects.filter(selection=first).select_related("worker", "selection"))
    places = sum(c.places for c in first.categories.all())
    assert len(awards) == places
    assert all(a.status == Award.Status.VALID and a.named_on == demo.NAMED_ON for a in awards)
    assert all(a.worker.is_demo for a in awards)
    # The names on the roll are those of the synthetic people, and the roll says they are demo.
    roll = Client().get(reverse("honours:roll") + "?year=2023").content.decode()
    assert all(a.recipient_name in roll for a in awards)
    assert roll.count('data-testid="demo"') == roll.count('data-testid="roll-row"') > 0
    api = Client().get("/api/honours/roll", {"year": 2023}).json()["items"]
    assert api and all(entry["demo"] for entry in api)
    award = awards[0]
    verify = Client().get(reverse("honours:certificate_verify", args=[award.code]))
    assert verify.status_code == 200 and award.recipient_name in verify.content.decode()


def test_the_third_studio_selection_is_in_review_with_an_outlier_flagged_for_the_chair():
    third = Selection.objects.get(title=demo.THIRD_STUDIOS)
    assert third.status == Selection.Status.REVIEW and third.lead_org.name == "江苏省总工会"
    waiting = Nomination.objects.filter(selection=third, outlier_flagged=True, outlier_resolved=False)
    assert waiting.count() >= 1
    for nomination in waiting:
        totals = [r.total for r in nomination.reviews.order_by("id")]
        outlier = find_outlier(totals)
        assert outlier is not None and outlier.q == nomination.outlier_q
    assert not third.panels.filter(signed_off_at__isnull=False).exists()


def test_twenty_studios_at_several_levels_with_two_years_of_reports():
    studios = Studio.objects.filter(is_demo=True)
    assert studios.count() >= 20
    assert len(set(studios.exclude(level="").values_list("level", flat=True))) >= 4
    years = set(StudioReport.objects.filter(studio__in=studios).values_list("year", flat=True))
    assert len(years) == 2
    for studio in studios:
        assert studio.reports.count() == 2, studio.name
    page = Client().get(reverse("honours:alliance"))
    assert page.status_code == 200 and 'data-testid="year-table"' in page.content.decode()


def test_a_published_exhibition_of_results_with_photos():
    exhibition = Exhibition.objects.get(title=demo.EXHIBITION)
    assert exhibition.status == Exhibition.Status.PUBLISHED
    items = list(exhibition.items.select_related("result"))
    assert len(items) >= 10 and all(i.result.is_demo and "演示" in i.result.title for i in items)
    assert InnovationResult.objects.filter(pk__in=[i.result_id for i in items], photos__isnull=False).exists()
    page = Client().get(reverse("honours:exhibition", args=[exhibition.pk]))
    assert page.status_code == 200


def test_the_key_tasks_carried_out_by_exhibitions_report_the_results_on_show():
    alliance = KeyTask.objects.get(title__contains="职工技能交流创新联盟")
    [evidence] = key_task_evidence(alliance)
    assert evidence.done >= 10 and evidence.complete and "/honours/exhibitions/" in evidence.url
    release = Exhibition.objects.get(title=demo.MAJOR_PROJECTS)
    assert release.key_task.plan.year == 2021 and release.status == Exhibition.Status.PUBLISHED
    [evidence] = key_task_evidence(release.key_task)
    assert evidence.done == release.items.count() > 0 and evidence.complete
    page = Client().get(reverse("honours:exhibition", args=[release.pk])).content.decode()
    assert 'data-testid="key-task"' in page and "百项重大工程" in page


def test_the_awards_of_an_online_contest_follow_chongqings_categories_and_places():
    awards = Selection.objects.get(title__endswith=demo.ONLINE_AWARDS, contest__isnull=False)
    assert awards.status == Selection.Status.OPEN and awards.is_demo
    categories = [(c.honour.name, c.honour.recipient_kind, c.places) for c in awards.categories.order_by("order")]
    assert categories == [(name, kind, places) for name, kind, _title, places in demo.ONLINE_AWARD_CATEGORIES]
    assert [p for _n, _k, p in categories] == [51, 50, 50, 10, 10]


def test_loading_the_demo_again_adds_nothing():
    counts = [m.objects.count() for m in (Selection, Nomination, Award, Studio, StudioReport, InnovationResult)]
    call_command("load_demo", quiet=True)
    assert [m.objects.count() for m in (Selection, Nomination, Award, Studio, StudioReport, InnovationResult)] == counts


def test_no_demo_nominee_claims_more_years_in_the_trade_than_they_have_worked():
    import datetime as dt

    from deltaunion.honours.models import Nomination

    nominations = Nomination.objects.filter(worker__isnull=False, years_in_trade__isnull=False).select_related(
        "worker", "selection"
    )
    assert nominations.exists()
    for n in nominations:
        start = n.worker.started_work_on
        on = n.selection.nominations_close_on or dt.date(n.selection.year, 12, 31)
        assert start is not None, n.worker.name
        worked = on.year - start.year - ((on.month, on.day) < (start.month, start.day))
        assert n.years_in_trade <= worked, (n.worker.name, n.years_in_trade, start, on)

"""Deadlines in working days on China's calendar (chinese-calendar 1.11): a public holiday with a
make-up Saturday, a year the package does not know (weekends only, marked, recomputed later,
never an exception), art. 14's 15 days of mediation, and overdue steps first on the officer's list."""

from __future__ import annotations

import datetime as dt

import pytest

from deltaunion.relations import selectors, services, workdays
from deltaunion.relations.models import Case, CaseStatus
from deltaunion.relations.tests.factories import open_case

D = dt.date


def test_the_package_is_the_one_the_project_pins():
    import chinese_calendar

    assert chinese_calendar.__version__ == "1.11.0"
    assert workdays.default_calendar().knows(2026)
    assert not workdays.default_calendar().knows(2027)


def test_spring_festival_2026_with_its_make_up_saturday():
    cal = workdays.default_calendar()
    # 14 Feb 2026 is a Saturday worked (调休); 15–23 Feb is the Spring Festival holiday.
    assert cal.is_workday(D(2026, 2, 14)) == (True, True)
    assert cal.is_workday(D(2026, 2, 16)) == (False, True)
    # From Thursday 12 Feb: Fri 13 (1), Sat 14 (2, make-up day), then Tue 24 (3).
    assert cal.add_workdays(D(2026, 2, 12), 3) == workdays.Deadline(D(2026, 2, 24), False)
    # Counting weekends only would have said Tuesday 17 Feb.
    weekends_only = workdays.WorkCalendar(lambda day: None)
    assert weekends_only.add_workdays(D(2026, 2, 12), 3).due == D(2026, 2, 17)


def test_national_day_2026_with_its_make_up_days():
    cal = workdays.default_calendar()
    # 1–7 Oct 2026 off; Sat 10 Oct worked. From Wed 30 Sep: Thu 8 (1), Fri 9 (2), Sat 10 (3), Mon 12 (4).
    assert cal.add_workdays(D(2026, 9, 30), 4) == workdays.Deadline(D(2026, 10, 12), False)


def test_a_deadline_into_a_year_the_calendar_does_not_know_counts_weekends_and_says_so():
    cal = workdays.default_calendar()
    # 15 working days from Tuesday 15 Dec 2026: 12 in December, then Fri 1, Mon 4, Tue 5 Jan 2027.
    deadline = cal.add_workdays(D(2026, 12, 15), 15)
    assert deadline == workdays.Deadline(D(2027, 1, 5), True)
    assert str(workdays.ESTIMATED_NOTE)


@pytest.mark.parametrize("start", [D(2030, 6, 3), D(1999, 12, 20), D(2100, 12, 20)])
def test_unknown_years_never_raise(start):
    deadline = workdays.default_calendar().add_workdays(start, 20)
    assert deadline.estimated and deadline.due > start


def test_calendar_days_for_mediation_and_the_step_rules():
    assert workdays.step_deadline("mediation", D(2026, 12, 20)) == workdays.Deadline(D(2027, 1, 4), False)
    assert workdays.step_deadline("closed", D(2026, 12, 20)) is None
    # 15 working days from 12 Feb 2026: 13, 14 (make-up Sat), 24–27, 28 (make-up Sat), 2–6 Mar, 9–11 Mar.
    assert workdays.step_deadline("assigned", D(2026, 2, 12)).due == D(2026, 3, 11)


def test_art_14_ready_for_arbitration_after_fifteen_days():
    applied = D(2023, 3, 1)
    assert not workdays.ready_for_arbitration(applied, D(2023, 3, 16))  # the 15th day
    assert workdays.ready_for_arbitration(applied, D(2023, 3, 17))
    assert not workdays.ready_for_arbitration(None, D(2023, 3, 17))


# --- on cases ------------------------------------------------------------------------------------------


@pytest.fixture
def mid_december(monkeypatch):
    """Today is Wednesday 16 December 2026 (services and selectors ask `today()`)."""
    monkeypatch.setattr(services, "today", lambda: D(2026, 12, 16))
    monkeypatch.setattr(selectors, "today", lambda: D(2026, 12, 16))


@pytest.mark.django_db
def test_a_case_opened_in_mid_december_2026_has_an_estimated_deadline_then_recomputed(world, mid_december, client):
    case = open_case(world, opened_on=D(2026, 12, 15))
    services.case_assign(case=case, assignee=world.hz_officer, by=world.hz_officer, on=D(2026, 12, 15))
    case.refresh_from_db()
    assert (case.due_on, case.due_estimated) == (D(2027, 1, 5), True)

    client.force_login(world.hz_officer)
    page = client.get(f"/relations/cases/{case.pk}/").content.decode()
    assert "工作日按周末推算，待国务院公布节假日安排后更新" in page, page[page.find('data-testid="due"') :][:400]

    # Still unknown: recomputing changes nothing.
    assert services.deadlines_recompute() == 0

    # The package learns 2027 (New Year's Day off, as every year): the deadline moves to 6 Jan.
    def with_2027(day):
        if day.year == 2027:
            return day.weekday() < 5 and day != D(2027, 1, 1)
        return workdays._chinese_calendar_lookup(day)

    assert services.deadlines_recompute(calendar=workdays.WorkCalendar(with_2027)) == 1
    case.refresh_from_db()
    assert (case.due_on, case.due_estimated) == (D(2027, 1, 6), False)
    from deltaunion.core.audit import history

    assert any(item.entry.action == "relations_case.deadline" for item in history(case))
    page = client.get(f"/relations/cases/{case.pk}/").content.decode()
    assert "工作日按周末推算" not in page


@pytest.mark.django_db
def test_mediation_is_flagged_ready_for_arbitration(world, mid_december, client):
    case = open_case(world, opened_on=D(2026, 11, 20))
    services.case_assign(case=case, assignee=world.hz_officer, by=world.hz_officer, on=D(2026, 11, 20))
    services.case_step(case=case, step="mediate", by=world.hz_officer, on=D(2026, 11, 30))
    case.refresh_from_db()
    assert case.mediation_applied_on == D(2026, 11, 30) and case.due_on == D(2026, 12, 15)
    assert selectors.ready_for_arbitration(case) and selectors.is_overdue(case)
    client.force_login(world.hz_officer)
    page = client.get("/relations/").content.decode()
    assert "可申请仲裁" in page


@pytest.mark.django_db
def test_overdue_steps_come_first_on_the_officers_list(world, mid_december, client):
    fresh = open_case(world, opened_on=D(2026, 12, 14))  # received: 3 working days → 17 Dec
    late = open_case(world, opened_on=D(2026, 11, 2))
    services.case_assign(case=late, assignee=world.hz_officer, by=world.hz_officer, on=D(2026, 11, 3))  # → 24 Nov
    later = open_case(world, opened_on=D(2026, 12, 1))
    services.case_assign(case=later, assignee=world.hz_officer, by=world.hz_officer, on=D(2026, 12, 1))  # → 22 Dec
    closed = open_case(world, opened_on=D(2026, 10, 1))
    services.case_step(case=closed, step="close", by=world.hz_officer, outcome="withdrawn", on=D(2026, 10, 2))
    order = list(selectors.officer_cases(world.hz_officer))
    assert order == [late, fresh, later]
    assert list(selectors.officer_cases(world.hz_officer, selectors.CaseFilters(overdue=True))) == [late]
    client.force_login(world.hz_officer)
    page = client.get("/relations/").content.decode()
    assert page.index(late.number) < page.index(fresh.number) < page.index(later.number)
    assert Case.objects.get(pk=closed.pk).status == CaseStatus.CLOSED


@pytest.mark.django_db
def test_after_a_deployment_the_estimated_deadlines_are_worked_out_again(world, mid_december, monkeypatch, request):
    """`migrate` after upgrading chinese-calendar recomputes (the post_migrate hook)."""
    from django.apps import apps

    from deltaunion.relations.apps import _recompute_deadlines

    case = open_case(world, opened_on=D(2026, 12, 15))
    services.case_assign(case=case, assignee=world.hz_officer, by=world.hz_officer, on=D(2026, 12, 15))
    known = workdays._chinese_calendar_lookup

    def upgraded(day):
        if day.year == 2027:
            return day.weekday() < 5 and day != D(2027, 1, 1)
        return known(day)

    monkeypatch.setattr(workdays, "_chinese_calendar_lookup", upgraded)
    request.addfinalizer(workdays.default_calendar.cache_clear)
    _recompute_deadlines(sender=apps.get_app_config("relations"), using="default")
    case.refresh_from_db()
    assert (case.due_on, case.due_estimated) == (D(2027, 1, 6), False)

"""A key task's state computed from its evidence and deadline; a state set by hand needs a reason."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from deltaunion.accounts.models import User
from deltaunion.contests import services as contest_services
from deltaunion.contests.models import Contest
from deltaunion.core.audit import history_for
from deltaunion.core.registry import Evidence
from deltaunion.orgs.models import Organisation
from deltaunion.workplans.models import KeyTask
from deltaunion.workplans.progress import DONE, IN_PROGRESS, NOT_STARTED, OVERDUE, task_state
from deltaunion.workplans.selectors import year_report
from deltaunion.workplans.services import key_task_set_status
from deltaunion.workplans.tests.factories import KeyTaskFactory

pytestmark = pytest.mark.django_db


def _task(**kw):
    return KeyTaskFactory(kind=KeyTask.Kind.MAP, **kw)


def test_no_evidence_before_the_deadline_is_not_started_and_after_it_overdue(tree):
    task = _task(deadline=dt.date(2023, 8, 31))
    assert task_state(task, today=dt.date(2023, 8, 31), evidence=[]).code == NOT_STARTED
    late = task_state(task, today=dt.date(2023, 9, 1), evidence=[])
    assert late.code == OVERDUE and late.percent is None
    assert "2023-08-31" in late.basis


def test_without_a_deadline_the_plan_year_ends_it(tree):
    task = _task(deadline=None)
    assert task_state(task, today=dt.date(2023, 12, 31), evidence=[]).code == NOT_STARTED
    state = task_state(task, today=dt.date(2024, 1, 1), evidence=[])
    assert state.code == OVERDUE and state.deadline == dt.date(2023, 12, 31) and state.deadline_from_plan_year


def test_partial_evidence_is_in_progress_with_a_figure_and_its_basis(tree):
    task = _task(deadline=dt.date(2023, 8, 31))
    evidence = [Evidence("已发布的寻访线路", done=12, target=30), Evidence("地图上的场馆", done=5, complete=True)]
    state = task_state(task, today=dt.date(2023, 6, 1), evidence=evidence)
    assert state.code == IN_PROGRESS
    assert state.percent == 70  # (40% + 100%) / 2
    assert "已发布的寻访线路 12/30" in state.basis
    # The same evidence after the deadline: overdue, the figure kept.
    assert task_state(task, today=dt.date(2023, 9, 1), evidence=evidence).code == OVERDUE


def test_complete_evidence_is_done_even_after_the_deadline(tree):
    task = _task(deadline=dt.date(2023, 8, 31))
    evidence = [Evidence("已发布的寻访线路", done=31, target=30, complete=True)]
    state = task_state(task, today=dt.date(2026, 1, 1), evidence=evidence)
    assert state.code == DONE and state.percent == 100


def test_setting_a_state_by_hand_needs_a_reason_is_audited_and_can_be_given_back(tree, users):
    task = _task(lead_org=tree.zj, deadline=dt.date(2023, 8, 31))
    with pytest.raises(ValidationError):
        key_task_set_status(task=task, status=KeyTask.Status.DONE, by=users.zj_admin, note="  ")
    assert KeyTask.objects.get(pk=task.pk).status == KeyTask.Status.PLANNED
    key_task_set_status(task=task, status=KeyTask.Status.DONE, by=users.zj_admin, note="纸质地图已印发")
    task.refresh_from_db()
    state = task_state(task, today=dt.date(2024, 1, 1), evidence=[])
    assert state.code == DONE and state.set_by_hand and state.reason == "纸质地图已印发"
    assert state.computed_code == OVERDUE
    entry = history_for(task).get(note="纸质地图已印发")
    assert entry.note == "纸质地图已印发" and entry.after["status_reason"] == "纸质地图已印发"
    key_task_set_status(task=task, status=KeyTask.Status.PLANNED, by=users.zj_admin)
    task.refresh_from_db()
    assert task.status_reason == "" and task_state(task, today=dt.date(2024, 1, 1), evidence=[]).code == OVERDUE


def test_a_contest_linked_to_the_task_is_its_evidence(tree, users):
    task = KeyTaskFactory(kind=KeyTask.Kind.CONTEST, lead_org=tree.zj, deadline=None)
    admin = User.objects.create_superuser("evidence_admin", password="x")
    assert task_state(task, today=dt.date(2023, 6, 1)).evidence == []
    contest = contest_services.contest_create(
        title="测试竞赛", lead_org=Organisation.objects.get(pk=tree.zj.pk), by=admin, key_task=task
    )
    contest_services.contest_set_status(contest=contest, status=Contest.Status.UNKNOWN, by=admin)
    unknown = task_state(task, today=dt.date(2024, 6, 1))
    assert unknown.code == OVERDUE and unknown.evidence[0].label.startswith("测试竞赛")
    contest_services.contest_set_status(contest=contest, status=Contest.Status.HELD, by=admin)
    held = task_state(task, today=dt.date(2024, 6, 1))
    assert held.code == DONE and held.percent == 100


def test_year_report_counts_per_plan_and_per_lead(tree):
    a = _task(lead_org=tree.zj, deadline=dt.date(2023, 8, 31))
    _task(plan=a.plan, lead_org=None, lead_note="三省一市总工会（共同推进）", deadline=dt.date(2099, 1, 1))
    report = year_report(2023, today=dt.date(2023, 9, 1))
    [plan] = report.plans
    assert plan.tally.counts[OVERDUE] == 1 and plan.tally.counts[NOT_STARTED] == 1
    leads = dict(report.by_lead)
    assert leads[tree.zj.name].counts[OVERDUE] == 1
    assert leads["三省一市总工会（共同推进）"].counts[NOT_STARTED] == 1


def test_the_report_is_a_pdf_and_the_excel_export_carries_the_states(client, tree):
    _task(lead_org=tree.zj, deadline=dt.date(2023, 8, 31))
    response = client.get("/plans/report.pdf", {"year": 2023})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    book = openpyxl.load_workbook(io.BytesIO(client.get("/plans/tasks/export.xlsx", {"year": 2023}).content))
    rows = list(book.active.iter_rows(values_only=True))
    assert "状态" in rows[0] and "计算依据" in rows[0]
    assert rows[1][rows[0].index("状态")] == "逾期"


def test_a_figure_that_reaches_its_target_counts_as_complete(tree):
    task = _task(deadline=dt.date(2023, 8, 31))
    evidence = [Evidence("地图上的场馆", done=40, complete=True), Evidence("已发布的寻访线路", done=30, target=30)]
    assert task_state(task, today=dt.date(2026, 1, 1), evidence=evidence).code == DONE
    evidence[1] = Evidence("已发布的寻访线路", done=29, target=30)
    assert task_state(task, today=dt.date(2026, 1, 1), evidence=evidence).code == OVERDUE

"""A contest that records a plan's item: lead and tier from its key task, unknown settings shown
as 待定 until an organiser sets them, and the states of a record not run here (已举办, 情况不详)."""

from __future__ import annotations

import pytest

from deltaunion.contests import services
from deltaunion.contests.models import Contest, ContestFormat, ContestLevel
from deltaunion.core.statemachine import TransitionError
from deltaunion.workplans.models import KeyTask
from deltaunion.workplans.tests.factories import KeyTaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(tree, users):
    task = KeyTaskFactory(kind=KeyTask.Kind.CONTEST, tier=KeyTask.Tier.GUIDED, lead_org=None, lead_note="")
    contest = services.contest_create(title="记录的竞赛", lead_org=tree.zj, by=users.zj_admin, key_task=task)
    Contest.objects.filter(pk=contest.pk).update(unknown_settings=["format", "level", "weights"])
    return Contest.objects.get(pk=contest.pk)


def test_lead_and_tier_come_from_the_key_task(record, tree):
    assert record.lead_label == "未明确" and record.lead_org == tree.zj
    assert (record.tier, record.tier_label) == ("guided", "指导推动")
    KeyTask.objects.filter(pk=record.key_task_id).update(tier="", lead_note="三省一市总工会（共同推进）")
    record = Contest.objects.select_related("key_task").get(pk=record.pk)
    assert (record.tier, record.lead_label) == ("", "三省一市总工会（共同推进）")


def test_unknown_settings_show_as_to_be_decided_until_an_organiser_changes_them(record, users):
    assert (record.format_label, record.level_label, record.weights_known) == ("待定", "待定", False)
    services.contest_update(contest=record, by=users.zj_admin, format=ContestFormat.MERIT)
    record = Contest.objects.get(pk=record.pk)
    assert record.unknown_settings == ["level", "weights"] and record.format_label != "待定"
    services.contest_update(
        contest=record, by=users.zj_admin, level=ContestLevel.CITY, theory_weight="0.4", practical_weight="0.6"
    )
    record = Contest.objects.get(pk=record.pk)
    assert record.unknown_settings == [] and record.weights_known and record.level_label != "待定"


def test_a_record_not_run_here_is_held_or_not_known_never_open(record, users):
    services.contest_set_status(contest=record, status=Contest.Status.UNKNOWN, by=users.zj_admin)
    record.refresh_from_db()
    assert record.get_status_display() == "情况不详"
    services.contest_set_status(contest=record, status=Contest.Status.HELD, by=users.zj_admin)
    record.refresh_from_db()
    assert record.get_status_display() == "已举办"
    with pytest.raises(TransitionError):
        services.contest_set_status(contest=record, status=Contest.Status.OPEN, by=users.zj_admin)


def test_a_record_with_an_unknown_format_or_level_matches_no_format_or_level_filter(record, users):
    from deltaunion.contests.selectors import contest_list

    assert record not in contest_list(user=users.zj_admin, format=record.format)
    assert record not in contest_list(user=users.zj_admin, level=record.level)
    assert record in contest_list(user=users.zj_admin)
    services.contest_update(contest=record, by=users.zj_admin, format=ContestFormat.MERIT)
    assert record in contest_list(user=users.zj_admin, format=ContestFormat.MERIT)

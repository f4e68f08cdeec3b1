"""Issue 11, contest pages: the status follows the stages (through the state machine), one lead
organiser on every page, no second "create a contest" for a key task, no stage entered twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from deltaunion.contests import services
from deltaunion.contests.models import Contest, Stage
from deltaunion.contests.models.contest import contest_status_from_stages
from deltaunion.core.models import AuditEntry
from deltaunion.orgs.models import Organisation
from deltaunion.workplans.tests.factories import KeyTaskFactory

from .factories import OrganisationFactory, build_world, mark_everything, register_and_draw, sign_off_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    world = build_world()
    services.contest_update(contest=world.contest, status=Contest.Status.OPEN, by=world.officer)
    world.contest.refresh_from_db()
    return world


def _status(contest: Contest) -> str:
    return Contest.objects.values_list("status", flat=True).get(pk=contest.pk)


def _finalise(w) -> None:
    mark_everything(w)
    sign_off_all(w)
    services.stage_reveal(stage=w.stage, by=w.decryptor)
    recheck = services.recheck_start(stage=w.stage, by=w.chief, seed="s")
    for item in recheck.items.all():
        services.recheck_item_record(item=item, error_found=False, by=w.chief)
    services.recheck_complete(recheck=recheck, by=w.chief)
    rs = services.result_set_publish(stage=w.stage, by=w.officer)
    services.result_set_finalise(result_set=rs, by=w.officer, now=rs.notice_until + dt.timedelta(seconds=1))
    w.stage.refresh_from_db()


# --- 1. statuses follow the stages -------------------------------------------------------------


def test_the_contest_status_follows_its_stages_to_finished(client, w):
    assert _status(w.contest) == Contest.Status.OPEN
    register_and_draw(w, 4)  # check-in and the draw: the contest is under way
    assert _status(w.contest) == Contest.Status.RUNNING
    _finalise(w)
    # The only stage is final and its day is over: the contest has finished, by its transition.
    assert _status(w.contest) == Contest.Status.FINISHED
    actions = list(
        AuditEntry.objects.filter(object_type="contests.contest", object_id=str(w.contest.pk)).values_list(
            "action", flat=True
        )
    )
    assert "contest.start" in actions and "contest.finish" in actions
    html = client.get(reverse("contests:list")).content.decode()
    row = html[html.index(w.contest.title) :][:1500]
    assert "已结束" in row and "报名中" not in row and "进行中" not in row
    detail = client.get(reverse("contests:detail", args=[w.contest.pk])).content.decode()
    assert "已结束" in detail and "报名中" not in detail and "已定稿" not in detail


def test_a_contest_is_not_finished_while_another_stage_is_to_come(w):
    later = services.stage_create(
        contest=w.contest,
        name="长三角总决赛",
        by=w.officer,
        starts_at=w.stage.ends_at + dt.timedelta(days=30),
        ends_at=w.stage.ends_at + dt.timedelta(days=30, hours=8),
    )
    register_and_draw(w, 4)
    _finalise(w)
    assert later.status == Stage.Status.PLANNED
    assert _status(w.contest) == Contest.Status.RUNNING


def test_final_stages_whose_day_is_to_come_leave_the_contest_running(w):
    w.contest.refresh_from_db()
    Stage.objects.filter(pk=w.stage.pk).update(status=Stage.Status.FINAL)
    today = w.stage.ends_at.date()
    assert contest_status_from_stages(w.contest, today=today - dt.timedelta(days=1)) == Contest.Status.RUNNING
    assert contest_status_from_stages(w.contest, today=today + dt.timedelta(days=1)) == Contest.Status.FINISHED


def test_records_and_drafts_are_not_derived(w):
    for status in (Contest.Status.DRAFT, Contest.Status.CANCELLED, Contest.Status.HELD, Contest.Status.UNKNOWN):
        w.contest.status = status
        assert contest_status_from_stages(w.contest) is None
    w.contest.status = Contest.Status.OPEN
    assert contest_status_from_stages(w.contest) == Contest.Status.OPEN  # a stage open for entries


def test_demo_contests_of_past_years_are_not_open_for_entries(client, demo_data):
    """In the demo, no contest of 2021–2023 shows 报名中, and a run contest whose stages are
    all final shows 已结束."""
    for contest in Contest.objects.filter(starts_on__year__lte=2023) | Contest.objects.filter(
        key_task__plan__year__lte=2023
    ):
        assert contest.status != Contest.Status.OPEN, contest.title
        stages = set(contest.stages.values_list("status", flat=True))
        if stages == {Stage.Status.FINAL}:
            assert contest.status == Contest.Status.FINISHED, contest.title
    robot = Contest.objects.get(title="长三角地区工业机器人虚拟仿真职业技能竞赛")
    html = client.get(reverse("contests:detail", args=[robot.pk])).content.decode()
    assert html.count("已结束") >= 3  # the contest and its two stages


# --- 2. one lead organiser ---------------------------------------------------------------------


def test_the_lead_is_the_key_tasks_on_list_and_detail(client, w):
    base = OrganisationFactory(name="长三角职工疗休养基地联盟", kind=Organisation.Kind.PROVINCIAL)
    named = KeyTaskFactory(title="服务技能大赛", lead_org=base)
    unnamed = KeyTaskFactory(title="康养美食创新大赛", lead_org=None)
    c1 = services.contest_update(contest=w.contest, key_task=named, by=w.officer)
    c2 = services.contest_create(title="康养美食创新大赛", lead_org=w.province, key_task=unnamed, by=w.officer)
    services.contest_set_status(contest=c2, status=Contest.Status.OPEN, by=w.officer)
    listing = client.get(reverse("contests:list")).content.decode()
    row1 = listing[listing.index(c1.title) :][:1200]
    row2 = listing[listing.index("康养美食创新大赛") :][:1200]
    assert "长三角职工疗休养基地联盟" in row1 and w.province.name not in row1
    assert "未明确" in row2 and w.province.name not in row2
    d1 = client.get(reverse("contests:detail", args=[c1.pk])).content.decode()
    d2 = client.get(reverse("contests:detail", args=[c2.pk])).content.decode()
    lead = 'data-testid="contest-lead">'
    assert d1[d1.index(lead) :][:80].startswith(lead + "长三角职工疗休养基地联盟")
    assert d2[d2.index(lead) :][:40].startswith(lead + "未明确")


# --- 8. no second contest offered, no stage entered twice --------------------------------------


def test_a_key_task_with_a_contest_does_not_offer_another(client, w):
    task = KeyTaskFactory(title="长三角电梯维修技能竞赛", lead_org=w.province)
    client.force_login(w.officer)
    url = reverse("workplans:task", args=[task.pk])
    assert "为该任务创建竞赛" in client.get(url).content.decode()
    services.contest_update(contest=w.contest, key_task=task, by=w.officer)
    html = client.get(url).content.decode()
    assert "为该任务创建竞赛" not in html
    assert reverse("contests:detail", args=[w.contest.pk]) in html


def test_the_same_stage_twice_is_refused_by_the_service(w):
    with pytest.raises(ValidationError) as exc:
        services.stage_create(
            contest=w.contest, name=" 决赛 ", by=w.officer, starts_at=w.stage.starts_at, ends_at=w.stage.ends_at
        )
    assert "本竞赛已有同名、同日期的赛段" in exc.value.messages[0]
    assert Stage.objects.filter(contest=w.contest).count() == 1
    # The same name on other days, or another name on the same days, is a stage of its own.
    services.stage_create(
        contest=w.contest,
        name="决赛",
        by=w.officer,
        starts_at=w.stage.starts_at + dt.timedelta(days=7),
        ends_at=w.stage.ends_at + dt.timedelta(days=7),
    )
    services.stage_create(
        contest=w.contest, name="复赛", by=w.officer, starts_at=w.stage.starts_at, ends_at=w.stage.ends_at
    )
    assert Stage.objects.filter(contest=w.contest).count() == 3


def test_the_same_stage_twice_is_refused_by_the_form(client, w):
    client.force_login(w.officer)
    url = reverse("contests:stage_add", args=[w.contest.pk])
    data = {"name": "长三角总决赛", "level": "region", "starts_at": "2024-11-08T09:00", "ends_at": "2024-11-08T17:00"}
    data["theory_max"] = "100"
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 200
    assert "本竞赛已有同名、同日期的赛段" in response.content.decode()
    assert Stage.objects.filter(contest=w.contest, name="长三角总决赛").count() == 1


# --- 4. a demo contest's aspects belong to its own trade; the queue tells rows apart --------------


def test_demo_contest_aspects_belong_to_its_trade(client, demo_data):
    from deltaunion.accounts.models import User
    from deltaunion.contests.models import Aspect, Module

    nev = Contest.objects.get(title="长三角新能源汽车技术技能竞赛")
    assert list(nev.trades.values_list("name", flat=True)) == ["汽车维修工"]
    texts = [
        *Module.objects.filter(stage__contest=nev).values_list("name", flat=True),
        *Aspect.objects.filter(module__stage__contest=nev).values_list("description", flat=True),
    ]
    assert texts and not any(word in t for t in texts for word in ("仿真", "机器人", "TCP", "工作站"))
    assert any("电池" in t for t in texts)
    measured = Aspect.objects.get(module__stage__contest=nev, code="NA2")
    assert measured.unit == "V" and measured.target_text == "0 V"
    # The demo judge's queue: who entered each row, and no two rows alike.
    client.force_login(User.objects.get(username="judge"))
    module = Module.objects.filter(stage__contest=nev).order_by("order").first()
    html = client.get(reverse("contests:judge_queue", args=[module.pk])).content.decode()
    items = [p.split("</form>")[0] for p in html.split('data-testid="queue-item"')[1:]]
    assert items and all("录入裁判：" in i for i in items)
    assert len(set(items)) == len(items)

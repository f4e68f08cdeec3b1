"""The seeds' lists, item by item: every key task and contest the seeds name exists with the tier
and lead the seed gives (or an explicit 未明确), and no task or contest of the demo shows a state
its dates and evidence contradict on today's date.

The expectations are written out here from the seed texts (not read from demo_data), so a change
of the demo data that drifts from the seeds fails."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from deltaunion.contests.models import Contest
from deltaunion.workplans.models import KeyTask
from deltaunion.workplans.progress import DONE, IN_PROGRESS, NOT_STARTED, OVERDUE, lead_label, task_state

pytestmark = pytest.mark.usefixtures("demo_data", "db")

UNSPECIFIED = "未明确"
G60 = "G60科创走廊九城市"
DEMO_ZONE = "长三角生态绿色一体化发展示范区"
FIVE_TEN = "长三角（5+10）城市工会工作联盟"
TOGETHER_2021 = "三省一市总工会（共同推进）"
JOINT_2023 = "三省一市总工会（联合相关部门）"

# (year, title, kind, tier, lead) — seeds/002 (2019), 001 (2021), 000 (2022), 004 (2023).
SEED_ITEMS = [
    # seeds/002: 中国长三角地区职工劳动技能创新工作首次联席会议
    (2019, "商定《中国长三角地区职工劳动技能创新战略合作协议（征求意见稿）》", "cooperation", "", "三省一市总工会"),
    (2019, "长三角地区职工劳动和技能竞赛系列活动", "contest", "", UNSPECIFIED),
    (
        2019,
        "每年围绕国家战略和重点项目举办研讨会，确定竞赛主题，开展全国引领性劳动和技能竞赛",
        "contest",
        "",
        "三省一市总工会",
    ),
    (2019, "拟共同签订《G60科创走廊战略合作协议》", "cooperation", "", G60),
    (2019, "共同签订《环淀山湖战略协同区一体化发展备忘录》", "cooperation", "", "环淀山湖战略协同区"),
    (2019, "首届长三角地区燃气行业职工职业技能晋级竞赛活动", "contest", "", "上海航天工会"),
    # seeds/001: seven key tasks pushed together, nine contests guided
    (2021, "长三角地区优化营商环境立功竞赛", "contest", "", TOGETHER_2021),
    (2021, "举办长三角劳模工匠创新交流活动", "exchange", "", TOGETHER_2021),
    (2021, "发布“建功‘十四五’ 奋进新征程”百项重大工程劳动竞赛职工科技创新成果", "other", "", TOGETHER_2021),
    (2021, "建立三省一市工会共同合作预防化解区域性劳动关系矛盾的工作体制", "mechanism", "", TOGETHER_2021),
    (
        2021,
        "持续深化长三角地区职工疗休养协作事业，全面实现长三角地区职工疗休养基地互认共享",
        "recuperation",
        "",
        TOGETHER_2021,
    ),
    (2021, "推动长三角工会干部培训院校合作", "training", "", TOGETHER_2021),
    (2021, "推动长三角地区红色资源宣传、挖掘、利用", "other", "", TOGETHER_2021),
    (2021, "G60科创走廊高质量发展职工劳动竞赛", "contest", "guided", G60),
    (2021, "长三角地区燃气职工劳动技能创新立功竞赛", "contest", "guided", UNSPECIFIED),
    (2021, "长三角地区纺织行业职工职业技能竞赛", "contest", "guided", UNSPECIFIED),
    (2021, "围绕节能降耗主题在长三角电力行业开展相关竞赛", "contest", "guided", UNSPECIFIED),
    (2021, "长三角地区城市轨道交通行业职工职业技能竞赛", "contest", "guided", UNSPECIFIED),
    (2021, "长三角地区铁道行业职业技能竞赛", "contest", "guided", UNSPECIFIED),
    (2021, "长三角地区智能制造物流管理技能竞赛", "contest", "guided", UNSPECIFIED),
    (2021, "长三角地区燃机运维技能竞赛", "contest", "guided", UNSPECIFIED),
    (2021, "长三角地区工会集体协商技能竞赛", "contest", "guided", UNSPECIFIED),
    # seeds/000
    (2022, "围绕集成电路开展竞赛活动", "contest", "", UNSPECIFIED),
    (2022, "围绕新型显示产业开展竞赛活动", "contest", "", UNSPECIFIED),
    (2022, "围绕智能交通创新技术开展竞赛活动", "contest", "", UNSPECIFIED),
    (2022, "围绕建设建材行业开展竞赛活动", "contest", "", UNSPECIFIED),
    (2022, "围绕优化营商环境开展竞赛活动", "contest", "", UNSPECIFIED),
    (2022, "围绕融资担保开展竞赛活动", "contest", "", UNSPECIFIED),
    (2022, "青浦、吴江、嘉善两区一县工会围绕建设水乡客厅开展竞赛活动", "contest", "", DEMO_ZONE),
    (2022, "松江、杭州、苏州、合肥等九城市工会围绕高水平共建G60科创走廊开展竞赛等活动", "contest", "", G60),
    (2022, "联合开展首届“长三角大工匠”选树命名活动", "honour", "", "三省一市工会（联合开展）"),
    (2022, "长三角地区数字赋能高质量发展职工劳动和技能竞赛", "contest", "", UNSPECIFIED),
    (2022, "沪苏浙与皖北结对城市劳动和技能竞赛", "contest", "", UNSPECIFIED),
    # seeds/004: 16 contests in three tiers, mechanisms, exchange, map and routes
    (2023, "长三角地区信息技术应用创新成果大赛", "contest", "led", "上海市总工会"),
    (2023, "第三届中国长三角地区劳模工匠创新工作室选树命名活动", "contest", "led", "江苏省总工会"),
    (2023, "长三角地区工业机器人虚拟仿真职业技能竞赛", "contest", "led", "浙江省总工会"),
    (2023, "长三角新能源汽车技术技能竞赛", "contest", "led", "安徽省总工会"),
    (2023, "校企合作、产教融合项目竞赛活动", "contest", "co_organised", JOINT_2023),
    (2023, "长三角地区智能交通创新技术应用大赛", "contest", "co_organised", JOINT_2023),
    (2023, "第三届长三角地区优化营商环境立功竞赛暨食品检验检测职业技能竞赛", "contest", "co_organised", JOINT_2023),
    (2023, "长三角地区供水行业供水管道工职业技能竞赛", "contest", "co_organised", JOINT_2023),
    (2023, "第二届中国长三角地区融资担保职业技能竞赛", "contest", "co_organised", JOINT_2023),
    (2023, "长三角生态绿色一体化示范区三地消防救援队伍业务技能竞赛", "contest", "guided", DEMO_ZONE),
    (2023, "第三届长三角地区铁道行业职业技能竞赛", "contest", "guided", "铁路系统"),
    (2023, "物联网工程技术职工职业技能竞赛", "contest", "guided", FIVE_TEN),
    (2023, "长三角地区废水处理行业（废水处理工）职业技能竞赛", "contest", "guided", "三省一市相关部属企事业单位"),
    (2023, "电梯维修技能邀请赛", "contest", "guided", "长三角环太湖城市"),
    (2023, "康养美食创新大赛", "contest", "guided", FIVE_TEN),
    (2023, "服务技能大赛", "contest", "guided", "长三角地区职工疗休养基地"),
    (2023, "建立跨区域劳动关系矛盾预警预防信息共享机制", "mechanism", "", UNSPECIFIED),
    (2023, "组织职工赴其他三地开展职工疗休养交流活动", "recuperation", "", "三省一市总工会（各自组织）"),
    (2023, "共同推出一张“长三角地区红色工运场馆地图”", "map", "", "三省一市总工会（共同推出）"),
    (2023, "同步推出“长三角红色工运寻访主题线路”", "route", "", "三省一市总工会（共同推出）"),
]


@pytest.mark.parametrize(("year", "title", "kind", "tier", "lead"), SEED_ITEMS, ids=[i[1][:20] for i in SEED_ITEMS])
def test_each_seed_item_exists_with_its_tier_and_lead(year, title, kind, tier, lead):
    task = KeyTask.objects.select_related("plan", "lead_org", "lead_alliance").get(plan__year=year, title=title)
    assert (task.kind, task.tier, lead_label(task)) == (kind, tier, lead)
    assert task.source.startswith("seeds/")
    if kind == "contest":
        # The contest record carries out the task and shows the task's lead and tier.
        contest = Contest.objects.select_related("key_task__lead_org", "key_task__lead_alliance").get(key_task=task)
        assert (contest.tier, contest.lead_label) == (tier, lead)
        assert contest.source.startswith("seeds/")


def test_the_2019_agreement_is_done_as_its_seed_says_and_says_why():
    task = KeyTask.objects.get(plan__year=2019, title__startswith="商定《中国长三角地区职工劳动技能创新战略合作协议")
    state = task_state(task)
    assert state.code == DONE and state.set_by_hand and "seeds/002" in state.reason


def test_seed_003_demo_zone_series_is_recorded_as_held_citing_its_seed():
    titles = [f"长三角一体化发展示范区{t}技能竞赛" for t in ("物流服务", "水质检测", "旅游行业")]
    contests = {c.title: c for c in Contest.objects.filter(title__in=titles)}
    assert sorted(contests) == sorted(titles)
    for c in contests.values():
        assert c.status == Contest.Status.HELD
        assert c.source.startswith("seeds/003") and "嘉善" in c.lead_label
        assert c.region_alliance.name == DEMO_ZONE
        assert (c.format_label, c.level_label, c.weights_known) == ("待定", "待定", False)


def test_no_contest_of_a_past_year_without_stages_is_open_for_entries():
    this_year = timezone.localdate().year
    records = Contest.objects.filter(key_task__plan__year__lt=this_year, stages__isnull=True)
    assert records.count() >= 35
    assert not records.filter(status__in=[Contest.Status.OPEN, Contest.Status.RUNNING]).exists()
    unknown = records.filter(status=Contest.Status.UNKNOWN).first()
    assert unknown.get_status_display() == "情况不详" and unknown.format_label == "待定"


def test_the_2023_robot_contest_task_is_done_and_the_map_task_follows_the_routes():
    robot = KeyTask.objects.get(plan__year=2023, title="长三角地区工业机器人虚拟仿真职业技能竞赛")
    state = task_state(robot)
    assert state.code == DONE and not state.set_by_hand and state.percent == 100
    task = KeyTask.objects.get(plan__year=2023, kind=KeyTask.Kind.MAP)
    state = task_state(task)
    [routes] = [e for e in state.evidence if e.target == 30]
    expected = DONE if routes.done >= 30 else (OVERDUE if timezone.localdate() > dt.date(2023, 8, 31) else IN_PROGRESS)
    assert state.code == expected
    assert "2023-08-31" in state.basis


def test_no_task_state_contradicts_its_dates():
    today = timezone.localdate()
    for task in KeyTask.objects.select_related("plan", "lead_org", "lead_alliance"):
        state = task_state(task, today=today)
        if state.set_by_hand:
            assert state.reason
            continue
        if state.code in (NOT_STARTED, IN_PROGRESS):
            assert state.deadline is None or state.deadline >= today, task.title
        if state.code == OVERDUE:
            assert state.deadline < today


def test_the_plan_page_and_api_show_states_with_their_evidence(client):
    page = client.get("/", {"year": 2023}).content.decode()
    assert "年度计划完成情况" in page and "逾期" in page and "截止：计划年度末（2023-12-31）" in page
    plans = client.get("/api/workplans", {"year": 2023}).json()
    tasks = {t["title"]: t for p in plans for t in p["tasks"]}
    robot = tasks["长三角地区工业机器人虚拟仿真职业技能竞赛"]
    assert robot["state"]["code"] == DONE and robot["state"]["evidence"]
    recuperation = tasks["组织职工赴其他三地开展职工疗休养交流活动"]
    assert "3000" in recuperation["target"] and "活动对象" in recuperation["detail"]
    assert all("tally" in p and p["tally"]["total"] == len(p["tasks"]) for p in plans)
    summary = client.get("/api/workplans/summary", {"year": 2023}).json()
    assert summary["tally"]["total"] == sum(p["tally"]["total"] for p in summary["plans"])
    leads = {row["lead"] for row in summary["by_lead"]}
    assert {"浙江省总工会", JOINT_2023} <= leads

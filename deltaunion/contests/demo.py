"""Contest demo data (idempotent), built by calling the contest services.

1. Every contest key task of the 2019–2023 work plans becomes a Contest record linked to its
   task (tier and lead from the task; most without stages). These records are real plan items
   (not demo); a task that names no lead organisation gets the ACFTU record as the holder of
   the record, and the pages show the task's lead or 未明确. Format, level and weights are not
   in the seeds: 待定. A past year's record without stages is 情况不详 (never 报名中).
   Seed 003's demo-zone series (物流服务, 水质检测, 旅游行业) are records too, 已举办.
2. 长三角地区工业机器人虚拟仿真职业技能竞赛 (led by 浙江省总工会) runs as a finished two-stage
   contest: a provincial selection, then the regional final fed by the selection's qualifiers,
   with synthetic competitors (the demo workers), synthetic judges, marks entered and
   confirmed, modules signed off, reveal, re-check, public notice, final hashed result sets,
   prizes, a title, promotions and certificates.
3. 长三角新能源汽车技术技能竞赛 (led by 安徽省总工会) is left in the middle of marking; the demo
   `judge` login is one of its judges.

Everything synthetic is marked: demo users and workers carry is_demo, the two contests that
were run here carry is_demo and say so in their description.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from deltaunion.accounts.models import User
from deltaunion.contests import services
from deltaunion.contests.models import Contest, ContestLevel, ContestRole, Registration, Stage
from deltaunion.core.registry import DemoContext
from deltaunion.orgs.models import Alliance, Organisation
from deltaunion.people.models import Worker
from deltaunion.workplans.models import KeyTask

YEARS = (2019, 2021, 2022, 2023)
UNKNOWN_SETTINGS = ("format", "level", "weights")
ROBOT_TITLE = "长三角地区工业机器人虚拟仿真职业技能竞赛"
NEV_TITLE = "长三角新能源汽车技术技能竞赛"
DEMO_NOTE = "演示数据：本竞赛的赛段、选手、裁判、评分与结果均为系统生成的演示数据，不是真实比赛结果。"
# Units whose demo workers compete (the delivery riders' union is left out).
UNIT_EXCLUDE = "配送"


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


def _demo_user(username: str, full_name: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=full_name, is_demo=True)
        user.set_unusable_password()  # synthetic judges do not log in; the `judge` login does
        user.save()
    return user


# --- 1. a contest record for every contest key task ------------------------------------------


def _record_state(task: KeyTask, today: dt.date) -> str:
    """A plan's contest not run here: before its plan's year is over, open for entries;
    afterwards not known (no seed says whether it was held)."""
    return Contest.Status.OPEN if task.plan.year >= today.year else Contest.Status.UNKNOWN


def contest_records(admin: User) -> dict[str, Contest]:
    """Contest per contest key task of the plans (created once). Lead and tier are the key
    task's (the holder of the record is the ACFTU when the task names no lead organisation,
    and the pages show the task's lead, or 未明确); format, level and weights are not in the
    seeds and stay 待定; a record of a past plan's year is 情况不详, never 报名中."""
    holder = Organisation.objects.get(kind=Organisation.Kind.ACFTU)
    today = timezone.localdate()
    tasks = (
        KeyTask.objects.filter(kind=KeyTask.Kind.CONTEST, plan__year__in=YEARS)
        .select_related("plan", "lead_org")
        .order_by("plan__year", "plan__position", "number")
    )
    existing = {c.key_task_id: c for c in Contest.objects.filter(key_task__in=tasks)}
    out: dict[str, Contest] = {}
    for task in tasks:
        contest = existing.get(task.pk)
        if contest is None:
            contest = services.contest_create(
                title=task.title[:200],
                lead_org=task.lead_org or holder,
                by=admin,
                key_task=task,
                source=task.source[:255],
            )
            Contest.objects.filter(pk=contest.pk).update(unknown_settings=list(UNKNOWN_SETTINGS))
            services.contest_set_status(contest=contest, status=_record_state(task, today), by=admin)
        elif not contest.stages.exists() and not contest.is_demo:
            # Records of an earlier load: the tier is the task's, guessed settings are 待定,
            # and a past year's record is not shown as open for entries.
            if contest.plan_tier != task.tier:
                services.contest_update(contest=contest, by=admin, plan_tier=task.tier)
            if contest.status == Contest.Status.OPEN and not contest.unknown_settings:
                Contest.objects.filter(pk=contest.pk).update(unknown_settings=list(UNKNOWN_SETTINGS))
            wanted = _record_state(task, today)
            if contest.status == Contest.Status.OPEN and wanted != contest.status:
                services.contest_set_status(contest=contest, status=wanted, by=admin)
        if task.plan.year == 2023:
            out[task.title] = contest
    return out


# Seed 003 (浙江工人日报, 2020-11-09): 嘉善县总工会 with the Qingpu and Wujiang federations ran
# "聚焦示范区建设、聚力高质量发展" contests of the demo zone — 物流服务, 水质检测, 旅游行业 — "一年多来先后推出".
DEMO_ZONE_SERIES = ("物流服务", "水质检测", "旅游行业")
DEMO_ZONE_SOURCE = "seeds/003 （浙江工人日报，建功立业 投身高质量发展主战场，2020-11-09）"
DEMO_ZONE_LEAD = "嘉善县总工会（与上海青浦、江苏吴江总工会）"
DEMO_ZONE_NOTE = (
    "据seeds/003：嘉善县总工会与上海青浦、江苏吴江总工会组织开展“聚焦示范区建设、聚力高质量发展”"
    "长三角一体化发展示范区系列技能竞赛，一年多来先后推出了物流服务、水质检测、旅游行业等3项技能竞赛。"
    "举办日期、赛制与结果，来源未载。"
)


def demo_zone_series(admin: User) -> list[Contest]:
    holder = Organisation.objects.get(kind=Organisation.Kind.ACFTU)
    alliance = Alliance.objects.filter(slug="demo-zone").first()
    out = []
    for trade in DEMO_ZONE_SERIES:
        title = f"长三角一体化发展示范区{trade}技能竞赛"
        contest = Contest.objects.filter(title=title, key_task__isnull=True).first()
        if contest is None:
            contest = services.contest_create(
                title=title,
                lead_org=holder,
                by=admin,
                description=DEMO_ZONE_NOTE,
                region_alliance=alliance,
                source=DEMO_ZONE_SOURCE,
            )
            Contest.objects.filter(pk=contest.pk).update(
                unknown_settings=list(UNKNOWN_SETTINGS), lead_note=DEMO_ZONE_LEAD
            )
            services.contest_set_status(contest=contest, status=Contest.Status.HELD, by=admin)
        out.append(contest)
    return out


# --- shared: a judged stage run through the services ----------------------------------------


# Each judged demo stage marks its own trade: two modules of five aspects in the same shape
# (A1 full or zero, A2 measured against a target with tolerance bands, A3 judged 0–3, B1 full or
# zero, B2 judged 0–3), so the synthetic marks fit either scheme.
ROBOT_SCHEME = (
    ("模块一 虚拟仿真建模与布局", "模块二 工作站编程与调试"),
    (
        {"description": "仿真模型完整导入", "kind": "measurement", "max_mark": "10"},
        {
            "description": "TCP 标定误差",
            "kind": "measurement",
            "max_mark": "15",
            "target": "0",
            "unit": "mm",
            "bands": [{"tolerance": "0.10", "share": "1"}, {"tolerance": "0.30", "share": "0.5"}],
        },
        {
            "description": "工作站布局合理性",
            "kind": "judgement",
            "max_mark": "15",
            "descriptors": ["不合理", "基本合理", "合理", "优秀"],
        },
        {"description": "节拍时间达标", "kind": "measurement", "max_mark": "20"},
        {
            "description": "程序结构与安全规范",
            "kind": "judgement",
            "max_mark": "40",
            "descriptors": ["不符合", "部分符合", "符合", "优秀"],
        },
    ),
)
NEV_SCHEME = (
    ("模块一 动力电池系统检测与维修", "模块二 整车故障诊断与排除"),
    (
        {"description": "高压断电与绝缘防护操作", "kind": "measurement", "max_mark": "10"},
        {
            "description": "电池模组单体电压差",
            "kind": "measurement",
            "max_mark": "15",
            "target": "0",
            "unit": "V",
            "bands": [{"tolerance": "0.10", "share": "1"}, {"tolerance": "0.30", "share": "0.5"}],
        },
        {
            "description": "电池管理系统故障分析思路",
            "kind": "judgement",
            "max_mark": "15",
            "descriptors": ["思路错误", "思路不完整", "思路清晰", "思路清晰且方法高效"],
        },
        {"description": "整车故障在规定时间内排除", "kind": "measurement", "max_mark": "20"},
        {
            "description": "维修作业规范与安全文明",
            "kind": "judgement",
            "max_mark": "40",
            "descriptors": ["不符合", "部分符合", "符合", "优秀"],
        },
    ),
)


class StageRun:
    """Sets up one judged stage: scheme (two modules: measurement + judgement aspects), judges."""

    def __init__(
        self,
        *,
        contest: Contest,
        stage: Stage,
        organiser: User,
        judges: list[ContestRole],
        code: str,
        scheme: tuple = ROBOT_SCHEME,
    ):
        self.contest, self.stage, self.organiser, self.code = contest, stage, organiser, code
        self.judges = judges
        (name1, name2), specs = scheme
        m1 = services.module_add(stage=stage, name=name1, by=organiser)
        m2 = services.module_add(stage=stage, name=name2, by=organiser)
        self.modules = [m1, m2]
        codes = ("A1", "A2", "A3", "B1", "B2")
        self.aspects = [
            services.aspect_add(module=m1 if key.startswith("A") else m2, code=f"{code}{key}", by=organiser, **spec)
            for key, spec in zip(codes, specs, strict=True)
        ]
        for role in judges:
            for module in self.modules:
                services.judge_assign(module=module, judge=role, by=organiser)

    def marks_for(self, rng: random.Random, skill: float) -> dict[str, object]:
        """Synthetic marks for one competitor of a given skill (0..1); judges agree within 1 point."""
        base = max(0, min(3, round(skill * 3 + rng.uniform(-0.6, 0.6))))
        scores = [max(0, min(3, base + d)) for d in rng.choice(([0, 0, 0], [0, 0, -1], [0, 1, 0], [1, 0, 0]))]
        if max(scores) - min(scores) > 1:
            scores = [base] * 3
        base2 = max(0, min(3, round(skill * 3 + rng.uniform(-0.6, 0.6))))
        scores2 = [max(0, min(3, base2 + d)) for d in rng.choice(([0, 0, 0], [0, -1, 0], [0, 0, 1]))]
        if max(scores2) - min(scores2) > 1:
            scores2 = [base2] * 3
        return {
            "A1": 10 if rng.random() < 0.55 + skill * 0.4 else 0,
            "A2": Decimal(str(round(abs(rng.gauss(0, 0.35 - skill * 0.25)), 2))),
            "A3": scores,
            "B1": 20 if rng.random() < 0.4 + skill * 0.5 else 0,
            "B2": scores2,
        }

    def enter(self, number: str, marks: dict[str, object], *, confirm: bool = True) -> None:
        j = [r.user for r in self.judges]
        a1, a2, a3, b1, b2 = self.aspects
        for aspect, key in ((a1, "A1"), (a2, "A2"), (b1, "B1")):
            m = services.mark_enter(aspect=aspect, number=number, value=marks[key], by=j[0])
            if confirm:
                services.mark_confirm(mark=m, by=j[1])
        for aspect, key in ((a3, "A3"), (b2, "B2")):
            for i, score in enumerate(marks[key]):
                m = services.mark_enter(aspect=aspect, number=number, value=score, by=j[i])
                if confirm:
                    services.mark_confirm(mark=m, by=j[(i + 1) % len(j)])


def _judges(contest: Contest, organiser: User, prefix: str, label: str, n: int) -> list[ContestRole]:
    roles = []
    for i in range(1, n + 1):
        user = _demo_user(f"{prefix}_judge{i}", f"{label}裁判{i}（演示）")
        roles.append(services.contest_role_grant(contest=contest, user=user, role=ContestRole.Kind.JUDGE, by=organiser))
    return roles


def _competitors(n: int, *, skip: set[int] = frozenset()) -> list[Worker]:
    """n demo union members spread over the demo units (round robin, stable order)."""
    by_unit: dict[int, list[Worker]] = {}
    for w in (
        Worker.objects.filter(is_demo=True, is_member=True, employer__isnull=False)
        .exclude(employer__name__contains=UNIT_EXCLUDE)
        .exclude(pk__in=skip)
        .exclude(user__isnull=False)
        .select_related("organisation", "employer")
        .order_by("organisation_id", "id")
    ):
        by_unit.setdefault(w.organisation_id, []).append(w)
    out: list[Worker] = []
    lists = list(by_unit.values())
    i = 0
    while len(out) < n and any(lists):
        lst = lists[i % len(lists)]
        if lst:
            out.append(lst.pop(0))
        i += 1
    return out


def _enter_and_draw(stage: Stage, workers: list[Worker], admin: User, organiser: User, seed: str) -> list[str]:
    for w in workers:
        services.registration_create(stage=stage, worker=w, by=admin)
    return _checkin_and_draw(stage, admin, organiser, seed)


def _checkin_and_draw(stage: Stage, admin: User, organiser: User, seed: str) -> list[str]:
    if stage.status == Stage.Status.PLANNED:  # a later stage, fed by qualification
        services.stage_set_status(stage=stage, status=Stage.Status.REGISTRATION, by=organiser)
    services.stage_set_status(stage=stage, status=Stage.Status.CHECKIN, by=organiser)
    for reg in Registration.objects.filter(stage=stage, status=Registration.Status.APPROVED).order_by("id"):
        services.checkin_record(registration=reg, by=admin)
    services.draw_order(stage=stage, by=organiser, seed=f"{seed}-round1")
    services.draw_numbers(stage=stage, by=organiser, seed=f"{seed}-round2")
    return sorted(stage.secret_numbers.values_list("number", flat=True))


# --- 2. the finished two-stage contest ---------------------------------------------------------


def _finish_stage(run: StageRun, *, chief: User, decryptor: User, organiser: User, rng: random.Random) -> None:
    stage = run.stage
    numbers = sorted(stage.secret_numbers.values_list("number", flat=True))
    for number in numbers:
        skill = rng.random()
        services.theory_score_set(
            stage=stage, number=number, score=round(55 + skill * 40 + rng.uniform(-5, 5)), by=chief
        )
        run.enter(number, run.marks_for(rng, skill))
    for module in run.modules:
        services.module_sign_off(module=module, by=chief)
    services.stage_reveal(stage=stage, by=decryptor)
    stage.refresh_from_db()
    recheck = services.recheck_start(stage=stage, by=chief, seed=f"demo-recheck-{stage.pk}")
    for item in recheck.items.all():
        services.recheck_item_record(item=item, error_found=False, by=chief)
    services.recheck_complete(recheck=recheck, by=chief)
    published_at = stage.ends_at + dt.timedelta(days=1)
    rs = services.result_set_publish(stage=stage, by=organiser, now=published_at)
    services.result_set_finalise(result_set=rs, by=organiser, now=rs.notice_until + dt.timedelta(minutes=1))


def robot_contest(contest: Contest, admin: User) -> None:
    if contest.stages.exists():
        return
    organiser = User.objects.get(username="zj_admin")
    rng = random.Random(20230915)
    trade = services.trade_get_or_create(name="工业机器人系统操作员", occupation_code="6-30-99-00", by=organiser)
    contest.trades.add(trade)
    contest = services.contest_update(
        contest=contest,
        by=organiser,
        status=Contest.Status.RUNNING,
        description=DEMO_NOTE,
        starts_on=dt.date(2023, 9, 12),
        ends_on=dt.date(2023, 11, 20),
        skill_level=3,
        region_prefixes=["31", "32", "33", "34"],
        recheck_top=5,
        is_demo=True,
    )
    Contest.objects.filter(pk=contest.pk).update(unknown_settings=[])
    contest.unknown_settings = []
    roles = _judges(contest, organiser, "robot", "工业机器人竞赛", 4)
    chief = _demo_user("robot_chief", "工业机器人竞赛裁判长（演示）")
    services.contest_role_grant(contest=contest, user=chief, role=ContestRole.Kind.CHIEF_JUDGE, by=organiser)
    decryptor = _demo_user("robot_decryptor", "工业机器人竞赛解密员（演示）")
    services.contest_role_grant(contest=contest, user=decryptor, role=ContestRole.Kind.DECRYPTOR, by=organiser)
    services.contest_role_grant(contest=contest, user=organiser, role=ContestRole.Kind.ORGANISER, by=admin)

    venue1 = services.venue_add(contest=contest, name="杭州职业技术学院实训中心（演示）", by=organiser)
    venue2 = services.venue_add(contest=contest, name="宁波智能制造技术实训基地（演示）", by=organiser)
    day1, day2 = dt.date(2023, 9, 15), dt.date(2023, 11, 8)
    s1 = services.stage_create(
        contest=contest,
        name="省市选拔赛",
        level=ContestLevel.PROVINCE,
        venue=venue1,
        starts_at=_at(day1, 8, 30),
        ends_at=_at(day1, 17, 30),
        by=organiser,
    )
    s2 = services.stage_create(
        contest=contest,
        name="长三角决赛",
        level=ContestLevel.REGION,
        venue=venue2,
        starts_at=_at(day2, 8, 30),
        ends_at=_at(day2, 17, 30),
        by=organiser,
    )
    services.stage_set_status(stage=s1, status=Stage.Status.REGISTRATION, by=organiser)
    s1.refresh_from_db()
    _enter_and_draw(s1, _competitors(24), admin, organiser, "demo-robot-s1")
    run1 = StageRun(contest=contest, stage=s1, organiser=organiser, judges=roles, code="S1")
    _finish_stage(run1, chief=chief, decryptor=decryptor, organiser=organiser, rng=rng)

    # The regional final: the best 8 of the selection, then prizes, a title and promotions.
    services.stage_qualify(stage=s1, next_stage=s2, rule={"mode": "overall", "top": 8}, by=organiser)
    services.prize_tier_add(contest=contest, kind="first", name="一等奖", rank_to=1, by=organiser)
    services.prize_tier_add(contest=contest, kind="second", name="二等奖", rank_to=3, by=organiser)
    services.prize_tier_add(contest=contest, kind="third", name="三等奖", rank_to=6, by=organiser)
    services.prize_tier_add(contest=contest, kind="excellence", name="优胜奖", share="1", by=organiser)
    services.title_rule_add(contest=contest, title="长三角技术能手", rank_to=3, by=organiser)
    services.promotion_rule_add(contest=contest, level=ContestLevel.REGION, rank_to=3, new_level=2, by=organiser)
    services.promotion_rule_add(
        contest=contest, level=ContestLevel.REGION, rank_from=4, rank_to=8, new_level=3, by=organiser
    )
    s2.refresh_from_db()
    _checkin_and_draw(s2, admin, organiser, "demo-robot-s2")
    run2 = StageRun(contest=contest, stage=s2, organiser=organiser, judges=roles, code="S2")
    _finish_stage(run2, chief=chief, decryptor=decryptor, organiser=organiser, rng=rng)
    services.contest_update(contest=contest, by=organiser, status=Contest.Status.FINISHED)


# --- 3. the contest in the middle of marking -------------------------------------------------


def nev_contest(contest: Contest, admin: User) -> None:
    if contest.stages.exists():
        return
    rng = random.Random(20231118)
    judge_login = User.objects.get(username="judge")
    trade = services.trade_get_or_create(name="汽车维修工", occupation_code="4-12-01-01", by=admin)
    contest.trades.add(trade)
    contest = services.contest_update(
        contest=contest,
        by=admin,
        status=Contest.Status.RUNNING,
        description=DEMO_NOTE,
        starts_on=dt.date(2023, 11, 16),
        ends_on=dt.date(2023, 11, 20),
        region_prefixes=["31", "32", "33", "34"],
        is_demo=True,
    )
    Contest.objects.filter(pk=contest.pk).update(unknown_settings=[])
    contest.unknown_settings = []
    roles = [services.contest_role_grant(contest=contest, user=judge_login, role=ContestRole.Kind.JUDGE, by=admin)]
    roles += _judges(contest, admin, "nev", "新能源汽车竞赛", 3)
    chief = _demo_user("nev_chief", "新能源汽车竞赛裁判长（演示）")
    services.contest_role_grant(contest=contest, user=chief, role=ContestRole.Kind.CHIEF_JUDGE, by=admin)
    venue = services.venue_add(contest=contest, name="合肥新能源汽车实训基地（演示）", by=admin)
    day = dt.date(2023, 11, 18)
    stage = services.stage_create(
        contest=contest,
        name="长三角决赛",
        level=ContestLevel.REGION,
        venue=venue,
        starts_at=_at(day, 8, 30),
        ends_at=_at(day, 17, 30),
        by=admin,
    )
    services.stage_set_status(stage=stage, status=Stage.Status.REGISTRATION, by=admin)
    stage.refresh_from_db()
    robot_workers = set(
        Registration.objects.filter(stage__contest__title=ROBOT_TITLE).values_list("worker_id", flat=True)
    )
    numbers = _enter_and_draw(stage, _competitors(16, skip=robot_workers), admin, admin, "demo-nev")
    run = StageRun(contest=contest, stage=stage, organiser=admin, judges=roles, code="N", scheme=NEV_SCHEME)
    j = [r.user for r in roles]  # j[0] is the demo `judge` login
    a1, a2, a3, _b1, b2 = run.aspects
    # Half the competitors fully marked and confirmed; module one of the next four entered by
    # the other judges and waiting for confirmation (the `judge` login can confirm them);
    # the rest not marked yet.
    for number in numbers[:8]:
        run.enter(number, run.marks_for(rng, rng.random()))
    for number in numbers[8:12]:
        m = services.mark_enter(aspect=a1, number=number, value=10, by=j[1])
        if number != numbers[11]:
            services.mark_confirm(mark=m, by=j[2])
        services.mark_enter(aspect=a2, number=number, value=Decimal("0.12"), by=j[1])
        for i, score in enumerate((2, 2, 3)):
            services.mark_enter(aspect=a3, number=number, value=score, by=j[i + 1])
    # One judgement flagged for discussion: scores 1 and 3 are more than one point apart.
    for i, score in enumerate((1, 3, 2)):
        services.mark_enter(aspect=b2, number=numbers[8], value=score, by=j[i + 1])
    services.theory_score_set(stage=stage, number=numbers[0], score=82, by=chief)


def organiser_role(contest: Contest, admin: User) -> None:
    """The demo `organiser` login (no organisation role, made by the accounts demo) organises
    the contest in the middle of marking: its registrations page shows them masked ID
    numbers and phones, since a contest role alone gives no personal data."""
    organiser = User.objects.filter(username="organiser").first()
    if organiser is None:
        return
    if not ContestRole.objects.filter(contest=contest, user=organiser, role=ContestRole.Kind.ORGANISER).exists():
        services.contest_role_grant(contest=contest, user=organiser, role=ContestRole.Kind.ORGANISER, by=admin)


def load(ctx: DemoContext) -> dict[str, int]:
    admin = User.objects.get(username="admin")
    records = contest_records(admin)
    demo_zone_series(admin)
    if ROBOT_TITLE in records:
        robot_contest(records[ROBOT_TITLE], admin)
    if NEV_TITLE in records:
        nev_contest(records[NEV_TITLE], admin)
        organiser_role(records[NEV_TITLE], admin)
    return {"contests": Contest.objects.count()}

"""The demo worker's own space (idempotent): two synthetic Hangzhou contests (marked 演示)
open for sign-up, the `worker` login signed up for both — one entry approved by the
Hangzhou officer, one waiting — and a finished one in which the worker came second (results
published, a 二等奖 certificate); a second quiz the worker sat and a walking campaign they
joined with points; so that 我的竞赛, 我的证书, 我的练习, 我的积分赛 and the inbox (unread
messages) have something to show.

Everything goes through the contest services, which write the messages (`core.notifications`)
when `load_demo`'s transaction commits. No fact here comes from a seed: the contests are
examples of the sign-up flow, named and marked as demo."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from deltaunion.core.registry import DemoContext

NOTE = "演示数据：为展示职工自主报名与工会审批而设的示例竞赛，不是真实赛事。"
CONTESTS = (
    # title, stage, days from today, approved by the union
    ("杭州市职工电工技能竞赛（演示）", "决赛", 21, True),
    ("杭州市职工焊工技能竞赛（演示）", "决赛", 42, False),
)


def _open_stage(title: str, stage_name: str, days: int, admin: Any) -> Any:
    from deltaunion.contests import services
    from deltaunion.contests.models import Contest, ContestLevel, Stage
    from deltaunion.orgs.models import Organisation

    contest = Contest.objects.filter(title=title).first()
    if contest is None:
        lead = Organisation.objects.get(name="杭州市总工会")
        day = timezone.localdate() + dt.timedelta(days=days)
        contest = services.contest_create(
            title=title,
            lead_org=lead,
            by=admin,
            level=ContestLevel.CITY,
            starts_on=day,
            ends_on=day,
            description=NOTE,
            is_demo=True,
        )
        contest = services.contest_update(contest=contest, by=admin, status=Contest.Status.OPEN)
        venue = services.venue_add(contest=contest, name="杭州市职工技能实训基地（演示）", by=admin)
        start = timezone.make_aware(dt.datetime.combine(day, dt.time(8, 30)))
        stage = services.stage_create(
            contest=contest,
            name=stage_name,
            by=admin,
            level=ContestLevel.CITY,
            venue=venue,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=8),
        )
        services.stage_set_status(stage=stage, status=Stage.Status.REGISTRATION, by=admin)
    return contest.stages.order_by("order").first()


def load(ctx: DemoContext) -> dict[str, int]:
    from deltaunion.accounts.models import User
    from deltaunion.contests import services
    from deltaunion.contests.models import Registration

    admin = User.objects.filter(username="admin").first()
    worker_login = User.objects.filter(username="worker", worker__isnull=False).first()
    officer = User.objects.filter(username="hz_officer").first()
    if admin is None or worker_login is None or officer is None:
        return {}
    made = 0
    for title, stage_name, days, approve in CONTESTS:
        stage = _open_stage(title, stage_name, days, admin)
        if stage is None or Registration.objects.filter(stage=stage, worker__user=worker_login).exists():
            continue
        stage.refresh_from_db()
        entry = services.registration_sign_up(stage=stage, by=worker_login)
        made += 1
        if approve:
            services.registration_decide(registration=entry, approve=True, by=officer)
    _finished_contest(admin, worker_login, officer)
    _second_quiz(admin, worker_login)
    _campaign(admin, worker_login)
    return {"sign_ups": made}


# --- the finished contest: the worker's result and certificate -------------------------------

FINISHED_TITLE = "杭州市职工数控车工技能竞赛（演示）"
FINISHED_NOTE = (
    "演示数据：本竞赛的选手、裁判、评分、名次与证书均为系统生成的演示数据，"
    "用于展示职工在“我的”中查看成绩与证书，不是真实比赛结果。"
)
FINISHED_DAYS_AGO = 35
# Per competitor in entry order (the demo worker second): theory score, outer diameter
# measured (target Φ40.00 mm), surface finish met, judges' scores of the craft.
FINISHED_MARKS = (
    (92, "40.01", True, (3, 3, 3)),
    (88, "40.02", True, (3, 2, 3)),  # the `worker` login
    (85, "40.04", True, (2, 2, 2)),
    (79, "40.03", False, (2, 2, 1)),
    (74, "40.08", True, (1, 2, 1)),
    (70, "40.12", False, (1, 1, 1)),
)


def _finished_contest(admin: Any, worker_login: Any, officer: Any) -> None:
    """A finished one-stage contest of Hangzhou (five weeks ago), run through the services:
    the demo worker signs up and the Hangzhou officer approves, five other demo workers are
    entered by the organisers, check-in and the draw, marks by the `judge` login and two
    synthetic judges, sign-off, reveal, re-check, publication, final results and prizes.
    The worker comes second: their results message and a 二等奖 certificate arrive in 我的."""
    from deltaunion.accounts.models import User
    from deltaunion.contests import services
    from deltaunion.contests.demo import _demo_user
    from deltaunion.contests.models import Contest, ContestLevel, ContestRole, Registration, Stage
    from deltaunion.orgs.models import Organisation
    from deltaunion.people.models import Worker

    if Contest.objects.filter(title=FINISHED_TITLE).exists():
        return
    judge_login = User.objects.filter(username="judge").first()
    if judge_login is None:
        return
    hz = Organisation.objects.get(name="杭州市总工会")
    me = Worker.objects.get(user=worker_login)
    others = list(
        Worker.objects.filter(
            is_demo=True,
            is_member=True,
            user__isnull=True,
            employer__isnull=False,
            organisation__path__startswith=hz.path,
        )
        .exclude(pk=me.pk)
        .order_by("id")[:5]
    )
    if len(others) < 5:
        return
    day = timezone.localdate() - dt.timedelta(days=FINISHED_DAYS_AGO)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(8, 30)))
    contest = services.contest_create(
        title=FINISHED_TITLE,
        lead_org=hz,
        by=admin,
        level=ContestLevel.CITY,
        starts_on=day,
        ends_on=day,
        description=FINISHED_NOTE,
        notice_days=7,
        recheck_top=3,
        is_demo=True,
        trades=[services.trade_get_or_create(name="车工", occupation_code="6-18-01-01", by=admin)],
    )
    contest = services.contest_update(contest=contest, by=admin, status=Contest.Status.OPEN)
    venue = services.venue_add(contest=contest, name="杭州技师学院数控实训中心（演示）", by=admin)
    stage = services.stage_create(
        contest=contest,
        name="决赛",
        by=admin,
        level=ContestLevel.CITY,
        venue=venue,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=8),
    )
    module = services.module_add(stage=stage, name="模块一 轴类零件车削加工", by=admin)
    diameter = services.aspect_add(
        module=module,
        code="C1",
        description="外圆尺寸 Φ40（mm）",
        kind="measurement",
        max_mark="30",
        target="40.00",
        bands=[{"tolerance": "0.02", "share": "1"}, {"tolerance": "0.05", "share": "0.5"}],
        by=admin,
    )
    finish = services.aspect_add(
        module=module, code="C2", description="表面粗糙度 Ra1.6 达标", kind="measurement", max_mark="20", by=admin
    )
    craft = services.aspect_add(
        module=module,
        code="C3",
        description="加工工艺与安全文明生产",
        kind="judgement",
        max_mark="50",
        descriptors=["不符合", "部分符合", "符合", "优秀"],
        by=admin,
    )
    judges = [judge_login] + [_demo_user(f"cnc_judge{i}", f"数控车工竞赛裁判{i}（演示）") for i in (1, 2)]
    for user in judges:
        role = services.contest_role_grant(contest=contest, user=user, role=ContestRole.Kind.JUDGE, by=admin)
        services.judge_assign(module=module, judge=role, by=admin)
    chief = _demo_user("cnc_chief", "数控车工竞赛裁判长（演示）")
    services.contest_role_grant(contest=contest, user=chief, role=ContestRole.Kind.CHIEF_JUDGE, by=admin)
    decryptor = _demo_user("cnc_decryptor", "数控车工竞赛解密员（演示）")
    services.contest_role_grant(contest=contest, user=decryptor, role=ContestRole.Kind.DECRYPTOR, by=admin)

    # Entries: the worker signs up and their union approves; the others are entered.
    services.stage_set_status(stage=stage, status=Stage.Status.REGISTRATION, by=admin)
    stage.refresh_from_db()
    mine = services.registration_sign_up(stage=stage, by=worker_login)
    services.registration_decide(registration=mine, approve=True, by=officer)
    entries = [services.registration_create(stage=stage, worker=w, by=admin) for w in others]
    entries.insert(1, Registration.objects.get(pk=mine.pk))
    services.stage_set_status(stage=stage, status=Stage.Status.CHECKIN, by=admin)
    for reg in entries:
        services.checkin_record(registration=reg, by=admin)
    services.draw_order(stage=stage, by=admin, seed="demo-cnc-round1")
    services.draw_numbers(stage=stage, by=admin, seed="demo-cnc-round2")
    services.contest_update(contest=contest, by=admin, status=Contest.Status.RUNNING)

    # Marks by secret number (the judges never see names): the `judge` login enters the
    # measurements, a synthetic judge confirms; three judges score the craft.
    j = judges
    for reg, (theory, measured, finished, scores) in zip(entries, FINISHED_MARKS, strict=True):
        number = Registration.objects.get(pk=reg.pk).sealed.secret_number.number
        services.theory_score_set(stage=stage, number=number, score=theory, by=chief)
        for aspect, value in ((diameter, Decimal(measured)), (finish, 20 if finished else 0)):
            mark = services.mark_enter(aspect=aspect, number=number, value=value, by=j[0])
            services.mark_confirm(mark=mark, by=j[1])
        for i, score in enumerate(scores):
            mark = services.mark_enter(aspect=craft, number=number, value=score, by=j[i])
            services.mark_confirm(mark=mark, by=j[(i + 1) % len(j)])
    services.module_sign_off(module=module, by=chief)
    services.stage_reveal(stage=stage, by=decryptor)
    stage.refresh_from_db()
    recheck = services.recheck_start(stage=stage, by=chief, seed="demo-cnc-recheck")
    for item in recheck.items.all():
        services.recheck_item_record(item=item, error_found=False, by=chief)
    services.recheck_complete(recheck=recheck, by=chief)
    services.prize_tier_add(contest=contest, kind="first", name="一等奖", rank_to=1, by=admin)
    services.prize_tier_add(contest=contest, kind="second", name="二等奖", rank_to=3, by=admin)
    services.prize_tier_add(contest=contest, kind="third", name="三等奖", rank_to=5, by=admin)
    result_set = services.result_set_publish(stage=stage, by=admin, now=stage.ends_at + dt.timedelta(days=1))
    result_set = services.result_set_finalise(
        result_set=result_set, by=admin, now=result_set.notice_until + dt.timedelta(minutes=1)
    )
    services.contest_update(contest=contest, by=admin, status=Contest.Status.FINISHED)
    _as_it_happened(contest, worker_login, start, result_set)


def _as_it_happened(contest: Any, worker_login: Any, start: dt.datetime, result_set: Any) -> None:
    """The services stamp the certificates and messages with the time of the load; date them
    as the contest happened (five weeks ago): the sign-up messages then read, the results and
    the certificate still unread. The messages are written when the load commits, so this
    runs after them (`on_commit` keeps the order)."""
    from deltaunion.contests.models import Certificate

    Certificate.objects.filter(award__contest=contest).update(issued_at=result_set.finalised_at)
    times = {
        "contests.registration_submitted": (start - dt.timedelta(days=20, hours=-1), True),
        "contests.registration_approved": (start - dt.timedelta(days=18, hours=-6), True),
        "contests.results_published": (result_set.published_at, False),
        "contests.certificate_issued": (result_set.finalised_at, False),
    }

    def redate() -> None:
        from deltaunion.core.models import Notification

        for kind, (when, read) in times.items():
            Notification.objects.filter(recipient=worker_login, kind=kind, title__contains=contest.title).update(
                created_at=when, read_at=when + dt.timedelta(hours=2) if read else None
            )

    transaction.on_commit(redate)


# --- a second quiz and a points campaign -------------------------------------------------------

QUIZ_TITLE = "杭州市职工技能练习周周练（演示）"
QUIZ_NOTE = "演示数据：为展示“我的练习”而设的示例答题，参与记录为系统生成。"
CAMPAIGN_TITLE = "杭州市职工健步走积分赛（演示）"
CAMPAIGN_NOTE = "演示数据：为展示“我的积分赛”而设的示例积分赛，参与者与积分均为系统生成。"
CAMPAIGN_RULES = [
    {"code": "walk", "name": "当日步行一万步", "points": 2, "per_day_cap": 2},
    {"code": "share", "name": "分享健康知识", "points": 5, "total_cap": 20},
    {"code": "checkup", "name": "完成年度体检", "points": 10, "once_only": True},
]


def _running_hangzhou_contest(
    title: str, description: str, format: str, starts: dt.date, ends: dt.date, admin: Any
) -> Any:
    """A running city contest of Hangzhou open to non-members: the frame of the demo quiz and campaign."""
    from deltaunion.contests import services
    from deltaunion.contests.models import Contest, ContestLevel
    from deltaunion.orgs.models import Organisation

    contest = services.contest_create(
        title=title,
        lead_org=Organisation.objects.get(name="杭州市总工会"),
        by=admin,
        format=format,
        level=ContestLevel.CITY,
        description=description,
        starts_on=starts,
        ends_on=ends,
        members_only=False,
        is_demo=True,
    )
    return services.contest_set_status(contest=contest, status=Contest.Status.RUNNING, by=admin)


def _second_quiz(admin: Any, worker_login: Any) -> None:
    """A weekly safety quiz of Hangzhou (open), which the demo worker sat three days ago."""
    from deltaunion.contests.models import ContestFormat
    from deltaunion.practice import services
    from deltaunion.practice.demo import _draw_rules, load_bank, sit_quiz
    from deltaunion.practice.models import Quiz, QuizAttempt

    now = timezone.now()
    quiz = Quiz.objects.filter(title=QUIZ_TITLE).first()
    if quiz is None:
        today = timezone.localdate(now)
        contest = _running_hangzhou_contest(
            QUIZ_TITLE,
            QUIZ_NOTE,
            ContestFormat.QUIZ,
            today - dt.timedelta(days=10),
            today + dt.timedelta(days=60),
            admin,
        )
        bank = load_bank(admin)
        quiz = services.quiz_create(
            contest=contest,
            bank=bank,
            title=QUIZ_TITLE,
            draw_rules=_draw_rules(bank),
            by=admin,
            points_per_question=5,
            time_limit_seconds=10 * 60,
            attempts_per_day=2,
            opens_at=now - dt.timedelta(days=10),
            closes_at=now + dt.timedelta(days=60),
            status=Quiz.Status.OPEN,
            is_demo=True,
        )
    if QuizAttempt.objects.filter(quiz=quiz, user=worker_login).exists():
        return
    day = timezone.localdate(now) - dt.timedelta(days=3)
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(12, 30)))
    sit_quiz(quiz, worker_login, at=at, seed=20231108, right_rate=0.7, seconds_per_question=17)
    _free_practice(quiz.bank, worker_login)


def _free_practice(bank: Any, worker_login: Any) -> None:
    """Free practice on the bank's single-choice questions: four wrong (into the wrong-answer
    book), two right."""
    from deltaunion.practice import questions
    from deltaunion.practice.models import PracticeAnswer, Question
    from deltaunion.practice.services import practice_answer

    if PracticeAnswer.objects.filter(user=worker_login).exists():
        return
    for n, question in enumerate(Question.objects.filter(bank=bank, kind="single").order_by("id")[:6]):
        key = questions.shown_key(question.kind, question.answer, list(range(len(question.options))))
        wrong = [next(i for i in range(len(question.options)) if i not in key)]
        practice_answer(question=question, by=worker_login, response=wrong if n < 4 else key)


def _campaign(admin: Any, worker_login: Any) -> None:
    """A walking campaign of Hangzhou (running): the demo worker and five other demo workers
    with logins joined it and logged their days; the worker's points and rank show in 我的."""
    import random

    from deltaunion.accounts.models import User
    from deltaunion.campaigns import services
    from deltaunion.campaigns.models import Campaign, CampaignMember, CampaignRule
    from deltaunion.contests.models import ContestFormat
    from deltaunion.orgs.models import Organisation

    today = timezone.localdate()
    campaign = Campaign.objects.filter(title=CAMPAIGN_TITLE).first()
    if campaign is None:
        starts, ends = today - dt.timedelta(days=20), today + dt.timedelta(days=40)
        contest = _running_hangzhou_contest(CAMPAIGN_TITLE, CAMPAIGN_NOTE, ContestFormat.POINTS, starts, ends, admin)
        campaign = services.campaign_create(
            contest=contest,
            title=CAMPAIGN_TITLE,
            starts_on=starts,
            ends_on=ends,
            rules=CAMPAIGN_RULES,
            by=admin,
            is_demo=True,
        )
    if CampaignMember.objects.filter(campaign=campaign, user=worker_login).exists():
        return
    rules = {r.code: r for r in CampaignRule.objects.filter(campaign=campaign)}
    hz_path = Organisation.objects.get(name="杭州市总工会").path
    others = list(
        User.objects.filter(is_demo=True, worker__isnull=False, worker__organisation__path__startswith=hz_path)
        .exclude(pk=worker_login.pk)
        .order_by("id")[:5]
    )
    rng = random.Random(20231120)
    for position, user in enumerate([worker_login, *others]):
        services.campaign_join(campaign=campaign, by=user)
        days = (today - campaign.starts_on).days
        share = 0.85 if position == 0 else rng.uniform(0.3, 0.95)
        for k in range(days + 1):
            day = campaign.starts_on + dt.timedelta(days=k)
            if rng.random() < share:
                services.action_log(
                    campaign=campaign,
                    by=user,
                    rule=rules["walk"],
                    source_key=f"demo-walk-{user.pk}-{day}",
                    occurred_on=day,
                )
        for k in range(rng.randint(1, 3)):
            services.action_log(
                campaign=campaign,
                by=user,
                rule=rules["share"],
                source_key=f"demo-share-{user.pk}-{k}",
                occurred_on=campaign.starts_on + dt.timedelta(days=3 + 5 * k),
            )
        if position == 0 or rng.random() < 0.5:
            services.action_log(
                campaign=campaign,
                by=user,
                rule=rules["checkup"],
                source_key=f"demo-checkup-{user.pk}",
                occurred_on=campaign.starts_on + dt.timedelta(days=6),
            )

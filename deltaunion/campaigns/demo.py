"""Points-campaign demo data (idempotent): the Wuyi weight-loss campaign of seeds/004
(武义县首届健康减重大赛, 2023-07-01 to 2023-08-29, 490 points, the seed's six rules as data)
with 220 synthetic members in teams and 60 days of point awards within every cap, and posts
about it (the organisers' news from the seed, members' results) through the community.

Real facts (the campaign's title, dates, organisers, rules, 220 participants) come from the
seeds; the members, teams, their logs, points and weights are synthetic and marked 演示.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils import timezone

from deltaunion.accounts.models import User
from deltaunion.campaigns import presets, services
from deltaunion.campaigns.models import Campaign, CampaignMember, CampaignRule, CampaignTeam, PointAward
from deltaunion.community.demo import publish
from deltaunion.community.models import Post
from deltaunion.contests import services as contest_services
from deltaunion.contests.models import Contest, ContestFormat, ContestLevel
from deltaunion.core.registry import DemoContext
from deltaunion.orgs.models import Organisation, Region
from deltaunion.orgs.services import organisation_create
from deltaunion.people.models import Ownership
from deltaunion.practice.demo import (
    BATCH,
    at,
    demo_employer,
    grassroots_union,
    insert_rows,
    rebuild_boards_later,
    synthetic_people,
)

WUYI_TITLE = "武义县首届健康减重大赛"
WUYI_UNION = "武义县总工会"
WUYI_START, WUYI_END = dt.date(2023, 7, 1), dt.date(2023, 8, 29)
WUYI_MAX_POINTS = presets.WUYI_MAX_POINTS
WUYI_MEMBERS = 220
# The seed says the participants formed self-managed groups with one captain each, but not
# how many: 22 teams of 10 is synthetic.
WUYI_TEAMS = 22
WUYI_CITY_CODE, WUYI_PROVINCE_CODE, WUYI_REGION = "330700", "330000", "330723"
WUYI_RULES = presets.WUYI_RULES
WUYI_DESCRIPTION = (
    "武义县首届健康减重大赛由武义县卫生健康局、武义县总工会主办，武义县疾病预防控制中心承办，"
    "以“健康体重、健康人生”为主题，时间为7月1日—8月29日，为期两个月，共计220名选手参与。"
    "招募对象是18—60岁人群中超重、肥胖、中心性肥胖等重点人群。参赛对象成立自我管理小组，每支队伍设队长1名，"
    "大赛采用积分制评定，总积分490分。奖项设“最佳减重奖、优秀队员奖、持之以恒奖”各20名，"
    "“优秀团队奖、优秀组织奖、优秀传播奖”各3个。（来源:seeds/004）\n"
    "演示数据：本系统中的参赛队员、队伍划分、打卡记录、积分和体重均为系统生成的演示数据，不是真实比赛记录；"
    "队伍数量原文未载明。"
)
WUYI_USERNAME = "demo_wy_{:03d}"
# Offline fitness sessions: the seed does not give their dates; Saturdays are synthetic.
WUYI_ACTIVITY_DAYS = [dt.date(2023, 7, 8) + dt.timedelta(weeks=i) for i in range(8)]
WUYI_UNITS = [
    ("演示·武义县五金工具有限公司工会", "演示·武义县五金工具有限公司", Ownership.PRIVATE),
    ("演示·武义县城市建设投资集团工会", "演示·武义县城市建设投资集团", Ownership.STATE),
    ("演示·武义县社区卫生服务中心工会", "演示·武义县社区卫生服务中心", Ownership.PUBLIC_SECTOR),
    ("演示·武义县电动工具有限公司工会", "演示·武义县电动工具有限公司", Ownership.FOREIGN),
    ("演示·武义县温泉旅游服务有限公司工会", "演示·武义县温泉旅游服务有限公司", Ownership.PRIVATE),
]


def _week(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


class _Caps:
    """The caps of services.action_log, applied in memory to one member's actions in date order."""

    def __init__(self, max_points: int | None):
        self.max_points = max_points
        self.points = 0
        self.total: dict[int, int] = defaultdict(int)
        self.day: dict[tuple[int, dt.date], int] = defaultdict(int)
        self.week: dict[tuple[int, dt.date], int] = defaultdict(int)
        self.once: set[int] = set()

    def award(self, rule: CampaignRule, day: dt.date) -> int | None:
        """Points for one action, or None where action_log refuses it (a second once-only)."""
        if rule.once_only and rule.pk in self.once:
            return None
        caps = [rule.points]
        if rule.total_cap is not None:
            caps.append(rule.total_cap - self.total[rule.pk])
        if rule.per_day_cap is not None:
            caps.append(rule.per_day_cap - self.day[(rule.pk, day)])
        if rule.per_week_cap is not None:
            caps.append(rule.per_week_cap - self.week[(rule.pk, _week(day))])
        if self.max_points is not None:
            caps.append(self.max_points - self.points)
        points = max(0, min(caps))
        self.once.add(rule.pk)
        self.total[rule.pk] += points
        self.day[(rule.pk, day)] += points
        self.week[(rule.pk, _week(day))] += points
        self.points += points
        return points


def _wuyi_contest(union: Organisation, admin: User) -> Contest:
    contest = Contest.objects.filter(title=WUYI_TITLE, lead_org=union).first()
    if contest is None:
        contest = contest_services.contest_create(
            title=WUYI_TITLE,
            lead_org=union,
            by=admin,
            format=ContestFormat.POINTS,
            level=ContestLevel.DISTRICT,
            description=WUYI_DESCRIPTION,
            starts_on=WUYI_START,
            ends_on=WUYI_END,
            min_age=18,
            max_age=60,
            members_only=False,  # the seed recruits by health criteria, not union membership
            is_demo=True,
            source="seeds/004",
        )
        contest = contest_services.contest_set_status(contest=contest, status=Contest.Status.FINISHED, by=admin)
    return contest


def _wuyi_union() -> Organisation:
    """武义县总工会 (orgs.demo loads it from GB/T 2260); created under 金华市总工会 if missing."""
    union = Organisation.objects.filter(name=WUYI_UNION, region_id=WUYI_REGION).first()
    if union is None:
        city = Organisation.objects.get(name="金华市总工会", kind=Organisation.Kind.CITY)
        region, _ = Region.objects.get_or_create(
            code=WUYI_REGION, defaults={"name": "武义县", "level": Region.Level.COUNTY, "parent_id": WUYI_CITY_CODE}
        )
        union = organisation_create(
            name=WUYI_UNION, kind=Organisation.Kind.DISTRICT, parent=city, region=region, by=None, source="seeds/004"
        )
    return union


def load_wuyi(admin: User) -> Campaign:
    union = _wuyi_union()
    contest = _wuyi_contest(union, admin)
    campaign = Campaign.objects.filter(contest=contest, title=WUYI_TITLE).first()
    if campaign is not None:
        return campaign
    teams = [f"减重小组{i:02d}（演示）" for i in range(1, WUYI_TEAMS + 1)]
    campaign = services.campaign_create(
        contest=contest,
        title=WUYI_TITLE,
        starts_on=WUYI_START,
        ends_on=WUYI_END,
        rules=WUYI_RULES,
        by=admin,
        teams=teams,
        max_points=WUYI_MAX_POINTS,
        open_to_join=False,
        is_demo=True,
    )
    rng = random.Random(20230701)
    units = []
    for union_name, employer_name, ownership in WUYI_UNITS:
        unit_union = grassroots_union(union, union_name)
        units.append((unit_union, demo_employer(unit_union, employer_name, ownership, WUYI_REGION)))
    # 18–60 years old on 2023-07-01 (the seed's recruitment ages)
    people = synthetic_people(
        rng=rng,
        slots=[(*units[rng.randrange(len(units))], "", True) for _ in range(WUYI_MEMBERS)],
        region_code=WUYI_REGION,
        username=WUYI_USERNAME,
        birth_from=dt.date(1963, 7, 2),
        birth_days=(dt.date(2005, 7, 1) - dt.date(1963, 7, 2)).days,
        joined=at(WUYI_START - dt.timedelta(days=3), 9),
        members_share=0.9,
    )
    team_rows = list(CampaignTeam.objects.filter(campaign=campaign).order_by("name"))
    rng.shuffle(people)
    members = []
    for position, person in enumerate(people):
        team = team_rows[position % len(team_rows)]
        members.append(
            CampaignMember(
                campaign=campaign,
                user_id=person.user_id,
                team=team,
                team_key=str(team.pk),
                unit=person.employer,
                organisation=person.union,
                city_code=WUYI_CITY_CODE,
                province_code=WUYI_PROVINCE_CODE,
            )
        )
    CampaignMember.objects.bulk_create(members, batch_size=BATCH)
    ids = dict(CampaignMember.objects.filter(campaign=campaign).values_list("user_id", "pk"))
    for member in members:
        member.pk = ids[member.user_id]
    for team in team_rows:  # the first member placed in each team is its captain
        team.captain_id = next(m.user_id for m in members if m.team_id == team.pk)
    CampaignTeam.objects.bulk_update(team_rows, ["captain"])

    rules = {r.code: r for r in CampaignRule.objects.filter(campaign=campaign)}
    awards: list[dict[str, Any]] = []
    for member in members:
        awards.extend(_member_history(campaign, member, rules, rng))
    insert_rows(PointAward, awards)
    totals: dict[int, int] = defaultdict(int)
    for award in awards:
        totals[award["member_id"]] += award["points"]
    for member in members:
        member.points = totals[member.pk]
        member.on_board = member.points > 0
    CampaignMember.objects.bulk_update(members, ["points", "on_board"], batch_size=BATCH)
    CampaignMember.objects.filter(campaign=campaign).update(joined_at=at(WUYI_START, 8))
    return campaign


def _member_history(
    campaign: Campaign, member: CampaignMember, rules: dict[str, CampaignRule], rng: random.Random
) -> list[dict[str, Any]]:
    """Sixty days of one member's logged actions (PointAward rows), every award within the caps."""
    caps = _Caps(campaign.max_points)
    out: list[dict[str, Any]] = []

    def log(code: str, day: dt.date, value: Decimal | None = None) -> None:
        rule = rules[code]
        points = caps.award(rule, day)
        if points is None:
            return
        out.append(
            {
                "member_id": member.pk,
                "campaign_id": campaign.pk,
                "rule_id": rule.pk,
                "source_key": f"demo:{member.user_id}:{code}:{day:%m%d}:{len(out) + 1}",
                "occurred_on": day,
                "value": value,
                "points": points,
                "requested": rule.points,
                "created_at": at(day, 20, rng.randrange(60)),
            }
        )

    height = rng.uniform(1.55, 1.82)
    start_weight = height * height * rng.uniform(24.5, 32.0)  # overweight to obese (BMI ≥ 24)
    keen = min(0.98, max(0.35, rng.gauss(0.75, 0.15)))  # how faithfully they log
    loss = max(0.0, min(8.0, rng.gauss(1.0 + 5.0 * keen, 1.3)))  # kg over the 60 days
    quits = rng.random() < 0.06  # stops logging half-way and misses the post-test
    days = (campaign.ends_on - campaign.starts_on).days + 1
    last_day = campaign.starts_on + dt.timedelta(days=days // 2 if quits else days - 1)

    def weight(day: dt.date) -> Decimal:
        progress = (day - campaign.starts_on).days / (days - 1)
        noise = rng.uniform(-0.4, 0.4) if 0 < progress < 1 else 0
        kg = min(start_weight, max(start_weight - 8, start_weight - loss * progress + noise))
        return Decimal(f"{kg:.1f}")

    pre_day = campaign.starts_on + dt.timedelta(days=0 if rng.random() < 0.9 else rng.randrange(1, 3))
    log("pre-test", pre_day, weight(campaign.starts_on))
    first_week = _week(campaign.starts_on)
    day = campaign.starts_on
    while day <= last_day:
        if rng.random() < keen:
            log("exercise", day)
        for _meal in range(3):
            if rng.random() < keen + 0.05:
                log("meal", day)
        if rng.random() < 0.01:  # an extra upload: over the day's cap, no points
            log("meal", day)
        if day in WUYI_ACTIVITY_DAYS and rng.random() < keen - 0.1:
            log("activity", day)
        # Weekly weigh-ins on Sundays (and on the last day), from the second week on.
        if _week(day) > first_week and (day.weekday() == 6 or day == campaign.ends_on) and rng.random() < keen + 0.1:
            log("weigh-in", day, weight(day))
            if rng.random() < 0.04:  # weighed again the same week: no more points
                log("weigh-in", day, weight(day))
        day += dt.timedelta(days=1)
    if not quits:
        log("post-test", campaign.ends_on, weight(campaign.ends_on))
    return out


# --- posts -----------------------------------------------------------------------------------------


def _news() -> list[dict[str, Any]]:
    """The organisers' news, from the seed."""
    return [
        {
            "author": "zj_admin",
            "org": WUYI_UNION,
            "contest": WUYI_TITLE,
            "title": "组团减肥啦！武义县举行首届健康减重大赛",
            "body": "7月1日，武义县首届健康减重大赛拉开帷幕，共计220名选手参与。大赛由武义县卫生健康局、武义县总工会主办，"
            "武义县疾病预防控制中心承办，以“健康体重、健康人生”为主题，时间是7月1日—8月29日，为期两个月。"
            "招募对象是18—60岁人群中超重、肥胖、中心性肥胖等重点人群。",
            "on": dt.date(2023, 7, 1),
        },
        {
            "author": "zj_admin",
            "org": WUYI_UNION,
            "contest": WUYI_TITLE,
            "title": "健康减重大赛积分规则：总积分490分",
            "body": "赛前体质测可获得20分。达到运动目标，每天可获得3分，总计180分；在“万步健康APP”中上传早、中、晚三餐膳食记录，"
            "每餐记录完成上传得1分，总计180分；参与线下健身小组活动，参加1次得10分，总计50分；每周测量体重、腰围并记录，"
            "每次完成得5分，总计40分。开展赛后体测可获得20分。参赛对象成立自我管理小组，每支队伍设队长1名。",
            "on": dt.date(2023, 7, 2),
        },
        {
            "author": "zj_admin",
            "org": WUYI_UNION,
            "contest": WUYI_TITLE,
            "title": "健康减重大赛奖项设置",
            "body": "主办方将根据积分完成情况及减重效果体测数据进行评分。奖项设“最佳减重奖、优秀队员奖、持之以恒奖”各20名，"
            "“优秀团队奖、优秀组织奖、优秀传播奖”各3个。",
            "on": dt.date(2023, 7, 3),
        },
    ]


def load_posts(campaign: Campaign) -> None:
    news = _news()
    union = campaign.contest.lead_org
    author = User.objects.get(username=news[0]["author"])
    for item in news:
        publish(
            author=author,
            organisation=union,
            kind=Post.Kind.NEWS,
            title=item["title"],
            body=item["body"],
            subject=campaign.contest,
            when=timezone.make_aware(dt.datetime.combine(item["on"], dt.time(11, 0))),
        )
    weights = defaultdict(list)
    measured = PointAward.objects.filter(campaign=campaign, value__isnull=False).order_by("occurred_on", "id")
    for member_id, value in measured.values_list("member_id", "value"):
        weights[member_id].append(value)
    members = list(
        CampaignMember.objects.filter(campaign=campaign)
        .select_related("organisation", "user")
        .order_by("-points", "user_id")
    )
    end = campaign.ends_on
    for m in [m for m in members if len(weights[m.pk]) >= 2][:: max(1, len(members) // 6)][:6]:
        publish(
            author=m.user,
            organisation=m.organisation,
            kind=Post.Kind.RESULT,
            title=f"减重大赛{end.month}月{end.day}日赛后体测打卡",
            body=f"参加{WUYI_TITLE}，赛前体重{weights[m.pk][0]:.1f}公斤，最后一次测量{weights[m.pk][-1]:.1f}公斤，"
            f"积分{m.points}分。",
            subject=campaign.contest,
            when=timezone.make_aware(dt.datetime.combine(end, dt.time(19, 0))),
        )


def load(ctx: DemoContext) -> dict[str, int]:
    admin = User.objects.get(username="admin")
    campaign = load_wuyi(admin)
    load_posts(campaign)
    rebuild_boards_later("campaign", campaign.pk)
    return {"campaign_members": campaign.members.count()}

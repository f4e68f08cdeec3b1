"""Online-practice demo data (idempotent: `manage.py load_demo` twice adds nothing).

1. A question bank, 2023年长三角职工技能竞赛练习题库(演示): every question of
   `demo_questions` (written for the demo, labelled as such; topics from the 2023 contests
   the seeds name, and general knowledge).
2. A city-wide quiz, 杭州市职工安全生产知识网上答题(演示), led by 杭州市总工会: open now,
   20 questions a paper, 10 points each, 15 minutes, 3 attempts a day, with 10,000 synthetic
   participants (the demo `worker` login is one of them, with one finished attempt) in
   synthetic employers of every ownership type, 1–3 finished attempts each.
3. The Wuyi weight-loss campaign of seeds/004 (武义县首届健康减重大赛, 2023-07-01 to
   2023-08-29, 490 points, the seed's six rules as data) with 220 synthetic members in teams
   and 60 days of point awards within every cap.
4. About thirty posts on the 2023 contests (facts from the seeds only), with likes, comments
   and one open abuse report, so the feed and the moderation queue are not empty.

The big tables (users, workers, attempts, participants, awards, likes) are written with plain
INSERTs (executemany; COPY on PostgreSQL), and the synthetic attempts share a pool of 2,000
papers, each stored with the seed that draws it, so the whole load stays fast.

Everything synthetic is marked: users, workers, employers and grassroots unions carry is_demo
(names start with 演示), and the bank, quiz, campaign and posts carry is_demo and say so. Real facts (the Wuyi campaign's title, dates,
organisers, rules, 220 participants, the 2023 contests) come from the seeds.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import secrets
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from deltaunion.accounts.models import User
from deltaunion.contests import services as contest_services
from deltaunion.contests.models import Contest, ContestFormat, ContestLevel
from deltaunion.core.idnumber import make_id_number
from deltaunion.core.registry import DemoContext
from deltaunion.orgs.models import Organisation, Region
from deltaunion.orgs.services import organisation_create
from deltaunion.people.demo import GIVEN, SURNAMES
from deltaunion.people.models import Employer, Ownership, Worker
from deltaunion.practice import demo_questions, leaderboards, presets, questions, services
from deltaunion.practice.models import (
    AbuseReport,
    Campaign,
    CampaignMember,
    CampaignRule,
    CampaignTeam,
    Comment,
    PointAward,
    Post,
    PostLike,
    Question,
    QuestionBank,
    Quiz,
    QuizAnswer,
    QuizAttempt,
    QuizParticipant,
)

BATCH = 2000
PAPER_POOL = 2000

# --- 1. the bank ---------------------------------------------------------------------------------

BANK_NAME = "2023年长三角职工技能竞赛练习题库(演示)"
BANK_OWNER = "上海市总工会"
BANK_DESCRIPTION = (
    "演示数据:本题库的题目是为演示系统而编写的练习题,不是官方试题,也不代表任何真实竞赛的考题。"
    "主题取自2023年推进长三角高质量一体化发展工会工作方案所列的劳动和技能竞赛(seeds/004),"
    "以及工会知识、劳动法律、安全生产等职工通用知识。"
)

# --- 2. the city-wide quiz -----------------------------------------------------------------------

QUIZ_TITLE = "杭州市职工安全生产知识网上答题(演示)"
QUIZ_CITY_UNION = "杭州市总工会"
QUIZ_CITY_CODE, QUIZ_PROVINCE_CODE = "330100", "330000"
QUIZ_DESCRIPTION = (
    "演示数据:本网上答题活动是为演示系统而设置的,活动本身、参与职工、所在单位和答题成绩均为系统生成的演示数据,"
    "不是真实活动。每套试卷按主题和难度从“2023年长三角职工技能竞赛练习题库(演示)”随机抽取20题,每题10分,"
    "限时15分钟,每人每天可答3次,取最好成绩,同分者用时少者排名在前。"
)
QUIZ_PARTICIPANTS = 10_000  # including the demo `worker` login
QUIZ_DAYS_OPEN = 14  # opened two weeks before the data were loaded
QUIZ_DAYS_LEFT = 180
# (topic code of demo_questions, difficulty or None, count): 20 questions
QUIZ_DRAW = [
    ("safety", 1, 4),
    ("safety", 2, 4),
    ("safety", 3, 2),
    ("fire", 1, 3),
    ("fire", 2, 2),
    ("fire", 3, 1),
    ("labour", 2, 2),
    ("union", None, 2),
]
QUIZ_USERNAME = "demo_hz_{:05d}"
# (grassroots union, employer, ownership, workers, share of them who take part); all synthetic
HZ_UNITS = [
    ("演示·杭州之江精密机械有限公司工会", "演示·杭州之江精密机械有限公司", Ownership.PRIVATE, 2200, 0.93),
    ("演示·杭州城东燃气有限公司工会", "演示·杭州城东燃气有限公司", Ownership.STATE, 1800, 0.97),
    ("演示·杭州湾精细化工有限公司工会", "演示·杭州湾精细化工有限公司", Ownership.FOREIGN, 1500, 0.88),
    ("演示·杭州市政设施养护中心工会", "演示·杭州市政设施养护中心", Ownership.PUBLIC_SECTOR, 1300, 0.95),
    ("演示·杭州云栖电子科技有限公司工会", "演示·杭州云栖电子科技有限公司", Ownership.PRIVATE, 1100, 0.72),
    ("演示·杭州运河建设集团工会", "演示·杭州运河建设集团", Ownership.STATE, 900, 0.99),
    ("演示·杭州滨江医疗器械有限公司工会", "演示·杭州滨江医疗器械有限公司", Ownership.FOREIGN, 800, 0.81),
    ("演示·杭州西溪物流有限公司工会", "演示·杭州西溪物流有限公司", Ownership.PRIVATE, 700, 0.64),
    ("演示·杭州拱宸纺织有限公司工会", "演示·杭州拱宸纺织有限公司", Ownership.PRIVATE, 500, 0.58),
    ("演示·杭州临平公共交通有限公司工会", "演示·杭州临平公共交通有限公司", Ownership.STATE, 400, 0.90),
]
HZ_TRADES = ["电工", "焊工", "钳工", "数控车工", "化工总控工", "燃气供应服务员", "仓储管理员", "叉车司机", "纺织工"]

# --- 3. the Wuyi campaign (seeds/004) ------------------------------------------------------------

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
    "武义县首届健康减重大赛由武义县卫生健康局、武义县总工会主办,武义县疾病预防控制中心承办,"
    "以“健康体重、健康人生”为主题,时间为7月1日—8月29日,为期两个月,共计220名选手参与。"
    "招募对象是18—60岁人群中超重、肥胖、中心性肥胖等重点人群。参赛对象成立自我管理小组,每支队伍设队长1名,"
    "大赛采用积分制评定,总积分490分。奖项设“最佳减重奖、优秀队员奖、持之以恒奖”各20名,"
    "“优秀团队奖、优秀组织奖、优秀传播奖”各3个。(来源:seeds/004)\n"
    "演示数据:本系统中的参赛队员、队伍划分、打卡记录、积分和体重均为系统生成的演示数据,不是真实比赛记录;"
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

# ID numbers: sequence numbers 950–989 (people.demo uses 100–824), birth dates spread so that
# every (division, birth date, sequence) is different.
ID_SEQ_BASE, ID_SEQ_SPAN = 950, 40
DEMO_SOURCE = "演示数据"
POST_NOTE = "\n\n(本帖为演示数据。)"


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


def _grassroots(parent: Organisation, name: str) -> Organisation:
    return Organisation.objects.filter(parent=parent, name=name).first() or organisation_create(
        name=name,
        kind=Organisation.Kind.GRASSROOTS,
        parent=parent,
        region=parent.region,
        by=None,
        is_demo=True,
        source=DEMO_SOURCE,
    )


def _employer(union: Organisation, name: str, ownership: str, region_code: str) -> Employer:
    employer, _ = Employer.objects.get_or_create(
        organisation=union, name=name, defaults={"ownership": ownership, "region_id": region_code, "is_demo": True}
    )
    return employer


@dataclass(frozen=True)
class _Person:
    user_id: int
    union: Organisation
    employer: Employer


def _insert(model: type, rows: list[dict[str, Any]], *, raw: frozenset[str] = frozenset(), chunk: int = 5000) -> None:
    """Plain INSERTs (executemany) for the big synthetic tables: bulk_create spends most of
    its time building model instances and preparing values one by one. Every row has the
    same keys (attnames; those in `raw` hold values already in database form); other
    columns get the field's default, auto_now columns "now"."""
    if not rows:
        return
    now = timezone.now()
    given = list(rows[0])
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    by_attname = {f.attname: f for f in fields}
    prepared = {"JSONField", "DateTimeField", "DateField", "DecimalField"}
    convert = [
        by_attname[name].get_db_prep_save
        if by_attname[name].get_internal_type() in prepared and name not in raw
        else None
        for name in given
    ]
    fixed: list[tuple[str, Any]] = []
    for f in fields:
        if f.attname in given:
            continue
        auto = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        value = now if auto else f.get_default()  # "" for text, None for a nullable column
        fixed.append((f.column, f.get_db_prep_save(value, connection)))
    qn = connection.ops.quote_name
    columns = [by_attname[name].column for name in given] + [c for c, _v in fixed]
    tail = tuple(v for _c, v in fixed)
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )

    def values(row: dict[str, Any]) -> tuple:
        return (
            tuple(
                row[name] if conv is None else conv(row[name], connection)
                for name, conv in zip(given, convert, strict=True)
            )
            + tail
        )

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: the fastest way in (psycopg 3)
            copy_sql = f"COPY {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(values(row))
            return
        for i in range(0, len(rows), chunk):
            cursor.executemany(sql, [values(row) for row in rows[i : i + chunk]])


def _people(
    *,
    rng: random.Random,
    slots: list[tuple[Organisation, Employer, str, bool]],
    region_code: str,
    username: str,
    birth_from: dt.date,
    birth_days: int,
    joined: dt.datetime,
    members_share: float = 0.95,
) -> list[_Person]:
    """A synthetic worker per slot (union, employer, trade, has an account), with a demo
    user (no usable password) where the slot says so; returns the people with accounts, in
    slot order. Birth dates step by a number prime to `birth_days`, so no two people share
    a birth date and sequence number (nor an ID number)."""
    if len(slots) > birth_days:
        raise ValueError("too many synthetic people for unique ID numbers")
    step = 7919 if birth_days % 7919 else 7907
    users, workers, people = [], [], []
    for i, (union, employer, trade, has_account) in enumerate(slots):
        birth = birth_from + dt.timedelta(days=(i * step) % birth_days)
        seq = ID_SEQ_BASE + i % ID_SEQ_SPAN
        name = _name(rng)
        login = username.format(len(users) + 1) if has_account else None
        if login:
            users.append(
                {
                    "username": login,
                    "full_name": name,
                    "is_demo": True,
                    "password": UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(20),
                    "date_joined": joined,
                }
            )
        workers.append(
            {
                "name": name,
                "id_number": make_id_number(region_code, birth, seq),
                "birth_date": birth,
                "sex": "M" if seq % 2 else "F",
                "employer_id": employer.pk,
                "organisation_id": union.pk,
                "is_member": has_account or rng.random() < members_share,  # participants are members
                "trade": trade,
                "is_demo": True,
                "user_id": login,  # the username for now; the id below
            }
        )
    _insert(User, users)
    ids = dict(User.objects.filter(username__in=[u["username"] for u in users]).values_list("username", "pk"))
    for worker, (union, employer, _trade, has_account) in zip(workers, slots, strict=True):
        if has_account:
            login = worker["user_id"]
            worker["user_id"] = ids[login]
            people.append(_Person(ids[login], union, employer))
    _insert(Worker, workers)
    return people


def _topics() -> dict[str, str]:
    return {code: name for code, name, _trade, _occ in demo_questions.TOPICS}


# --- 1 ---------------------------------------------------------------------------------------------


def load_bank(admin: User) -> QuestionBank:
    owner = Organisation.objects.get(name=BANK_OWNER, kind=Organisation.Kind.PROVINCIAL)
    bank = QuestionBank.objects.filter(owner=owner, name=BANK_NAME).first() or services.bank_create(
        owner=owner, name=BANK_NAME, by=admin, description=BANK_DESCRIPTION, is_demo=True
    )
    topics = _topics()
    seen = set(Question.objects.filter(bank=bank).values_list("fingerprint", flat=True))
    new = []
    for item in demo_questions.QUESTIONS:
        options, answer = questions.clean_question(
            kind=item["kind"], stem=item["stem"], options=item.get("options") or [], answer=item["answer"]
        )
        fp = questions.fingerprint(item["stem"], options)
        if fp in seen:
            continue
        seen.add(fp)
        new.append(
            Question(
                bank=bank,
                topic=topics[item["topic"]],
                kind=item["kind"],
                difficulty=item["difficulty"],
                stem=item["stem"].strip(),
                options=options,
                answer=answer,
                explanation=item.get("explanation", ""),
                fingerprint=fp,
                is_demo=True,
            )
        )
    Question.objects.bulk_create(new, batch_size=BATCH)
    return bank


# --- 2 ---------------------------------------------------------------------------------------------


def _draw_rules(bank: QuestionBank) -> list[dict[str, Any]]:
    """QUIZ_DRAW in the bank's topic names; a rule the bank cannot fill gives its shortfall to
    a last rule drawing from any topic (so a smaller bank still makes a 20-question paper)."""
    topics = _topics()
    have = defaultdict(int)
    for topic, difficulty in Question.objects.filter(bank=bank).values_list("topic", "difficulty"):
        have[(topic, difficulty)] += 1
        have[(topic, None)] += 1
    rules, short = [], 0
    for code, difficulty, count in QUIZ_DRAW:
        topic = topics[code]
        n = min(count, have[(topic, difficulty)])
        short += count - n
        if n:
            rules.append({"topic": topic, "difficulty": difficulty, "count": n})
    if short:
        rules.append({"topic": "", "difficulty": None, "count": short})
    return rules


@dataclass(frozen=True)
class _Paper:
    seed: str
    paper: list[dict[str, Any]]
    key: dict[str, Any]
    paper_db: str  # the two as JSON text, encoded once
    key_db: str


class _Papers:
    """The papers `quiz_start` would draw for given seeds (same algorithm as
    questions.draw_paper, with each rule's candidates sorted once) and their answer keys."""

    def __init__(self, quiz: Quiz):
        self.rules = quiz.draw_rules
        self.questions = {
            q.id: q
            for q in Question.objects.filter(bank=quiz.bank).only(
                "id", "topic", "difficulty", "kind", "options", "answer"
            )
        }
        self.candidates = []
        for rule in self.rules:
            topic, difficulty = rule.get("topic") or "", rule.get("difficulty")
            self.candidates.append(
                sorted(
                    q.id
                    for q in self.questions.values()
                    if (not topic or q.topic == topic)
                    and (difficulty in (None, "", 0) or q.difficulty == int(difficulty))
                )
            )
        self.plain_keys = {
            q.id: questions.shown_key(q.kind, q.answer, [])
            for q in self.questions.values()
            if q.kind not in questions.CHOICE_KINDS
        }

    def draw_stored(self, seed: str) -> _Paper:
        """A paper with its JSON text, which both SQLite and PostgreSQL (COPY) take as it is."""
        paper, key = self.draw(seed)
        return _Paper(seed, paper, key, json.dumps(paper), json.dumps(key))

    def draw(self, seed: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        rng = random.Random(seed)
        chosen: list[int] = []
        taken: set[int] = set()
        for rule, ids in zip(self.rules, self.candidates, strict=True):
            picked = rng.sample([i for i in ids if i not in taken], int(rule["count"]))
            chosen.extend(picked)
            taken.update(picked)
        rng.shuffle(chosen)
        paper, key = [], {}
        for qid in chosen:
            q = self.questions[qid]
            n = len(q.options)
            perm = questions.option_order(qid, n, seed) if n else []
            shown = self.plain_keys[qid] if qid in self.plain_keys else questions.shown_key(q.kind, q.answer, perm)
            paper.append({"q": qid, "perm": perm})
            key[str(qid)] = {"kind": q.kind, "key": shown, "n": n}
        return paper, key


def _wrong_response(item: dict[str, Any], rng: random.Random) -> Any:
    kind, key, n = item["kind"], item["key"], item["n"]
    if kind == "truefalse":
        return not key
    if kind == "fill":
        return "不确定"
    if kind == "single" or len(key) == n:
        others = [i for i in range(n) if i not in key]
        return [rng.choice(others)] if kind == "single" else key[:-1]
    return (
        key[:-1]
        if len(key) > 2 or rng.random() < 0.5
        else sorted({*key, rng.choice([i for i in range(n) if i not in key])})
    )


def _answers_for(attempt: dict[str, Any], correct: int, points: int, rng: random.Random) -> list[QuizAnswer]:
    """Per-question answers that add up to an attempt's score (for a sample of attempts)."""
    shown = attempt["paper"][: attempt["answered"]]
    right = set(rng.sample(range(len(shown)), correct))
    out, elapsed = [], 0
    used = attempt["time_used_ms"]
    step = used // max(1, len(shown))
    for i, item in enumerate(shown):
        qkey = attempt["key"][str(item["q"])]
        if i in right:
            response = qkey["key"][0] if qkey["kind"] == "fill" else qkey["key"]
        else:
            response = _wrong_response(qkey, rng)
        ok = questions.grade(qkey["kind"], qkey["key"], response)
        if ok != (i in right):
            raise RuntimeError(f"demo answer graded unexpectedly: {qkey} {response}")
        elapsed = used if i == len(shown) - 1 else elapsed + step
        out.append(
            QuizAnswer(
                attempt_id=attempt["id"],
                question_id=item["q"],
                response=response,
                correct=ok,
                points=points if ok else 0,
                answered_at=attempt["started_at"] + dt.timedelta(milliseconds=elapsed),
            )
        )
    return out


def _quiz_contest(city_union: Organisation, admin: User, now: dt.datetime) -> Contest:
    contest = Contest.objects.filter(title=QUIZ_TITLE, lead_org=city_union).first()
    if contest is None:
        contest = contest_services.contest_create(
            title=QUIZ_TITLE,
            lead_org=city_union,
            by=admin,
            format=ContestFormat.QUIZ,
            level=ContestLevel.CITY,
            description=QUIZ_DESCRIPTION,
            starts_on=timezone.localdate(now) - dt.timedelta(days=QUIZ_DAYS_OPEN),
            ends_on=timezone.localdate(now) + dt.timedelta(days=QUIZ_DAYS_LEFT),
            members_only=False,
            is_demo=True,
            source=DEMO_SOURCE,
        )
        contest = contest_services.contest_update(contest=contest, by=admin, status=Contest.Status.RUNNING)
    return contest


def load_quiz(bank: QuestionBank, admin: User, now: dt.datetime) -> Quiz:
    city_union = Organisation.objects.get(name=QUIZ_CITY_UNION, kind=Organisation.Kind.CITY)
    contest = _quiz_contest(city_union, admin, now)
    quiz = Quiz.objects.filter(contest=contest, title=QUIZ_TITLE).first()
    if quiz is not None:
        # Loaded before: keep it open, so the demo can still be taken (counts do not change).
        if quiz.closes_at and quiz.closes_at < now + dt.timedelta(days=7):
            closes = now + dt.timedelta(days=QUIZ_DAYS_LEFT)
            Quiz.objects.filter(pk=quiz.pk).update(closes_at=closes)
            Contest.objects.filter(pk=contest.pk).update(ends_on=timezone.localdate(closes))
        return quiz
    start_day = timezone.localdate(now) - dt.timedelta(days=QUIZ_DAYS_OPEN)
    opens_at = timezone.make_aware(dt.datetime.combine(start_day, dt.time(8, 0)))
    quiz = services.quiz_create(
        contest=contest,
        bank=bank,
        title=QUIZ_TITLE,
        draw_rules=_draw_rules(bank),
        by=admin,
        points_per_question=10,
        time_limit_seconds=15 * 60,
        attempts_per_day=3,
        opens_at=opens_at,
        closes_at=now + dt.timedelta(days=QUIZ_DAYS_LEFT),
        status=Quiz.Status.OPEN,
        is_demo=True,
    )
    _quiz_participants(quiz, city_union, now)
    _worker_login_attempt(quiz, now)
    return quiz


def _quiz_participants(quiz: Quiz, city_union: Organisation, now: dt.datetime) -> None:
    rng = random.Random(20231101)
    wanted = QUIZ_PARTICIPANTS - 1  # and the demo `worker` login
    units, takes_part = [], []
    for union_name, employer_name, ownership, size, share in HZ_UNITS:
        union = _grassroots(city_union, union_name)
        employer = _employer(union, employer_name, ownership, QUIZ_CITY_CODE)
        units.append((union, employer, rng.sample(HZ_TRADES, 3), size))
        takes_part += [rng.random() < share for _ in range(size)]
    # Exactly `wanted` take part: top up or trim at random, keeping each unit's share roughly.
    idle = [i for i, t in enumerate(takes_part) if not t]
    active = [i for i, t in enumerate(takes_part) if t]
    for i in rng.sample(idle, max(0, wanted - len(active))):
        takes_part[i] = True
    for i in rng.sample(active, max(0, len(active) - wanted)):
        takes_part[i] = False
    slots = [(union, employer, trades[i % 3]) for union, employer, trades, size in units for i in range(size)]
    people = _people(
        rng=rng,
        slots=[(*slot, t) for slot, t in zip(slots, takes_part, strict=True)],
        region_code=QUIZ_CITY_CODE,
        username=QUIZ_USERNAME,
        birth_from=dt.date(1966, 1, 1),
        birth_days=365 * 36,
        joined=quiz.opens_at - dt.timedelta(days=1),
    )

    # Drawing a paper (with its option orders) is the slow part, so the synthetic attempts
    # share a pool of papers, each stored with the seed that draws it (no one sits the same
    # paper twice); the demo `worker` login's attempt is drawn by quiz_start as usual.
    papers = _Papers(quiz)
    pool = [papers.draw_stored(f"{rng.getrandbits(64):016x}") for _ in range(PAPER_POOL)]
    ppq, limit = quiz.points_per_question, quiz.time_limit_seconds
    window = max(1, int((now - quiz.opens_at).total_seconds() // 86400))
    attempts: list[dict[str, Any]] = []
    owners: list[int] = []  # index into people, per attempt
    corrects: list[int] = []
    used: list[_Paper] = []
    for index, _person in enumerate(people):
        ability = min(0.99, max(0.35, rng.gauss(0.74, 0.13)))
        pace = max(8.0, rng.gauss(24.0, 7.0))  # seconds per question
        n = rng.choices((1, 2, 3), weights=(45, 35, 20))[0]
        starts = set()
        for k, (day, paper) in enumerate(
            zip(sorted(rng.choices(range(window), k=n)), rng.sample(pool, n), strict=True)
        ):
            start = quiz.opens_at + dt.timedelta(days=day, seconds=rng.randrange(0, 14 * 3600))
            start = min(start, now - dt.timedelta(minutes=30 + rng.randrange(0, 600)))
            while start in starts:  # (user, start) names the attempt below
                start += dt.timedelta(seconds=1)
            starts.add(start)
            total = len(paper.paper)
            used_s = sum(max(3.0, rng.gauss(pace, pace / 3)) for _ in range(total))
            answered = total
            if used_s >= limit - 1:  # ran out of time: the last answers never came
                answered = max(1, int(total * (limit - 5) / used_s))
                used_s = limit - rng.uniform(2, 5)
            correct = sum(rng.random() < min(0.99, ability + 0.04 * k) for _ in range(answered))
            used_ms = int(used_s * 1000)
            deadline = start + dt.timedelta(seconds=limit)
            attempts.append(
                {
                    "quiz_id": quiz.pk,
                    "user_id": people[index].user_id,
                    "seed": paper.seed,
                    "paper": paper.paper_db,
                    "key": paper.key_db,
                    "started_at": start,
                    "deadline": deadline,
                    "finished_at": deadline if answered < total else start + dt.timedelta(milliseconds=used_ms),
                    "score": correct * ppq,
                    "answered": answered,
                    "time_used_ms": used_ms,
                }
            )
            owners.append(index)
            corrects.append(correct)
            used.append(paper)
    _insert(QuizAttempt, attempts, raw=frozenset({"paper", "key"}))
    ids = {(u, s): pk for pk, u, s in QuizAttempt.objects.filter(quiz=quiz).values_list("pk", "user_id", "started_at")}
    for attempt, paper in zip(attempts, used, strict=True):
        attempt["id"] = ids[(attempt["user_id"], attempt["started_at"])]
        attempt["paper"], attempt["key"] = paper.paper, paper.key

    by_person: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for owner, attempt in zip(owners, attempts, strict=True):
        by_person[owner].append(attempt)
    rows = []
    for index, person in enumerate(people):
        mine = by_person[index]
        best = max(mine, key=lambda a: (a["score"], -a["time_used_ms"]))
        days = [timezone.localtime(a["started_at"]).date() for a in mine]
        rows.append(
            {
                "quiz_id": quiz.pk,
                "user_id": person.user_id,
                "best_score": best["score"],
                "best_time_ms": best["time_used_ms"],
                "best_attempt_id": best["id"],
                "attempts": len(mine),
                "day": max(days),
                "attempts_on_day": days.count(max(days)),
                "joined_at": min(a["started_at"] for a in mine),
                "team_key": str(person.union.pk),
                "unit_id": person.employer.pk,
                "organisation_id": person.union.pk,
                "city_code": QUIZ_CITY_CODE,
                "province_code": QUIZ_PROVINCE_CODE,
                "on_board": True,
            }
        )
    _insert(QuizParticipant, rows)

    # Per-question answers for a sample of about 200 attempts (the statistics count answers;
    # the other attempts carry their score only).
    sample = list(zip(attempts, corrects, strict=True))[:: max(1, len(attempts) // 200)]
    QuizAnswer.objects.bulk_create([row for a, c in sample for row in _answers_for(a, c, ppq, rng)], batch_size=BATCH)


def _worker_login_attempt(quiz: Quiz, now: dt.datetime) -> None:
    """The demo `worker` login sat the quiz once yesterday evening, through the services."""
    user = User.objects.filter(username="worker").first()
    if user is None or not Worker.objects.filter(user=user).exists():
        return
    if QuizAttempt.objects.filter(quiz=quiz, user=user).exists():
        return
    rng = random.Random(20231102)
    yesterday = timezone.localdate(now) - dt.timedelta(days=1)
    at = timezone.make_aware(dt.datetime.combine(yesterday, dt.time(20, 5)))
    attempt = services.quiz_start(quiz=quiz, by=user, now=at)
    for n, item in enumerate(attempt.paper, start=1):
        qkey = attempt.key[str(item["q"])]
        if rng.random() < 0.8:
            response = qkey["key"][0] if qkey["kind"] == "fill" else qkey["key"]
        else:
            response = _wrong_response(qkey, rng)
        services.quiz_answer(
            attempt=attempt, by=user, question_id=item["q"], response=response, now=at + dt.timedelta(seconds=21 * n)
        )
    attempt.refresh_from_db()
    services.quiz_finish(attempt=attempt, by=user, now=at + dt.timedelta(seconds=21 * len(attempt.paper) + 1))


# --- 3 ---------------------------------------------------------------------------------------------


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
        contest = contest_services.contest_update(contest=contest, by=admin, status=Contest.Status.FINISHED)
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
    teams = [f"减重小组{i:02d}(演示)" for i in range(1, WUYI_TEAMS + 1)]
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
        unit_union = _grassroots(union, union_name)
        units.append((unit_union, _employer(unit_union, employer_name, ownership, WUYI_REGION)))
    # 18–60 years old on 2023-07-01 (the seed's recruitment ages)
    people = _people(
        rng=rng,
        slots=[(*units[rng.randrange(len(units))], "", True) for _ in range(WUYI_MEMBERS)],
        region_code=WUYI_REGION,
        username=WUYI_USERNAME,
        birth_from=dt.date(1963, 7, 2),
        birth_days=(dt.date(2005, 7, 1) - dt.date(1963, 7, 2)).days,
        joined=_at(WUYI_START - dt.timedelta(days=3), 9),
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
    _insert(PointAward, awards)
    totals: dict[int, int] = defaultdict(int)
    for award in awards:
        totals[award["member_id"]] += award["points"]
    for member in members:
        member.points = totals[member.pk]
        member.on_board = member.points > 0
    CampaignMember.objects.bulk_update(members, ["points", "on_board"], batch_size=BATCH)
    CampaignMember.objects.filter(campaign=campaign).update(joined_at=_at(WUYI_START, 8))
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
                "created_at": _at(day, 20, rng.randrange(60)),
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


# --- 4 ---------------------------------------------------------------------------------------------

COMMENTS = [
    "学习了,谢谢分享!",
    "很实用,收藏了。",
    "加油!",
    "我们单位也在组织,大家一起练。",
    "讲得很清楚。",
    "点赞!",
    "这个知识点我之前答错过,记住了。",
    "期待下一期。",
    "同去同去!",
    "希望多组织这样的活动。",
]
SPAM_COMMENT = "加群领取网上答题“标准答案”,私信我(演示举报样例)"


def _news() -> list[dict[str, Any]]:
    """Officers' news: facts from the seeds (and the demo quiz's own settings)."""
    plan = "2023年推进长三角高质量一体化发展工会工作方案"
    return [
        {
            "author": "sh_admin",
            "org": "上海市总工会",
            "contest": None,
            "title": "16项劳动和技能竞赛 搭建长三角职工竞技大舞台",
            "body": f"据{plan},三省一市总工会牵头推进4项长三角重点竞赛项目,联合相关部门开展5项竞赛活动,"
            "指导推动相关地级市、区(县)、产业局工会开展7项竞赛活动。",
            "on": dt.date(2023, 4, 10),
        },
        {
            "author": "sh_admin",
            "org": "上海市总工会",
            "contest": "长三角地区信息技术应用创新成果大赛",
            "title": "长三角地区信息技术应用创新成果大赛由上海市总工会牵头",
            "body": f"{plan}中,长三角地区信息技术应用创新成果大赛是三省一市总工会牵头推进的长三角重点竞赛项目之一,"
            "由上海市总工会牵头。",
            "on": dt.date(2023, 4, 12),
        },
        {
            "author": "zj_admin",
            "org": "浙江省总工会",
            "contest": "长三角地区工业机器人虚拟仿真职业技能竞赛",
            "title": "长三角地区工业机器人虚拟仿真职业技能竞赛由浙江省总工会牵头",
            "body": f"{plan}中,长三角地区工业机器人虚拟仿真职业技能竞赛是三省一市总工会牵头推进的4项长三角重点竞赛项目之一,"
            "由浙江省总工会牵头。欢迎相关岗位职工在网上练兵中先练起来。",
            "on": dt.date(2023, 4, 15),
        },
        {
            "author": "sz_officer",
            "org": "苏州市总工会",
            "contest": "物联网工程技术职工职业技能竞赛",
            "title": "长三角(5+10)城市工会工作联盟指导开展物联网工程技术职工职业技能竞赛",
            "body": "物联网工程技术职工职业技能竞赛是2023年三省一市总工会指导推动开展的竞赛活动之一。"
            "长三角(5+10)城市工会工作联盟由环太湖的无锡、常州、苏州、湖州、嘉兴五城市总工会共同发起,"
            "十个城市(区)总工会共同参与。",
            "on": dt.date(2023, 4, 20),
        },
        {
            "author": "sh_admin",
            "org": "上海市总工会",
            "contest": "长三角生态绿色一体化示范区三地消防救援队伍业务技能竞赛",
            "title": "示范区三地消防救援队伍开展业务技能竞赛",
            "body": "长三角生态绿色一体化示范区三地消防救援队伍业务技能竞赛是2023年三省一市总工会指导推动开展的竞赛活动之一。"
            "示范区包括青浦、吴江、嘉善两区一县。",
            "on": dt.date(2023, 4, 25),
        },
        {
            "author": "zj_admin",
            "org": WUYI_UNION,
            "contest": WUYI_TITLE,
            "title": "组团减肥啦!武义县举行首届健康减重大赛",
            "body": "7月1日,武义县首届健康减重大赛拉开帷幕,共计220名选手参与。大赛由武义县卫生健康局、武义县总工会主办,"
            "武义县疾病预防控制中心承办,以“健康体重、健康人生”为主题,时间是7月1日—8月29日,为期两个月。"
            "招募对象是18—60岁人群中超重、肥胖、中心性肥胖等重点人群。",
            "on": dt.date(2023, 7, 1),
        },
        {
            "author": "zj_admin",
            "org": WUYI_UNION,
            "contest": WUYI_TITLE,
            "title": "健康减重大赛积分规则:总积分490分",
            "body": "赛前体质测可获得20分。达到运动目标,每天可获得3分,总计180分;在“万步健康APP”中上传早、中、晚三餐膳食记录,"
            "每餐记录完成上传得1分,总计180分;参与线下健身小组活动,参加1次得10分,总计50分;每周测量体重、腰围并记录,"
            "每次完成得5分,总计40分。开展赛后体测可获得20分。参赛对象成立自我管理小组,每支队伍设队长1名。",
            "on": dt.date(2023, 7, 2),
        },
        {
            "author": "zj_admin",
            "org": WUYI_UNION,
            "contest": WUYI_TITLE,
            "title": "健康减重大赛奖项设置",
            "body": "主办方将根据积分完成情况及减重效果体测数据进行评分。奖项设“最佳减重奖、优秀队员奖、持之以恒奖”各20名,"
            "“优秀团队奖、优秀组织奖、优秀传播奖”各3个。",
            "on": dt.date(2023, 7, 3),
        },
        {
            "author": "hz_officer",
            "org": QUIZ_CITY_UNION,
            "contest": QUIZ_TITLE,
            "title": "杭州市职工安全生产知识网上答题(演示)开始啦",
            "body": "每套试卷按主题和难度随机抽取20题,每题10分,限时15分钟;每人每天可答3次,取最好成绩,同分者用时少者排名在前。"
            "排行榜按个人、工会、单位、城市和省份分别排名。",
            "on": None,  # the day the quiz opened
        },
    ]


TIP_CONTESTS = {  # topic of the demo bank → the 2023 contest a skill tip is filed under
    "工业机器人": "长三角地区工业机器人虚拟仿真职业技能竞赛",
    "新能源汽车技术": "长三角新能源汽车技术技能竞赛",
    "信息技术应用创新": "长三角地区信息技术应用创新成果大赛",
    "物联网工程技术": "物联网工程技术职工职业技能竞赛",
    "电梯维修": "电梯维修技能邀请赛",
    "消防救援与消防安全": "长三角生态绿色一体化示范区三地消防救援队伍业务技能竞赛",
    "供水与废水处理": "长三角地区供水行业供水管道工职业技能竞赛",
    "安全生产与用电安全": QUIZ_TITLE,
    "劳动法律常识": QUIZ_TITLE,
    "工会知识与长三角工会一体化": QUIZ_TITLE,
}


def _tip_body(q: Question) -> str:
    lines = [q.stem]
    if q.kind in questions.CHOICE_KINDS:
        lines += [f"{questions.indices_to_letters([i])}. {o}" for i, o in enumerate(q.options)]
        lines.append(f"答案:{questions.indices_to_letters(q.answer)}")
    elif q.kind == "truefalse":
        lines.append("答案:" + ("对" if q.answer else "错"))
    else:
        lines.append("答案:" + " / ".join(q.answer))
    lines.append(f"解析:{q.explanation}")
    return "\n".join(lines)


def load_posts(quiz: Quiz, campaign: Campaign, now: dt.datetime) -> None:
    news = _news()
    if Post.objects.filter(is_demo=True, title=news[0]["title"]).exists():
        return
    rng = random.Random(20231201)
    latest = now - dt.timedelta(minutes=10)
    opened = timezone.localtime(quiz.opens_at)
    users = {u.username: u for u in User.objects.filter(username__in={n["author"] for n in news})}
    orgs = {o.name: o for o in Organisation.objects.filter(name__in={n["org"] for n in news})}
    contests = {
        c.title: c
        for c in Contest.objects.filter(
            Q(key_task__plan__year=2023) | Q(pk__in=[quiz.contest_id, campaign.contest_id])
        ).order_by("id")
    }
    hz = list(
        QuizParticipant.objects.filter(quiz=quiz)
        .exclude(user__username="worker")
        .select_related("organisation")
        .order_by("-best_score", "best_time_ms", "user_id")
    )
    wy = list(
        CampaignMember.objects.filter(campaign=campaign).select_related("organisation").order_by("-points", "user_id")
    )
    hz_users, wy_users = [p.user_id for p in hz], [m.user_id for m in wy]
    posts: list[tuple[Post, dt.datetime, list[int]]] = []  # (post, when, who may like it)

    for item in news:
        when = timezone.make_aware(dt.datetime.combine(item["on"], dt.time(10, 0))) if item["on"] else opened
        post = Post(
            author=users[item["author"]],
            organisation=orgs[item["org"]],
            contest=contests.get(item["contest"]) if item["contest"] else None,
            kind=Post.Kind.NEWS,
            title=item["title"],
            body=item["body"] + POST_NOTE,
            is_demo=True,
        )
        posts.append((post, when + dt.timedelta(hours=1), wy_users if item["org"] == WUYI_UNION else hz_users))

    # Skill tips by quiz participants: one question of the demo bank per topic, with its explanation.
    first_of_topic: dict[str, Question] = {}
    for q in Question.objects.filter(bank=quiz.bank, difficulty=2).exclude(explanation="").order_by("topic", "id"):
        first_of_topic.setdefault(q.topic, q)
    for n, (topic, q) in enumerate(sorted(first_of_topic.items())):
        author = hz[(n * 37) % len(hz)]
        post = Post(
            author_id=author.user_id,
            organisation=author.organisation,
            contest=contests.get(TIP_CONTESTS.get(topic, "")),
            kind=Post.Kind.SKILL,
            title=f"练兵笔记·{topic}",
            body=_tip_body(q) + POST_NOTE,
            is_demo=True,
        )
        posts.append((post, opened + dt.timedelta(days=1 + n % QUIZ_DAYS_OPEN, hours=rng.randrange(1, 12)), hz_users))

    # Results, from the data above: quiz participants' best attempts and Wuyi members' weights.
    for n, p in enumerate(hz[:: max(1, len(hz) // 5)][:5]):
        minutes, seconds = divmod(p.best_time_ms // 1000, 60)
        post = Post(
            author_id=p.user_id,
            organisation=p.organisation,
            contest=quiz.contest,
            kind=Post.Kind.RESULT,
            title=f"网上答题最好成绩{p.best_score}分",
            body=f"参加{QUIZ_TITLE},共答{p.attempts}次,最好成绩{p.best_score}分(满分{quiz.max_score}分),"
            f"用时{minutes}分{seconds}秒。" + POST_NOTE,
            is_demo=True,
        )
        posts.append((post, opened + dt.timedelta(days=2 + 2 * n, hours=13), hz_users))
    weights = defaultdict(list)
    measured = PointAward.objects.filter(campaign=campaign, value__isnull=False).order_by("occurred_on", "id")
    for member_id, value in measured.values_list("member_id", "value"):
        weights[member_id].append(value)
    end = campaign.ends_on
    for m in [m for m in wy if len(weights[m.pk]) >= 2][:: max(1, len(wy) // 6)][:6]:
        post = Post(
            author_id=m.user_id,
            organisation=m.organisation,
            contest=campaign.contest,
            kind=Post.Kind.RESULT,
            title=f"减重大赛{end.month}月{end.day}日赛后体测打卡",
            body=f"参加{WUYI_TITLE},赛前体重{weights[m.pk][0]:.1f}公斤,最后一次测量{weights[m.pk][-1]:.1f}公斤,"
            f"积分{m.points}分。" + POST_NOTE,
            is_demo=True,
        )
        posts.append((post, timezone.make_aware(dt.datetime.combine(end, dt.time(19, 0))), wy_users))

    Post.objects.bulk_create([p for p, _when, _who in posts], batch_size=BATCH)
    likes: list[dict[str, Any]] = []
    comments: list[Comment] = []
    comment_times: list[dt.datetime] = []
    for post, when, audience in posts:
        post.created_at = post.updated_at = min(when, latest)
        high = len(audience) // 12 if post.kind == Post.Kind.NEWS else min(len(audience), 150)
        fans = rng.sample(audience, rng.randrange(high // 3, high + 1))
        likes += [
            {"post_id": post.pk, "user_id": u, "created_at": min(latest, post.created_at + dt.timedelta(minutes=m))}
            for u, m in zip(fans, rng.choices(range(5, 4000), k=len(fans)), strict=True)
            if u != post.author_id
        ]
        for k in range(rng.randrange(0, 7)):
            comments.append(Comment(post=post, author_id=rng.choice(audience), body=rng.choice(COMMENTS)))
            comment_times.append(min(post.created_at + dt.timedelta(minutes=5 + 37 * k), latest))
    spam_post = next(p for p, _w, _a in posts if p.contest_id == quiz.contest_id and p.kind == Post.Kind.NEWS)
    spam = Comment(post=spam_post, author_id=hz_users[-1], body=SPAM_COMMENT)
    comments.append(spam)
    comment_times.append(min(spam_post.created_at + dt.timedelta(hours=5), latest))
    _insert(PostLike, likes)
    Comment.objects.bulk_create(comments, batch_size=BATCH)
    for comment, when in zip(comments, comment_times, strict=True):
        comment.created_at = comment.updated_at = when
    Comment.objects.bulk_update(comments, ["created_at", "updated_at"], batch_size=BATCH)
    like_counts: dict[int, int] = defaultdict(int)
    comment_counts: dict[int, int] = defaultdict(int)
    for like in likes:
        like_counts[like["post_id"]] += 1
    for comment in comments:
        comment_counts[comment.post_id] += 1
    only_posts = [p for p, _when, _who in posts]
    for post in only_posts:
        post.like_count, post.comment_count = like_counts[post.pk], comment_counts[post.pk]
    Post.objects.bulk_update(only_posts, ["created_at", "updated_at", "like_count", "comment_count"])
    # One open report, so the moderation queue of 杭州市总工会 is not empty.
    AbuseReport.objects.create(
        post=spam_post, comment=spam, reporter_id=hz_users[0], reason="疑似广告,兜售答题“标准答案”(演示举报)"
    )


# --- boards ----------------------------------------------------------------------------------------


def _rebuild_later(quiz: Quiz, campaign: Campaign) -> None:
    """After the commit, write the Redis boards afresh from the database (no-op without Redis)."""
    if not leaderboards.uses_redis():
        return
    boards = [*leaderboards.boards_of("quiz", quiz.pk), *leaderboards.boards_of("campaign", campaign.pk)]
    transaction.on_commit(lambda: [leaderboards.rebuild(b) for b in boards])


def load(ctx: DemoContext) -> dict[str, int]:
    admin = User.objects.get(username="admin")
    now = timezone.now()
    bank = load_bank(admin)
    quiz = load_quiz(bank, admin, now)
    campaign = load_wuyi(admin)
    load_posts(quiz, campaign, now)
    _rebuild_later(quiz, campaign)
    return {
        "questions": bank.questions.count(),
        "quiz_participants": quiz.participants.count(),
        "campaign_members": campaign.members.count(),
        "posts": Post.objects.filter(is_demo=True).count(),
    }

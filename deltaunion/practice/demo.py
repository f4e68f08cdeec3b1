"""Online-practice demo data (idempotent: `manage.py load_demo` twice adds nothing).

1. A question bank, 2023年长三角职工技能竞赛练习题库(演示): every question of
   `demo_questions` (written for the demo, labelled as such; topics from the 2023 contests
   the seeds name, and general knowledge).
2. A city-wide quiz, 杭州市职工安全生产知识网上答题(演示), led by 杭州市总工会: open now,
   20 questions a paper, 10 points each, 15 minutes, 3 attempts a day, with 10,000 synthetic
   participants (the demo `worker` login is one of them, with one finished attempt) in
   synthetic employers of every ownership type, 1–3 finished attempts each.
3. Posts about the 2023 contests and the quiz (facts from the seeds only: officers' news,
   participants' skill tips and results), through the community (`community.demo.publish`);
   the community's loader adds readers' likes and comments.

The big tables (users, workers, attempts, participants) are written with plain INSERTs
(executemany; COPY on PostgreSQL), and the synthetic attempts share a pool of 2,000 papers,
each stored with the seed that draws it, so the whole load stays fast. The helpers for
synthetic people (`synthetic_people`, `insert_rows`, …) serve the campaigns' loader too.

Everything synthetic is marked: users, workers, employers and grassroots unions carry is_demo
(names start with 演示), and the bank, quiz and posts carry is_demo and say so.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import secrets
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from deltaunion.accounts.models import User
from deltaunion.community.demo import publish
from deltaunion.community.models import Post
from deltaunion.contests import services as contest_services
from deltaunion.contests.models import Contest, ContestFormat, ContestLevel
from deltaunion.core import leaderboards
from deltaunion.core.idnumber import make_id_number
from deltaunion.core.registry import DemoContext
from deltaunion.orgs.models import Organisation
from deltaunion.orgs.services import organisation_create
from deltaunion.people.demo import GIVEN, SURNAMES
from deltaunion.people.models import Employer, Ownership, Worker
from deltaunion.practice import demo_questions, questions, services
from deltaunion.practice.models import Question, QuestionBank, Quiz, QuizAnswer, QuizAttempt, QuizParticipant

BATCH = 2000
PAPER_POOL = 2000

# --- 1. the bank ---------------------------------------------------------------------------------

BANK_NAME = "2023年长三角职工技能竞赛练习题库（演示）"
BANK_OWNER = "上海市总工会"
BANK_DESCRIPTION = (
    "演示数据：本题库的题目是为演示系统而编写的练习题，不是官方试题，也不代表任何真实竞赛的考题。"
    "主题取自2023年推进长三角高质量一体化发展工会工作方案所列的劳动和技能竞赛（seeds/004），"
    "以及工会知识、劳动法律、安全生产等职工通用知识。"
)

# --- 2. the city-wide quiz -----------------------------------------------------------------------

QUIZ_TITLE = "杭州市职工安全生产知识网上答题（演示）"
QUIZ_CITY_UNION = "杭州市总工会"
QUIZ_CITY_CODE, QUIZ_PROVINCE_CODE = "330100", "330000"
QUIZ_DESCRIPTION = (
    "演示数据：本网上答题活动是为演示系统而设置的，活动本身、参与职工、所在单位和答题成绩均为系统生成的演示数据，"
    "不是真实活动。每套试卷按主题和难度从“2023年长三角职工技能竞赛练习题库（演示）”随机抽取20题，每题10分，"
    "限时15分钟，每人每天可答3次，取最好成绩，同分者用时少者排名在前。"
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

# ID numbers: sequence numbers 950–989 (people.demo uses 100–824), birth dates spread so that
# every (division, birth date, sequence) is different.
ID_SEQ_BASE, ID_SEQ_SPAN = 950, 40
DEMO_SOURCE = "演示数据"


def synthetic_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


def grassroots_union(parent: Organisation, name: str) -> Organisation:
    return Organisation.objects.filter(parent=parent, name=name).first() or organisation_create(
        name=name,
        kind=Organisation.Kind.GRASSROOTS,
        parent=parent,
        region=parent.region,
        by=None,
        is_demo=True,
        source=DEMO_SOURCE,
    )


def demo_employer(union: Organisation, name: str, ownership: str, region_code: str) -> Employer:
    employer, _ = Employer.objects.get_or_create(
        organisation=union, name=name, defaults={"ownership": ownership, "region_id": region_code, "is_demo": True}
    )
    return employer


@dataclass(frozen=True)
class Person:
    user_id: int
    union: Organisation
    employer: Employer


def insert_rows(
    model: type, rows: list[dict[str, Any]], *, raw: frozenset[str] = frozenset(), chunk: int = 5000
) -> None:
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


def synthetic_people(
    *,
    rng: random.Random,
    slots: list[tuple[Organisation, Employer, str, bool]],
    region_code: str,
    username: str,
    birth_from: dt.date,
    birth_days: int,
    joined: dt.datetime,
    members_share: float = 0.95,
) -> list[Person]:
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
        name = synthetic_name(rng)
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
    insert_rows(User, users)
    ids = dict(User.objects.filter(username__in=[u["username"] for u in users]).values_list("username", "pk"))
    for worker, (union, employer, _trade, has_account) in zip(workers, slots, strict=True):
        if has_account:
            login = worker["user_id"]
            worker["user_id"] = ids[login]
            people.append(Person(ids[login], union, employer))
    insert_rows(Worker, workers)
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
        contest = contest_services.contest_set_status(contest=contest, status=Contest.Status.RUNNING, by=admin)
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
        union = grassroots_union(city_union, union_name)
        employer = demo_employer(union, employer_name, ownership, QUIZ_CITY_CODE)
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
    people = synthetic_people(
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
    insert_rows(QuizAttempt, attempts, raw=frozenset({"paper", "key"}))
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
    insert_rows(QuizParticipant, rows)

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
    yesterday = timezone.localdate(now) - dt.timedelta(days=1)
    at = timezone.make_aware(dt.datetime.combine(yesterday, dt.time(20, 5)))
    sit_quiz(quiz, user, at=at, seed=20231102, right_rate=0.8, seconds_per_question=21)


def sit_quiz(
    quiz: Quiz, user: Any, *, at: dt.datetime, seed: int, right_rate: float, seconds_per_question: int
) -> None:
    """`user` sits `quiz` once from `at` through the services, answering each question right with
    probability `right_rate` (a seeded draw, so the demo is the same on every load)."""
    rng = random.Random(seed)
    attempt = services.quiz_start(quiz=quiz, by=user, now=at)
    for n, item in enumerate(attempt.paper, start=1):
        qkey = attempt.key[str(item["q"])]
        if rng.random() < right_rate:
            response = qkey["key"][0] if qkey["kind"] == "fill" else qkey["key"]
        else:
            response = _wrong_response(qkey, rng)
        services.quiz_answer(
            attempt=attempt,
            by=user,
            question_id=item["q"],
            response=response,
            now=at + dt.timedelta(seconds=seconds_per_question * n),
        )
    attempt.refresh_from_db()
    services.quiz_finish(
        attempt=attempt, by=user, now=at + dt.timedelta(seconds=seconds_per_question * len(attempt.paper) + 1)
    )


# --- 3 ---------------------------------------------------------------------------------------------


def _news() -> list[dict[str, Any]]:
    """Officers' news: facts from the seeds (and the demo quiz's own settings). The quiz is open
    and hides its answers to keep it fair (为保证公平), so no news states the answer of a
    question of its bank (who leads a contest, how many contests the plan counts …)."""
    plan = "2023年推进长三角高质量一体化发展工会工作方案"
    return [
        {
            "author": "sh_admin",
            "org": "上海市总工会",
            "contest": None,
            "title": "劳动和技能竞赛 搭建长三角职工竞技大舞台",
            "body": f"据{plan}，三省一市总工会牵头推进长三角重点竞赛项目，联合相关部门开展竞赛活动，"
            "并指导推动相关地级市、区（县）、产业局工会开展竞赛活动。各项竞赛的安排请关注竞赛栏目。",
            "on": dt.date(2023, 4, 10),
        },
        {
            "author": "sh_admin",
            "org": "上海市总工会",
            "contest": "长三角地区信息技术应用创新成果大赛",
            "title": "长三角地区信息技术应用创新成果大赛列入长三角重点竞赛项目",
            "body": f"{plan}中，长三角地区信息技术应用创新成果大赛是三省一市总工会牵头推进的长三角重点竞赛项目之一。"
            "欢迎从事信创相关工作的职工关注赛事安排。",
            "on": dt.date(2023, 4, 12),
        },
        {
            "author": "zj_admin",
            "org": "浙江省总工会",
            "contest": "长三角地区工业机器人虚拟仿真职业技能竞赛",
            "title": "长三角地区工业机器人虚拟仿真职业技能竞赛列入长三角重点竞赛项目",
            "body": f"{plan}中，长三角地区工业机器人虚拟仿真职业技能竞赛是三省一市总工会牵头推进的长三角重点竞赛项目之一。"
            "欢迎相关岗位职工在网上练兵中先练起来。",
            "on": dt.date(2023, 4, 15),
        },
        {
            "author": "sz_officer",
            "org": "苏州市总工会",
            "contest": "物联网工程技术职工职业技能竞赛",
            "title": "物联网工程技术职工职业技能竞赛列入2023年长三角竞赛活动",
            "body": "物联网工程技术职工职业技能竞赛是2023年三省一市总工会指导推动开展的竞赛活动之一。"
            "欢迎从事物联网安装调试的职工关注赛事安排，在网上练兵中先练起来。",
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
            "author": "hz_officer",
            "org": QUIZ_CITY_UNION,
            "contest": QUIZ_TITLE,
            "title": "杭州市职工安全生产知识网上答题（演示）开始啦",
            "body": "每套试卷按主题和难度随机抽取20题，每题10分，限时15分钟；每人每天可答3次，取最好成绩，同分者用时少者排名在前。"
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
    """A participant's study note on one question of the bank: the question only. The open
    quiz draws its papers from this bank and hides the answers to keep it fair (为保证公平),
    so a post gives no answer, no options and no explanation; readers are sent to free
    practice, which shows the explanation after each answer."""
    return "\n".join(
        [
            f"这几天在自由练习里练“{q.topic}”，这道题我第一次答错了，值得大家琢磨：",
            q.stem,
            "网上答题还在进行，为保证公平，这里不写答案和解析。想弄清楚的话，"
            "到自由练习里选这个主题练一练，答完就能看到解析。",
        ]
    )


def load_posts(quiz: Quiz, now: dt.datetime) -> None:
    """The officers' news, participants' skill tips (one question of the demo bank per topic,
    with its explanation) and results (participants' best attempts)."""
    latest = now - dt.timedelta(minutes=10)
    opened = timezone.localtime(quiz.opens_at)
    news = _news()
    users = {u.username: u for u in User.objects.filter(username__in={n["author"] for n in news})}
    orgs = {o.name: o for o in Organisation.objects.filter(name__in={n["org"] for n in news})}
    contests = {
        c.title: c for c in Contest.objects.filter(Q(key_task__plan__year=2023) | Q(pk=quiz.contest_id)).order_by("id")
    }
    for item in news:
        when = timezone.make_aware(dt.datetime.combine(item["on"], dt.time(10, 0))) if item["on"] else opened
        publish(
            author=users[item["author"]],
            organisation=orgs[item["org"]],
            kind=Post.Kind.NEWS,
            title=item["title"],
            body=item["body"],
            subject=contests.get(item["contest"]) if item["contest"] else None,
            when=min(when + dt.timedelta(hours=1), latest),
        )
    rng = random.Random(20231201)
    hz = list(
        QuizParticipant.objects.filter(quiz=quiz)
        .exclude(user__username="worker")
        .select_related("organisation", "user")
        .order_by("-best_score", "best_time_ms", "user_id")
    )
    first_of_topic: dict[str, Question] = {}
    # Not a true/false statement: its wording alone would tell the answer.
    tips = Question.objects.filter(bank=quiz.bank, difficulty=2).exclude(kind="truefalse")
    for q in tips.order_by("topic", "id"):
        first_of_topic.setdefault(q.topic, q)
    for n, (topic, q) in enumerate(sorted(first_of_topic.items())):
        author = hz[(n * 37) % len(hz)]
        publish(
            author=author.user,
            organisation=author.organisation,
            kind=Post.Kind.SKILL,
            title=f"练兵笔记·{topic}",
            body=_tip_body(q),
            subject=contests.get(TIP_CONTESTS.get(topic, "")),
            when=min(opened + dt.timedelta(days=1 + n % QUIZ_DAYS_OPEN, hours=rng.randrange(1, 12)), latest),
        )
    for n, p in enumerate(hz[:: max(1, len(hz) // 5)][:5]):
        minutes, seconds = divmod(p.best_time_ms // 1000, 60)
        publish(
            author=p.user,
            organisation=p.organisation,
            kind=Post.Kind.RESULT,
            title=f"网上答题最好成绩{p.best_score}分",
            body=f"参加{QUIZ_TITLE}，共答{p.attempts}次，最好成绩{p.best_score}分（满分{quiz.max_score}分），"
            f"用时{minutes}分{seconds}秒。",
            subject=quiz.contest,
            when=min(opened + dt.timedelta(days=2 + 2 * n, hours=13), latest),
        )


# --- boards ----------------------------------------------------------------------------------------


def rebuild_boards_later(kind: str, object_id: int) -> None:
    """After the commit, write the Redis boards afresh from the database (no-op without Redis)."""
    if not leaderboards.uses_redis():
        return
    boards = leaderboards.boards_of(kind, object_id)
    transaction.on_commit(lambda: [leaderboards.rebuild(b) for b in boards])


def load(ctx: DemoContext) -> dict[str, int]:
    admin = User.objects.get(username="admin")
    now = timezone.now()
    bank = load_bank(admin)
    quiz = load_quiz(bank, admin, now)
    load_posts(quiz, now)
    rebuild_boards_later("quiz", quiz.pk)
    return {"questions": bank.questions.count(), "quiz_participants": quiz.participants.count()}

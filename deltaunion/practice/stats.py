"""Statistics and officers' lists for online practice (reads only; nothing here writes).

The figures are the ones the seeds report for Chongqing's online contest: participating
units (employers with at least one participant) by ownership type with their shares,
participants, attempts, quiz answers, likes, comments, posts by kind, and the participation
rate of each unit (participants / union members of that employer). A report covers one
quiz, one points campaign, or all practice of the workers of an organisation's subtree.

Every figure is one aggregate query (GROUP BY / COUNT / SUM), never a loop over
participants: the demo quiz has 10,000 of them. The campaign standings (the awards the
Wuyi campaign names) live here too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from deltaunion.core.excel import build_workbook_sheets
from deltaunion.orgs.models import Organisation
from deltaunion.orgs.scoping import scope_for
from deltaunion.people.models import Employer, Ownership, Worker
from deltaunion.practice.models import (
    AbuseReport,
    Campaign,
    CampaignMember,
    CampaignRule,
    CampaignTeam,
    Comment,
    Difficulty,
    PointAward,
    Post,
    PostLike,
    PracticeAnswer,
    Question,
    QuestionBank,
    Quiz,
    QuizAnswer,
    QuizAttempt,
    QuizParticipant,
)
from deltaunion.practice.selectors import streaks

HUNDRED = Decimal(100)


def post_kind_labels() -> dict[str, str]:
    """The kinds of posts as the seeds count them (新闻动态, 技能提升, 竞赛成果)."""
    return {
        Post.Kind.NEWS: _("News updates"),
        Post.Kind.SKILL: _("Skill tips"),
        Post.Kind.RESULT: _("Achievements"),
    }


ONE_PLACE = Decimal("0.1")


# --- what an officer manages ---------------------------------------------------------------------


def managed(qs: QuerySet, user: Any) -> QuerySet:
    """Rows of `qs` whose organisation lies in a subtree the user manages. Unlike `scoped`,
    public rows of other organisations (open quizzes, published banks) are left out: the
    officers' pages show and change only their own."""
    return qs.filter(scope_for(user).org_q(qs.model.scope_org_field))


def managed_organisations(user: Any) -> QuerySet[Organisation]:
    scope = scope_for(user)
    if not scope.is_manager:
        return Organisation.objects.none()
    return Organisation.objects.filter(scope.org_q("")).order_by("path")


def top_organisations(user: Any) -> list[Organisation]:
    """The outermost organisations the user manages (the roots of their subtrees)."""
    scope = scope_for(user)
    if scope.is_superuser:
        return list(Organisation.objects.filter(depth=0).order_by("path")[:5])
    paths = sorted(set(scope.managed_paths), key=len)
    roots = [p for i, p in enumerate(paths) if not any(p.startswith(o) for o in paths[:i])]
    return list(Organisation.objects.filter(path__in=roots).order_by("path"))


def _count_of(model: Any, fk: str, **filters: Any) -> Subquery:
    """COUNT(*) of `model` rows pointing at the outer row, as a subquery (never multiplies rows)."""
    inner = (
        model.objects.filter(**{fk: OuterRef("pk")}, **filters).order_by().values(fk).annotate(n=Count("*")).values("n")
    )
    return Coalesce(Subquery(inner, output_field=IntegerField()), Value(0))


def banks_managed(user: Any) -> QuerySet[QuestionBank]:
    return managed(QuestionBank.objects.select_related("owner"), user).annotate(n_questions=_count_of(Question, "bank"))


def quizzes_managed(user: Any) -> QuerySet[Quiz]:
    return managed(Quiz.objects.select_related("contest", "bank", "stage__contest"), user).annotate(
        n_participants=_count_of(QuizParticipant, "quiz"), n_attempts=_count_of(QuizAttempt, "quiz")
    )


def campaigns_managed(user: Any) -> QuerySet[Campaign]:
    return managed(Campaign.objects.select_related("contest"), user).annotate(
        n_members=_count_of(CampaignMember, "campaign"), n_rules=_count_of(CampaignRule, "campaign")
    )


def open_reports(user: Any) -> QuerySet[AbuseReport]:
    return managed(AbuseReport.objects.filter(status=AbuseReport.Status.OPEN), user)


def team_totals(campaign: Campaign) -> QuerySet[CampaignTeam]:
    return (
        CampaignTeam.objects.filter(campaign=campaign)
        .annotate(n_members=Count("members"), total=Coalesce(Sum("members__points"), 0))
        .order_by("name")
    )


# --- shares and rates -----------------------------------------------------------------------------


def shares(counts: Sequence[int], places: int = 1) -> list[Decimal]:
    """Percentages of `counts` rounded to `places` decimals that add up to exactly 100
    (largest remainder); all zeros when the total is zero."""
    total = sum(counts)
    if not total:
        return [Decimal(0) for _c in counts]
    unit = Decimal(1).scaleb(-places)
    exact = [Decimal(c) * HUNDRED / Decimal(total) for c in counts]
    floors = [(e / unit).to_integral_value(rounding=ROUND_FLOOR) * unit for e in exact]
    left = int(((HUNDRED - sum(floors)) / unit).to_integral_value(rounding=ROUND_HALF_UP))
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += unit
    return [f.quantize(unit) for f in floors]


def rate(part: int, whole: int) -> Decimal | None:
    """part / whole as a percentage with one decimal; None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


# --- the subject of a report ----------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """What a report covers: one quiz, one campaign, or the workers of an organisation's subtree."""

    kind: str  # "quiz" | "campaign" | "org"
    quiz: Quiz | None = None
    campaign: Campaign | None = None
    org: Organisation | None = None

    @classmethod
    def for_quiz(cls, quiz: Quiz) -> Subject:
        return cls("quiz", quiz=quiz)

    @classmethod
    def for_campaign(cls, campaign: Campaign) -> Subject:
        return cls("campaign", campaign=campaign)

    @classmethod
    def for_org(cls, org: Organisation) -> Subject:
        return cls("org", org=org)

    @property
    def title(self) -> str:
        obj = self.quiz or self.campaign or self.org
        return str(obj)

    @property
    def contest_id(self) -> int | None:
        if self.quiz is not None:
            return self.quiz.contest_id
        if self.campaign is not None:
            return self.campaign.contest_id
        return None

    # participants: (unit, user) rows
    def participant_sources(self) -> list[QuerySet]:
        if self.kind == "quiz":
            return [QuizParticipant.objects.filter(quiz=self.quiz)]
        if self.kind == "campaign":
            return [CampaignMember.objects.filter(campaign=self.campaign)]
        path = self.org.path
        return [
            QuizParticipant.objects.filter(organisation__path__startswith=path),
            CampaignMember.objects.filter(organisation__path__startswith=path),
        ]

    def attempts(self) -> QuerySet[QuizAttempt]:
        if self.kind == "quiz":
            return QuizAttempt.objects.filter(quiz=self.quiz)
        if self.kind == "campaign":
            return QuizAttempt.objects.none()
        mine = QuizParticipant.objects.filter(
            quiz=OuterRef("quiz_id"), user=OuterRef("user_id"), organisation__path__startswith=self.org.path
        )
        return QuizAttempt.objects.filter(Exists(mine))

    def actions(self) -> QuerySet[PointAward]:
        if self.kind == "campaign":
            return PointAward.objects.filter(campaign=self.campaign)
        if self.kind == "quiz":
            return PointAward.objects.none()
        return PointAward.objects.filter(member__organisation__path__startswith=self.org.path)

    def practice_answers(self) -> QuerySet[PracticeAnswer]:
        if self.kind != "org":
            return PracticeAnswer.objects.none()
        return PracticeAnswer.objects.filter(user__worker__organisation__path__startswith=self.org.path)

    def posts(self) -> QuerySet[Post]:
        """Published posts: of the quiz's or campaign's contest, or of the unions of the subtree."""
        qs = Post.objects.filter(status=Post.Status.PUBLISHED)
        if self.kind == "org":
            return qs.filter(organisation__path__startswith=self.org.path)
        return qs.filter(contest_id=self.contest_id)


def _pairs_sql(subject: Subject) -> tuple[str, list[Any]]:
    """SQL of the distinct (unit_id, user_id) pairs of the subject's participants."""
    parts, params = [], []
    for qs in subject.participant_sources():
        sql, p = qs.order_by().values_list("unit_id", "user_id").query.sql_with_params()
        parts.append(sql)
        params.extend(p)
    return " UNION ".join(parts), params


def _rows(sql: str, params: Sequence[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall()


def participant_count(subject: Subject) -> int:
    pairs, params = _pairs_sql(subject)
    return _rows(f"SELECT COUNT(DISTINCT p.user_id) FROM ({pairs}) p", params)[0][0] or 0


def participants_by_unit(subject: Subject) -> dict[int, int]:
    pairs, params = _pairs_sql(subject)
    sql = f"SELECT p.unit_id, COUNT(DISTINCT p.user_id) FROM ({pairs}) p WHERE p.unit_id IS NOT NULL GROUP BY p.unit_id"
    return {unit_id: n for unit_id, n in _rows(sql, params)}


def participating_units(subject: Subject) -> QuerySet[Employer]:
    """Employers with at least one participant (as a queryset usable as a subquery)."""
    q = Q(pk__in=[])
    for qs in subject.participant_sources():
        q |= Q(pk__in=qs.order_by().values("unit_id"))
    return Employer.objects.filter(q)


# --- the report -------------------------------------------------------------------------------------


@dataclass
class OwnershipRow:
    ownership: str
    label: str
    units: int
    share: Decimal


@dataclass
class UnitRow:
    unit_id: int
    name: str
    ownership: str
    ownership_label: str
    union: str
    participants: int
    members: int
    rate: Decimal | None


@dataclass
class KindRow:
    kind: str
    label: str
    posts: int


@dataclass
class DayRow:
    day: dt.date
    attempts: int
    actions: int


@dataclass
class Report:
    subject: Subject
    units: int
    by_ownership: list[OwnershipRow]
    participants: int
    members: int
    rate: Decimal | None
    attempts: int
    quiz_answers: int
    practice_answers: int
    actions: int
    points: int
    likes: int
    comments: int
    posts: int
    by_kind: list[KindRow]
    unit_rows: list[UnitRow]
    days: list[DayRow] = field(default_factory=list)

    def chart_data(self, top: int = 20) -> dict[str, Any]:
        """What the page's ECharts need (plain JSON types)."""
        ranked = [u for u in self.unit_rows if u.rate is not None][:top]
        return {
            "ownership": [{"name": r.label, "value": r.units} for r in self.by_ownership if r.units],
            "units": {"names": [u.name for u in ranked], "rates": [float(u.rate) for u in ranked]},
            "days": {
                "count": len(self.days),
                "attempts": _day_series(self.days, "attempts"),
                "actions": _day_series(self.days, "actions"),
                "show_attempts": self.subject.kind != "campaign",
                "show_actions": self.subject.kind != "quiz",
            },
            "labels": {
                "attempts": _("Quiz attempts"),
                "actions": _("Actions logged"),
                "rate": _("Participation rate (%)"),
            },
        }


def _day_series(days: list[DayRow], attr: str, fill: int = 31) -> list[list[Any]]:
    """[date, count] pairs for a time axis: quiet days up to `fill` long count as 0; a longer
    gap (e.g. between two campaigns years apart) breaks the line with a null."""
    out: list[list[Any]] = []
    previous: dt.date | None = None
    for row in days:
        if previous is not None:
            gap = (row.day - previous).days
            if gap > fill:
                out.append([(previous + dt.timedelta(days=1)).isoformat(), None])
            else:
                out.extend([(previous + dt.timedelta(days=k)).isoformat(), 0] for k in range(1, gap))
        out.append([row.day.isoformat(), getattr(row, attr)])
        previous = row.day
    return out


def _by_ownership(units: QuerySet[Employer]) -> tuple[int, list[OwnershipRow]]:
    counts = dict(units.order_by().values("ownership").annotate(n=Count("id")).values_list("ownership", "n"))
    values = [counts.get(value, 0) for value, _label in Ownership.choices]
    # An ownership value outside the choices (should not happen) still counts in the total.
    other = sum(n for k, n in counts.items() if k not in Ownership.values)
    pcts = shares([*values, other]) if other else shares(values)
    rows = [
        OwnershipRow(value, str(label), n, pct)
        for (value, label), n, pct in zip(Ownership.choices, values, pcts, strict=False)
    ]
    if other:
        rows.append(OwnershipRow("", _("Other"), other, pcts[-1]))
    return sum(values) + other, rows


def _unit_rows(subject: Subject, units: QuerySet[Employer]) -> list[UnitRow]:
    per_unit = participants_by_unit(subject)
    members = dict(
        Worker.objects.filter(is_member=True, employer__in=units)
        .order_by()
        .values("employer_id")
        .annotate(n=Count("id"))
        .values_list("employer_id", "n")
    )
    labels = dict(Ownership.choices)
    rows = [
        UnitRow(
            unit_id=pk,
            name=name,
            ownership=ownership,
            ownership_label=str(labels.get(ownership, ownership)),
            union=union or "",
            participants=per_unit.get(pk, 0),
            members=members.get(pk, 0),
            rate=rate(per_unit.get(pk, 0), members.get(pk, 0)),
        )
        for pk, name, ownership, union in units.values_list("pk", "name", "ownership", "organisation__name")
    ]
    # Highest rate first; units without members last; then more participants, then name.
    rows.sort(key=lambda u: (u.rate is None, -(u.rate or 0), -u.participants, u.name, u.unit_id))
    return rows


def _days(subject: Subject) -> list[DayRow]:
    attempts = dict(
        subject.attempts()
        .order_by()
        .annotate(day=TruncDate("started_at"))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    actions = dict(
        subject.actions().order_by().values("occurred_on").annotate(n=Count("id")).values_list("occurred_on", "n")
    )
    days = sorted(set(attempts) | set(actions))
    return [DayRow(d, attempts.get(d, 0), actions.get(d, 0)) for d in days]


def report(subject: Subject) -> Report:
    units = participating_units(subject)
    n_units, by_ownership = _by_ownership(units)
    unit_rows = _unit_rows(subject, units)
    participants = participant_count(subject)
    members = sum(u.members for u in unit_rows)
    in_member_units = sum(u.participants for u in unit_rows if u.members)
    attempts = subject.attempts()
    actions = subject.actions().aggregate(n=Count("id"), points=Coalesce(Sum("points"), 0))
    posts = subject.posts()
    kinds = dict(posts.order_by().values("kind").annotate(n=Count("id")).values_list("kind", "n"))
    return Report(
        subject=subject,
        units=n_units,
        by_ownership=by_ownership,
        participants=participants,
        members=members,
        rate=rate(in_member_units, members),
        attempts=attempts.count(),
        quiz_answers=QuizAnswer.objects.filter(attempt__in=attempts.values("pk")).count(),
        practice_answers=subject.practice_answers().count(),
        actions=actions["n"],
        points=actions["points"],
        likes=PostLike.objects.filter(post__in=posts.values("pk")).count(),
        comments=Comment.objects.filter(post__in=posts.values("pk"), status=Post.Status.PUBLISHED).count(),
        posts=sum(kinds.values()),
        by_kind=[KindRow(value, label, kinds.get(value, 0)) for value, label in post_kind_labels().items()],
        unit_rows=unit_rows,
        days=_days(subject),
    )


# --- Excel: one workbook, a sheet per table ----------------------------------------------------------


Sheet = tuple[str, Sequence[str], Iterable[Sequence[Any]]]


def workbook(sheets: Sequence[Sheet]) -> bytes:
    """One .xlsx with a sheet per (title, headers, rows)."""
    return build_workbook_sheets(sheets)


def _pct(value: Decimal | None) -> Any:
    return float(value) if value is not None else ""


def report_sheets(rep: Report) -> list[Sheet]:
    summary = [
        (_("Covers"), rep.subject.title),
        (_("Participating units"), rep.units),
        (_("Participants"), rep.participants),
        (_("Union members of the participating units"), rep.members),
        (_("Participation rate (%)"), _pct(rep.rate)),
        (_("Quiz attempts"), rep.attempts),
        (_("Quiz answers"), rep.quiz_answers),
        (_("Practice answers"), rep.practice_answers),
        (_("Actions logged"), rep.actions),
        (_("Points awarded"), rep.points),
        (_("Likes"), rep.likes),
        (_("Comments"), rep.comments),
        (_("Posts"), rep.posts),
        *[(k.label, k.posts) for k in rep.by_kind],
    ]
    return [
        (_("Summary"), [_("Figure"), _("Value")], summary),
        (
            _("Units by ownership"),
            [_("Ownership type"), _("Units"), _("Share (%)")],
            [(r.label, r.units, float(r.share)) for r in rep.by_ownership],
        ),
        (
            _("Participation by unit"),
            [_("Unit"), _("Ownership type"), _("Union"), _("Participants"), _("Members"), _("Participation rate (%)")],
            [(u.name, u.ownership_label, u.union, u.participants, u.members, _pct(u.rate)) for u in rep.unit_rows],
        ),
        (_("Posts by kind"), [_("Kind"), _("Posts")], [(k.label, k.posts) for k in rep.by_kind]),
        (
            _("Activity per day"),
            [_("Date"), _("Quiz attempts"), _("Actions logged")],
            [(d.day, d.attempts, d.actions) for d in rep.days],
        ),
    ]


# --- campaign standings: the awards of the Wuyi campaign ------------------------------------------


@dataclass
class StandingRow:
    rank: int
    member: CampaignMember
    value: Any
    detail: str = ""


@dataclass
class TeamRow:
    rank: int
    team: CampaignTeam
    points: int
    members: int


@dataclass
class Standings:
    best_loss: list[StandingRow]
    persistence: list[StandingRow]
    best_team: list[TeamRow]
    value_labels: list[str]


def _ranked(values: list[Any]) -> list[int]:
    """Competition ranking (1, 2, 2, 4) of values already in order."""
    ranks, previous = [], object()
    for i, v in enumerate(values, start=1):
        ranks.append(ranks[-1] if ranks and v == previous else i)
        previous = v
    return ranks


def best_loss(campaign: Campaign, top: int = 20) -> list[StandingRow]:
    """First minus last measured value (e.g. weight) among the rules with a value label,
    for members measured at least twice; the largest loss first."""
    measured = PointAward.objects.filter(member=OuterRef("pk"), value__isnull=False).exclude(rule__value_label="")
    value_field = DecimalField(max_digits=10, decimal_places=2)
    members = (
        CampaignMember.objects.filter(campaign=campaign)
        .annotate(
            first_value=Subquery(measured.order_by("occurred_on", "id").values("value")[:1], output_field=value_field),
            last_value=Subquery(measured.order_by("-occurred_on", "-id").values("value")[:1], output_field=value_field),
            n_measured=Subquery(
                measured.order_by().values("member").annotate(c=Count("*")).values("c"), output_field=IntegerField()
            ),
        )
        .filter(n_measured__gte=2)
        .annotate(loss=ExpressionWrapper(F("first_value") - F("last_value"), output_field=value_field))
        .filter(loss__gt=0)
        .select_related("user", "team", "unit")
        .order_by("-loss", "-points", "user_id")[:top]
    )
    members = list(members)
    cents = Decimal("0.01")
    losses = [Decimal(m.loss).quantize(cents) for m in members]
    return [
        StandingRow(
            rank, m, loss, f"{Decimal(m.first_value).quantize(cents)} → {Decimal(m.last_value).quantize(cents)}"
        )
        for rank, m, loss in zip(_ranked(losses), members, losses, strict=True)
    ]


def persistence(campaign: Campaign, top: int = 20, today: dt.date | None = None) -> list[StandingRow]:
    """The longest run of consecutive days with points (selectors.streaks); ties by points."""
    today = today or min(timezone.localdate(), campaign.ends_on)
    days: dict[int, list[dt.date]] = {}
    pairs = (
        PointAward.objects.filter(campaign=campaign, points__gt=0)
        .order_by()
        .values_list("member_id", "occurred_on")
        .distinct()
    )
    for member_id, day in pairs:
        days.setdefault(member_id, []).append(day)
    longest = {member_id: streaks(ds, today)[1] for member_id, ds in days.items()}
    points = dict(CampaignMember.objects.filter(pk__in=list(longest)).values_list("pk", "points")) if longest else {}
    order = sorted(longest, key=lambda m: (-longest[m], -points.get(m, 0), m))[:top]
    members = CampaignMember.objects.select_related("user", "team", "unit").in_bulk(order)
    values = [longest[m] for m in order]
    return [
        StandingRow(rank, members[m], value)
        for rank, m, value in zip(_ranked(values), order, values, strict=True)
        if m in members
    ]


def best_team(campaign: Campaign, top: int = 3) -> list[TeamRow]:
    teams = list(
        CampaignTeam.objects.filter(campaign=campaign)
        .annotate(total=Coalesce(Sum("members__points"), 0), n=Count("members"))
        .order_by("-total", "name")[:top]
    )
    totals = [t.total for t in teams]
    return [TeamRow(rank, t, t.total, t.n) for rank, t in zip(_ranked(totals), teams, strict=True)]


def standings(campaign: Campaign, today: dt.date | None = None) -> Standings:
    labels = list(
        CampaignRule.objects.filter(campaign=campaign)
        .exclude(value_label="")
        .order_by("value_label")
        .values_list("value_label", flat=True)
        .distinct()
    )
    return Standings(
        best_loss=best_loss(campaign),
        persistence=persistence(campaign, today=today),
        best_team=best_team(campaign),
        value_labels=labels,
    )


def _who(m: CampaignMember) -> tuple[str, str, str]:
    return (
        m.user.full_name or m.user.username,
        m.unit.name if m.unit_id else "",
        m.team.name if m.team_id else "",
    )


def standings_sheets(st: Standings) -> list[Sheet]:
    who = [_("Name"), _("Unit"), _("Campaign team")]
    return [
        (
            _("Best weight loss"),
            [_("Rank"), *who, _("Loss"), _("First → last")],
            [(r.rank, *_who(r.member), float(r.value), r.detail) for r in st.best_loss],
        ),
        (
            _("Persistence"),
            [_("Rank"), *who, _("Longest streak (days)"), _("Points")],
            [(r.rank, *_who(r.member), r.value, r.member.points) for r in st.persistence],
        ),
        (
            _("Best team"),
            [_("Rank"), _("Campaign team"), _("Points"), _("Members")],
            [(r.rank, r.team.name, r.points, r.members) for r in st.best_team],
        ),
    ]


# --- question pools (for the paper rules editor) ----------------------------------------------------


def topic_counts(banks: QuerySet[QuestionBank]) -> dict[int, list[tuple[str, int]]]:
    """For each bank: its topics with their number of questions (one GROUP BY)."""
    out: dict[int, list[tuple[str, int]]] = {}
    rows = (
        Question.objects.filter(bank__in=banks)
        .order_by()
        .values("bank_id", "topic")
        .annotate(n=Count("id"))
        .order_by("bank_id", "topic")
        .values_list("bank_id", "topic", "n")
    )
    for bank_id, topic, n in rows:
        out.setdefault(bank_id, []).append((topic, n))
    return out


@dataclass
class PoolRow:
    topic: str
    by_difficulty: list[int]
    total: int


def pool_table(bank: QuestionBank) -> list[PoolRow]:
    """Questions of a bank by topic × difficulty: what a paper can draw."""
    cells: dict[str, dict[int, int]] = {}
    rows = (
        Question.objects.filter(bank=bank)
        .order_by()
        .values("topic", "difficulty")
        .annotate(n=Count("id"))
        .values_list("topic", "difficulty", "n")
    )
    for topic, difficulty, n in rows:
        cells.setdefault(topic, {})[difficulty] = n
    levels = [d for d, _label in Difficulty.choices]
    return [
        PoolRow(topic, [cells[topic].get(d, 0) for d in levels], sum(cells[topic].values())) for topic in sorted(cells)
    ]

"""Participation statistics of online practice: the framework, and what quizzes and free
practice add to it. Reads only; nothing here writes.

The figures are the ones the seeds report for Chongqing's online contest: participating
units (employers with at least one participant) by ownership type with their shares,
participants, attempts, quiz answers, actions, likes, comments, posts by kind, and the
participation rate of each unit (participants / union members of that employer). A report
covers one subject: a quiz, a points campaign, … (each owned by the app that registered a
`Source` for it), or all practice of the workers of an organisation's subtree ("org", which
every source adds to).

Each app reads its own models: practice registers the "quiz" source below, campaigns the
"campaign" source (campaigns/stats.py); the posts, likes and comments come from the
community's selectors. Every figure is one aggregate query (GROUP BY / COUNT / SUM), never a
loop over participants: the demo quiz has 10,000 of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deltaunion.community.selectors import post_figures, post_kind_labels
from deltaunion.core.excel import build_workbook_sheets
from deltaunion.orgs.models import Organisation
from deltaunion.orgs.scoping import managed_organisations
from deltaunion.people.models import Employer, Ownership, Worker

HUNDRED = Decimal(100)
ONE_PLACE = Decimal("0.1")


# --- the subject of a report and the sources of its figures ----------------------------------------


@dataclass(frozen=True)
class Subject:
    """What a report covers: an object of a source's kind ("quiz", "campaign"), or the
    workers of an organisation's subtree ("org")."""

    kind: str
    obj: Any

    @classmethod
    def for_org(cls, org: Organisation) -> Subject:
        return cls("org", org)

    @property
    def title(self) -> str:
        return str(self.obj)

    @property
    def org_path(self) -> str | None:
        return self.obj.path if self.kind == "org" else None


@dataclass(frozen=True)
class Source:
    """What one app adds to the statistics. `participants(subject)` gives querysets of
    (unit_id, user_id) rows; `figures(subject)` named counts (e.g. "attempts"); `days(subject)`
    per-day counts of its series ("attempts", "actions"). Each returns nothing for a subject
    that is not its kind or "org". `managed(user)` lists the user's own objects of its kind
    (for the subject choice), `managed_or_404(user, pk)` fetches one."""

    kind: str
    label: str | Promise
    managed: Callable[[Any], QuerySet]
    managed_or_404: Callable[[Any, int], Any]
    participants: Callable[[Subject], list[QuerySet]]
    figures: Callable[[Subject], dict[str, int]]
    days: Callable[[Subject], dict[str, dict[dt.date, int]]]
    series: tuple[str, ...] = ()


_SOURCES: dict[str, Source] = {}


def register(source: Source) -> Source:
    _SOURCES[source.kind] = source
    return source


def sources() -> list[Source]:
    return list(_SOURCES.values())


def subject_for(user: Any, kind: str, pk: int) -> Subject:
    """The subject `kind:pk` if the user manages it (404 otherwise)."""
    if kind == "org":
        org = managed_organisations(user).filter(pk=pk).first()
        if org is None:
            raise Http404("not found")
        return Subject.for_org(org)
    source = _SOURCES.get(kind)
    if source is None:
        raise Http404("not found")
    return Subject(kind, source.managed_or_404(user, pk))


def _applies(source: Source, subject: Subject) -> bool:
    return subject.kind in (source.kind, "org")


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


# --- participants ---------------------------------------------------------------------------------


def _participant_querysets(subject: Subject) -> list[QuerySet]:
    return [qs for s in sources() if _applies(s, subject) for qs in s.participants(subject)]


def _pairs_sql(subject: Subject) -> tuple[str, list[Any]]:
    """SQL of the distinct (unit_id, user_id) pairs of the subject's participants."""
    parts, params = [], []
    for qs in _participant_querysets(subject):
        sql, p = qs.order_by().values_list("unit_id", "user_id").query.sql_with_params()
        parts.append(sql)
        params.extend(p)
    if not parts:
        return "SELECT NULL AS unit_id, NULL AS user_id WHERE 1 = 0", []
    return " UNION ".join(parts), params


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall()


def participant_count(subject: Subject) -> int:
    pairs, params = _pairs_sql(subject)
    return _fetch(f"SELECT COUNT(DISTINCT p.user_id) FROM ({pairs}) p", params)[0][0] or 0


def participants_by_unit(subject: Subject) -> dict[int, int]:
    pairs, params = _pairs_sql(subject)
    sql = f"SELECT p.unit_id, COUNT(DISTINCT p.user_id) FROM ({pairs}) p WHERE p.unit_id IS NOT NULL GROUP BY p.unit_id"
    return {unit_id: n for unit_id, n in _fetch(sql, params)}


def participating_units(subject: Subject) -> QuerySet[Employer]:
    """Employers with at least one participant (as a queryset usable as a subquery)."""
    q = Q(pk__in=[])
    for qs in _participant_querysets(subject):
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
    unit_rows: list[UnitRow]
    by_kind: list[KindRow]
    likes: int = 0
    comments: int = 0
    posts: int = 0
    attempts: int = 0
    quiz_answers: int = 0
    practice_answers: int = 0
    actions: int = 0
    points: int = 0
    days: list[DayRow] = field(default_factory=list)
    series: tuple[str, ...] = ()

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
                "show_attempts": "attempts" in self.series,
                "show_actions": "actions" in self.series,
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


def _days(subject: Subject, applying: list[Source]) -> list[DayRow]:
    series: dict[str, dict[dt.date, int]] = {}
    for s in applying:
        for name, counts in s.days(subject).items():
            series[name] = counts
    attempts, actions = series.get("attempts", {}), series.get("actions", {})
    return [DayRow(d, attempts.get(d, 0), actions.get(d, 0)) for d in sorted(set(attempts) | set(actions))]


def report(subject: Subject) -> Report:
    applying = [s for s in sources() if _applies(s, subject)]
    units = participating_units(subject)
    n_units, by_ownership = _by_ownership(units)
    unit_rows = _unit_rows(subject, units)
    members = sum(u.members for u in unit_rows)
    in_member_units = sum(u.participants for u in unit_rows if u.members)
    figures: dict[str, int] = {}
    for s in applying:
        figures.update(s.figures(subject))
    contest = getattr(subject.obj, "contest", None)
    posts = post_figures(org_path=subject.org_path) if subject.kind == "org" else post_figures(about=[contest])
    return Report(
        subject=subject,
        units=n_units,
        by_ownership=by_ownership,
        participants=participant_count(subject),
        members=members,
        rate=rate(in_member_units, members),
        unit_rows=unit_rows,
        likes=posts.likes,
        comments=posts.comments,
        posts=posts.posts,
        by_kind=[KindRow(value, label, posts.by_kind.get(value, 0)) for value, label in post_kind_labels().items()],
        days=_days(subject, applying),
        series=tuple(name for s in applying for name in s.series),
        **figures,
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


# --- what quizzes and free practice add ----------------------------------------------------------


def _quiz_participants(subject: Subject) -> list[QuerySet]:
    from deltaunion.practice.models import QuizParticipant

    if subject.kind == "quiz":
        return [QuizParticipant.objects.filter(quiz=subject.obj)]
    return [QuizParticipant.objects.filter(organisation__path__startswith=subject.org_path)]


def _attempts(subject: Subject) -> QuerySet:
    from deltaunion.practice.models import QuizAttempt, QuizParticipant

    if subject.kind == "quiz":
        return QuizAttempt.objects.filter(quiz=subject.obj)
    mine = QuizParticipant.objects.filter(
        quiz=OuterRef("quiz_id"), user=OuterRef("user_id"), organisation__path__startswith=subject.org_path
    )
    return QuizAttempt.objects.filter(Exists(mine))


def _quiz_figures(subject: Subject) -> dict[str, int]:
    from deltaunion.practice.models import PracticeAnswer, QuizAnswer

    attempts = _attempts(subject)
    practice = 0
    if subject.kind == "org":
        practice = PracticeAnswer.objects.filter(user__worker__organisation__path__startswith=subject.org_path).count()
    return {
        "attempts": attempts.count(),
        "quiz_answers": QuizAnswer.objects.filter(attempt__in=attempts.values("pk")).count(),
        "practice_answers": practice,
    }


def _quiz_days(subject: Subject) -> dict[str, dict[dt.date, int]]:
    rows = _attempts(subject).order_by().annotate(day=TruncDate("started_at")).values("day").annotate(n=Count("id"))
    return {"attempts": dict(rows.values_list("day", "n"))}


def register_statistics() -> None:
    from deltaunion.practice import selectors

    register(
        Source(
            kind="quiz",
            label=gettext_lazy("Quizzes"),
            managed=selectors.quizzes_managed,
            managed_or_404=selectors.quiz_managed_or_404,
            participants=_quiz_participants,
            figures=_quiz_figures,
            days=_quiz_days,
            series=("attempts",),
        )
    )

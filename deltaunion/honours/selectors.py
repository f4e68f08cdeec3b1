"""Every read of the honours app other code may call, already scoped to the user.

Seeing is scoping (404 otherwise): a selection is seen by the officers of its organiser's
subtree, by the officers of the unions with places on it and by its experts once it is open,
and by everyone while it is on public notice or published. A nomination is seen by the
officers of the nominating union and of the organiser, and by the experts of its panel once it
is sent to them — never by an expert conflicted with it. What a user may *do* is in
`permissions.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from deltaunion.core.audit import HistoryItem, describe, history
from deltaunion.core.models import AuditEntry
from deltaunion.core.permissions import can
from deltaunion.honours.eligibility import conflict_reason
from deltaunion.honours.models import (
    Award,
    Category,
    Exhibition,
    ExhibitionItem,
    Honour,
    InnovationResult,
    MaterialAnswer,
    Nomination,
    Objection,
    Panel,
    PanelMember,
    ResultPhoto,
    Review,
    Selection,
    Studio,
    StudioCheck,
    StudioReport,
)
from deltaunion.honours.services.review import seat_for
from deltaunion.honours.standard import LEVEL_ORDER, REQUIRED_ITEMS, Industry, SevenHaves, StudioLevel
from deltaunion.orgs.models import Region
from deltaunion.orgs.scoping import scope_for

N = Nomination.Status
# The states of a nomination the experts see (it has been sent to them).
SENT_TO_EXPERTS = (N.IN_REVIEW, N.ON_NOTICE, N.NAMED, N.NOT_SELECTED, N.DISQUALIFIED)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


# --- selections ---------------------------------------------------------------------------------------------


def selection_visible_q(user: Any) -> Q:
    scope = scope_for(user)
    if scope.is_superuser:
        return Q(pk__isnull=False)
    q = Selection.scope_public_q()
    not_draft = ~Q(status=Selection.Status.DRAFT)
    if scope.is_manager:
        q |= scope.org_q("lead_org") | (scope.org_q("quotas__organisation") & not_draft)
    if scope.is_authenticated:
        q |= Q(panels__members__user_id=scope.user_id) & not_draft
    return q


def selection_for_user_or_404(user: Any, selection_id: int) -> Selection:
    ids = Selection.objects.filter(selection_visible_q(user)).filter(pk=selection_id).values("pk")
    selection = Selection.objects.select_related("lead_org", "key_task", "contest").filter(pk__in=ids).first()
    if selection is None:
        raise Http404("not found")
    return selection


@dataclass
class SelectionFilters:
    year: int | None = None
    status: str = ""
    q: str = ""

    @classmethod
    def parse(cls, data: Any) -> SelectionFilters:
        year = str(data.get("year", "")).strip()
        status = data.get("status", "")
        return cls(
            year=int(year) if year.isdigit() and 1949 <= int(year) <= 2100 else None,
            status=status if status in Selection.Status.values else "",
            q=str(data.get("q", "")).strip()[:100],
        )


def selection_list(*, user: Any, filters: SelectionFilters | None = None) -> QuerySet[Selection]:
    """The selections a user works on (organises, nominates for, reviews) or may read."""
    filters = filters or SelectionFilters()
    ids = Selection.objects.filter(selection_visible_q(user)).values("pk")
    qs = Selection.objects.filter(pk__in=ids).select_related("lead_org")
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.q:
        qs = qs.filter(title__icontains=filters.q)
    return qs.annotate(nomination_count=Count("nominations", distinct=True)).order_by("-year", "-id")


def selection_categories(selection: Selection) -> list[Category]:
    return list(
        selection.categories.select_related("honour")
        .prefetch_related("criteria", "panels")
        .annotate(nominated=Count("nominations", filter=~Q(nominations__status=N.WITHDRAWN), distinct=True))
    )


def selection_quotas(selection: Selection, user: Any) -> list[Any]:
    """The unions' places: all of them for the organisers, a union's own for its officers."""
    qs = selection.quotas.select_related("organisation").order_by("organisation__path")
    if can(user, "honours.manage_selection", selection):
        return list(qs)
    return list(qs.filter(scope_for(user).org_q("organisation")))


def my_quotas(selection: Selection, user: Any) -> list[Any]:
    """The quotas of the unions the user nominates for."""
    scope = scope_for(user)
    if not scope.is_manager:
        return []
    return list(selection.quotas.filter(scope.org_q("organisation")).select_related("organisation"))


# --- nominations ---------------------------------------------------------------------------------------------


def nomination_visible_q(user: Any) -> Q:
    scope = scope_for(user)
    if scope.is_superuser:
        return Q(pk__isnull=False)
    q = Q(pk__in=[])
    if scope.is_manager:
        q |= scope.org_q("organisation") | scope.org_q("selection__lead_org")
    if scope.is_authenticated:
        q |= Q(category__panels__members__user_id=scope.user_id, status__in=SENT_TO_EXPERTS)
    return q


def _only_an_expert(user: Any, nomination: Nomination) -> bool:
    return not (can(user, "honours.manage_selection", nomination) or can(user, "honours.nominate", nomination))


def nomination_for_user_or_404(user: Any, nomination_id: int) -> Nomination:
    ids = Nomination.objects.filter(nomination_visible_q(user)).filter(pk=nomination_id).values("pk")
    nomination = (
        Nomination.objects.select_related(
            "selection__lead_org",
            "category__honour",
            "organisation",
            "worker__employer",
            "worker__organisation",
            "studio__lead",
            "studio__employer",
            "result__studio",
            "team_employer",
        )
        .filter(pk__in=ids)
        .first()
    )
    if nomination is None:
        raise Http404("not found")
    if _only_an_expert(user, nomination):
        seat = seat_for(nomination, user)
        if seat is None or conflict_reason(seat, nomination):
            raise Http404("not found")
    return nomination


@dataclass
class NominationFilters:
    category: int | None = None
    status: str = ""
    organisation: int | None = None
    q: str = ""

    @classmethod
    def parse(cls, data: Any) -> NominationFilters:
        def number(key: str) -> int | None:
            raw = str(data.get(key, "")).strip()
            return int(raw) if raw.isdigit() and len(raw) < 12 else None

        status = data.get("status", "")
        return cls(
            category=number("category"),
            status=status if status in N.values else "",
            organisation=number("organisation"),
            q=str(data.get("q", "")).strip()[:100],
        )


def selection_nominations(
    selection: Selection, user: Any, filters: NominationFilters | None = None
) -> QuerySet[Nomination]:
    """The nominations of a selection the user may see on its page: every one for the
    organisers, its own for a nominating union."""
    filters = filters or NominationFilters()
    qs = selection.nominations.select_related(
        "category__honour", "organisation", "worker__employer", "studio", "result", "team_employer"
    )
    if not can(user, "honours.manage_selection", selection):
        scope = scope_for(user)
        qs = qs.filter(scope.org_q("organisation")) if scope.is_manager else qs.none()
    if filters.category:
        qs = qs.filter(category_id=filters.category)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.organisation:
        qs = qs.filter(organisation_id=filters.organisation)
    if filters.q:
        qs = qs.filter(
            Q(worker__name__icontains=filters.q)
            | Q(studio__name__icontains=filters.q)
            | Q(result__title__icontains=filters.q)
            | Q(team_name__icontains=filters.q)
        )
    return qs.order_by("category__order", "rank", "id")


def nomination_materials(nomination: Nomination) -> list[tuple[Any, MaterialAnswer | None]]:
    answers = {a.material_id: a for a in nomination.answers.all()}
    return [(m, answers.get(m.pk)) for m in nomination.selection.materials.all()]


def material_answer_for_user_or_404(user: Any, answer_id: int) -> MaterialAnswer:
    answer = MaterialAnswer.objects.select_related("nomination", "material").filter(pk=answer_id).first()
    if answer is None or not answer.file:
        raise Http404("not found")
    nomination_for_user_or_404(user, answer.nomination_id)
    return answer


def nomination_history(nomination: Nomination, user: Any) -> list[HistoryItem]:
    """The nomination's history, for the organisers and the nominating union."""
    if _only_an_expert(user, nomination):
        return []
    return history(nomination)


def nomination_objections(nomination: Nomination) -> list[Objection]:
    return list(nomination.objections.select_related("filed_by", "resolved_by"))


# --- the review ----------------------------------------------------------------------------------------------


def panel_of(nomination: Nomination) -> Panel | None:
    return Panel.objects.filter(categories=nomination.category_id).select_related("selection").first()


def visible_reviews(nomination: Nomination, user: Any) -> list[Review]:
    """Before the chair's sign-off an expert sees only their own sheet and the chair sees the
    panel's; after it, the panel and the organisers see every sheet."""
    panel = panel_of(nomination)
    qs = Review.objects.filter(nomination=nomination).select_related("member__user").order_by("id")
    if panel is not None and can(user, "honours.see_panel_scores", panel):
        return list(qs)
    if not _signed_in(user):
        return []
    return list(qs.filter(member__user=user))


def panel_for_user_or_404(user: Any, panel_id: int) -> Panel:
    panel = Panel.objects.select_related("selection__lead_org").filter(pk=panel_id).first()
    if panel is None or not (
        can(user, "honours.manage_selection", panel) or can(user, "honours.score_nomination", panel)
    ):
        raise Http404("not found")
    return panel


@dataclass
class BoardRow:
    nomination: Nomination
    sheets: int
    counted: int
    mine: Review | None
    totals: list[Decimal] = field(default_factory=list)  # shown only to who may see the scores
    mean: Decimal | None = None


def panel_board(panel: Panel, user: Any) -> list[BoardRow]:
    """The chair's and organisers' view of a panel: per nomination the sheets in, the flags and
    (for who may see scores) the totals in submission order."""
    see = can(user, "honours.see_panel_scores", panel)
    nominations = (
        Nomination.objects.filter(category__in=panel.categories.all(), status__in=SENT_TO_EXPERTS)
        .select_related("category__honour", "organisation", "worker", "studio", "result", "outlier_review")
        .prefetch_related(Prefetch("reviews", queryset=Review.objects.select_related("member__user").order_by("id")))
        .order_by("category__order", "rank", "id")
    )
    rows = []
    for n in nominations:
        reviews = list(n.reviews.all())
        counted = [r for r in reviews if not r.excluded]
        mine = next((r for r in reviews if r.member.user_id == getattr(user, "pk", None)), None)
        totals = [r.total for r in reviews] if see else []
        mean = (
            (sum((r.total for r in counted), Decimal(0)) / len(counted)).quantize(Decimal("0.01"))
            if see and counted
            else None
        )
        rows.append(
            BoardRow(nomination=n, sheets=len(reviews), counted=len(counted), mine=mine, totals=totals, mean=mean)
        )
    return rows


@dataclass
class WorkItem:
    nomination: Nomination
    panel: Panel
    mine: Review | None


def expert_worklist(user: Any) -> list[WorkItem]:
    """What an expert scores: the nominations in review on their panels, never one they are
    conflicted with, with their own sheet (if any)."""
    if not _signed_in(user):
        return []
    seats = list(
        PanelMember.objects.filter(user=user)
        .select_related("panel__selection", "employer", "city")
        .prefetch_related("panel__categories")
    )
    items: list[WorkItem] = []
    for seat in seats:
        categories = [c.pk for c in seat.panel.categories.all()]
        nominations = (
            Nomination.objects.filter(category__in=categories, status=N.IN_REVIEW)
            .select_related(
                "selection",
                "category__honour",
                "organisation",
                "worker__employer",
                "worker__organisation",
                "studio__employer",
                "studio__lead",
                "result__studio__employer",
                "team_employer",
            )
            .order_by("category__order", "id")
        )
        mine = {r.nomination_id: r for r in Review.objects.filter(member=seat)}
        for n in nominations:
            if conflict_reason(seat, n):
                continue
            items.append(WorkItem(nomination=n, panel=seat.panel, mine=mine.get(n.pk)))
    return items


def criteria_with_scores(nomination: Nomination, review: Review | None) -> list[tuple[Any, str]]:
    scores = (review.scores if review else {}) or {}
    return [(c, scores.get(str(c.pk), "")) for c in nomination.category.criteria.order_by("order", "id")]


# --- public notice and the roll of honour --------------------------------------------------------------------


def notice_nominations(selection: Selection) -> QuerySet[Nomination]:
    """What the public notice lists: the nominations on notice (and, after naming, those named)."""
    return (
        selection.nominations.filter(status__in=[N.ON_NOTICE, N.NAMED])
        .select_related(
            "category__honour", "organisation", "worker__employer", "studio__employer", "result", "team_employer"
        )
        .order_by("category__order", "rank", "id")
    )


def open_objections(selection: Selection) -> QuerySet[Objection]:
    return (
        Objection.objects.filter(nomination__selection=selection)
        .select_related("nomination", "filed_by")
        .order_by("status", "created_at")
    )


@dataclass
class RollFilters:
    honour: int | None = None
    year: int | None = None
    q: str = ""

    @classmethod
    def parse(cls, data: Any) -> RollFilters:
        honour = str(data.get("honour", "")).strip()
        year = str(data.get("year", "")).strip()
        return cls(
            honour=int(honour) if honour.isdigit() and len(honour) < 12 else None,
            year=int(year) if year.isdigit() and 1949 <= int(year) <= 2100 else None,
            q=str(data.get("q", "")).strip()[:100],
        )


def roll(filters: RollFilters | None = None) -> QuerySet[Award]:
    """The public roll of honour: valid honours of published selections only."""
    filters = filters or RollFilters()
    qs = Award.objects.filter(Award.scope_public_q()).select_related("honour", "selection", "organisation")
    if filters.honour:
        qs = qs.filter(honour_id=filters.honour)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.q:
        qs = qs.filter(Q(recipient_name__icontains=filters.q) | Q(employer_name__icontains=filters.q))
    return qs.order_by("-year", "honour__name", "nomination__rank", "id")


def roll_honours() -> list[Honour]:
    return list(Honour.objects.filter(awards__in=roll()).distinct().order_by("name"))


def roll_years() -> list[int]:
    return sorted(set(roll().values_list("year", flat=True)), reverse=True)


def certificate_verify(code: str) -> dict[str, Any] | None:
    """What the public verification page shows for a code, or None if unknown."""
    award = Award.objects.filter(code=(code or "").strip().upper()[:16]).select_related("honour", "selection").first()
    if award is None:
        return None
    return {
        "code": award.code,
        "valid": award.status == Award.Status.VALID and award.selection.status == Selection.Status.PUBLISHED,
        "name": award.recipient_name,
        "kind": award.get_recipient_kind_display(),
        "honour": award.honour.name,
        "selection": award.selection.title,
        "year": award.year,
        "named_on": award.named_on,
        "issuing_body": award.issuing_body,
        "employer": award.employer_name,
    }


def award_for_download(user: Any, code: str) -> Award | None:
    award = (
        Award.objects.filter(code=(code or "").strip().upper()[:16])
        .select_related("honour", "selection__lead_org", "worker", "organisation")
        .first()
    )
    return award if award is not None and can(user, "honours.download_certificate", award) else None


def award_for_download_or_404(user: Any, code: str) -> Award:
    """For anyone who may not download it, the same 404 as for an unknown code."""
    award = award_for_download(user, code)
    if award is None:
        raise Http404("not found")
    return award


def certificate_verify_url(code: str) -> str:
    return reverse("honours:certificate_verify", args=[code])


# --- the worker's own space ---------------------------------------------------------------------------------


def my_awards(user: Any) -> list[Award]:
    if not _signed_in(user):
        return []
    return list(
        Award.objects.filter(worker__user=user, status=Award.Status.VALID)
        .select_related("honour", "selection")
        .order_by("-named_on")
    )


def my_nominations(user: Any) -> list[Nomination]:
    """The worker's nominations the unions have made public (on notice or named)."""
    if not _signed_in(user):
        return []
    return list(
        Nomination.objects.filter(worker__user=user, status__in=[N.ON_NOTICE, N.NAMED])
        .select_related("selection", "category__honour")
        .order_by("-selection__year")
    )


def my_studios(user: Any) -> list[Studio]:
    if not _signed_in(user):
        return []
    return list(Studio.objects.filter(Q(lead__user=user) | Q(members__user=user)).distinct().order_by("name"))


def mine_count(user: Any) -> int:
    """For 我的: the worker's nominations on public notice now (worth a look)."""
    if not _signed_in(user):
        return 0
    return Nomination.objects.filter(worker__user=user, status=N.ON_NOTICE).count()


# --- studios -------------------------------------------------------------------------------------------------


def studio_visible_q(user: Any) -> Q:
    scope = scope_for(user)
    if scope.is_superuser:
        return Q(pk__isnull=False)
    q = Studio.scope_public_q()
    if scope.is_manager:
        q |= scope.org_q("organisation")
    return q


def studio_for_user_or_404(user: Any, studio_id: int) -> Studio:
    studio = (
        Studio.objects.filter(studio_visible_q(user))
        .select_related("organisation", "province", "employer", "lead")
        .filter(pk=studio_id)
        .first()
    )
    if studio is None:
        raise Http404("not found")
    return studio


@dataclass
class StudioFilters:
    province: str = ""
    level: str = ""
    industry: str = ""
    q: str = ""

    @classmethod
    def parse(cls, data: Any) -> StudioFilters:
        province = str(data.get("province", "")).strip()
        level = data.get("level", "")
        industry = data.get("industry", "")
        return cls(
            province=province if province.isdigit() and len(province) == 6 else "",
            level=level if level in (*StudioLevel.values, "none") else "",
            industry=industry if industry in Industry.values else "",
            q=str(data.get("q", "")).strip()[:100],
        )

    def apply(self, qs: QuerySet[Studio]) -> QuerySet[Studio]:
        if self.province:
            qs = qs.filter(province_id=self.province)
        if self.level == "none":
            qs = qs.filter(level="")
        elif self.level:
            qs = qs.filter(level=self.level)
        if self.industry:
            qs = qs.filter(industry=self.industry)
        if self.q:
            qs = qs.filter(Q(name__icontains=self.q) | Q(lead__name__icontains=self.q))
        return qs


def managed_studios(user: Any, filters: StudioFilters | None = None) -> QuerySet[Studio]:
    """The studios of the unions the officer manages."""
    scope = scope_for(user)
    qs = Studio.objects.filter(scope.org_q("organisation")) if scope.is_manager else Studio.objects.none()
    qs = (filters or StudioFilters()).apply(qs)
    return qs.select_related("organisation", "province", "employer", "lead").order_by("province_id", "name")


def public_studios(filters: StudioFilters | None = None) -> QuerySet[Studio]:
    qs = (filters or StudioFilters()).apply(Studio.objects.filter(Studio.scope_public_q()))
    return qs.select_related("organisation", "province", "employer", "lead").order_by("province_id", "name")


@dataclass
class CheckRow:
    item: str
    label: str
    evidence: str
    met: bool
    required_for: list[str]


def studio_checklist(studio: Studio) -> list[CheckRow]:
    """The seven items with their evidence, and the levels that require each."""
    checks = {c.item: c for c in StudioCheck.objects.filter(studio=studio)}
    rows = []
    for item, label in SevenHaves.choices:
        check = checks.get(item)
        rows.append(
            CheckRow(
                item=item,
                label=str(label),
                evidence=check.evidence if check else "",
                met=bool(check and check.met),
                required_for=[str(StudioLevel(lv).label) for lv in LEVEL_ORDER if item in REQUIRED_ITEMS[lv]],
            )
        )
    return rows


def studio_history(studio: Studio) -> list[HistoryItem]:
    """The studio's history with that of its checklist and reports."""
    checks = [str(pk) for pk in studio.checks.values_list("pk", flat=True)]
    reports = [str(pk) for pk in studio.reports.values_list("pk", flat=True)]
    entries = AuditEntry.objects.filter(
        Q(object_type="honours.studio", object_id=str(studio.pk))
        | Q(object_type="honours.studiocheck", object_id__in=checks)
        | Q(object_type="honours.studioreport", object_id__in=reports)
    ).select_related("actor")
    return describe(entries.order_by("-created_at", "-id")[:100])


# --- the alliance view ----------------------------------------------------------------------------------------


@dataclass
class Stats:
    studios: int
    by_province: list[dict[str, Any]]
    by_level: list[dict[str, Any]]
    by_industry: list[dict[str, Any]]
    years: list[dict[str, Any]]
    totals: dict[str, Any]


YEAR_FIGURES = ("topics", "projects", "results", "applied_results", "patents", "savings_yuan")


def alliance_stats(filters: StudioFilters | None = None) -> Stats:
    """The alliance's recognised studios by province, level and industry, and their yearly
    figures in the shape of the Inner Mongolia report (seeds/002): topics, projects, results, of
    them put into use, patents, and the economic benefit."""
    studios = public_studios(filters)
    total = studios.count()
    provinces = {r.code: r.name for r in Region.objects.filter(code__in=studios.values("province_id"))}
    by_province = [
        {
            "code": row["province_id"] or "",
            "name": provinces.get(row["province_id"], _("Not known")),
            "studios": row["n"],
        }
        for row in studios.values("province_id").annotate(n=Count("id")).order_by("province_id")
    ]
    level_counts = dict(studios.values_list("level").annotate(n=Count("id")))
    by_level = [
        {"code": value, "name": str(label), "studios": level_counts.get(value, 0)}
        for value, label in reversed(StudioLevel.choices)
    ]
    industry_counts = dict(studios.values_list("industry").annotate(n=Count("id")))
    by_industry = [
        {"code": value, "name": str(label), "studios": industry_counts[value]}
        for value, label in Industry.choices
        if industry_counts.get(value)
    ]
    reports = StudioReport.objects.filter(studio__in=studios)
    years = []
    for row in (
        reports.values("year")
        .annotate(studios=Count("studio", distinct=True), **{f: Sum(f) for f in YEAR_FIGURES})
        .order_by("year")
    ):
        years.append({**row, "applied_share": _share(row["applied_results"], row["results"])})
    sums = reports.aggregate(**{f: Sum(f) for f in YEAR_FIGURES})
    totals = {k: v or 0 for k, v in sums.items()}
    totals["applied_share"] = _share(totals["applied_results"], totals["results"])
    return Stats(
        studios=total, by_province=by_province, by_level=by_level, by_industry=by_industry, years=years, totals=totals
    )


def _share(part: Any, whole: Any) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part or 0) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def stats_sheets(stats: Stats) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The alliance statistics as Excel sheets (the same figures as the charts)."""
    year_headers = [
        _("Year"),
        _("Studios reporting"),
        _("Innovation topics"),
        _("Tackling projects"),
        _("Innovation results"),
        _("Results put into use"),
        _("Share put into use (%)"),
        _("Patents"),
        _("Economic benefit (yuan)"),
    ]
    year_rows = [
        [
            y["year"],
            y["studios"],
            y["topics"],
            y["projects"],
            y["results"],
            y["applied_results"],
            y["applied_share"] if y["applied_share"] is not None else "",
            y["patents"],
            y["savings_yuan"],
        ]
        for y in stats.years
    ]
    return [
        (_("Yearly figures"), year_headers, year_rows),
        (_("By level"), [_("Level"), _("Studios")], [[r["name"], r["studios"]] for r in stats.by_level]),
        (_("By province"), [_("Province"), _("Studios")], [[r["name"], r["studios"]] for r in stats.by_province]),
        (_("By industry"), [_("Industry"), _("Studios")], [[r["name"], r["studios"]] for r in stats.by_industry]),
    ]


def studio_export_rows(studios: Iterable[Studio]) -> Iterator[list[Any]]:
    for s in studios:
        yield [
            s.name,
            s.province.name if s.province_id else "",
            s.organisation.name,
            s.employer.name if s.employer_id else "",
            s.lead.name,
            s.get_industry_display(),
            s.get_level_display() if s.level else _("Not recognised yet"),
            s.founded_on.isoformat() if s.founded_on else "",
        ]


def studio_export_headers() -> list[str]:
    return [
        _("Studio name"),
        _("Province"),
        _("Union"),
        _("Employer"),
        _("Lead"),
        _("Industry"),
        _("Level"),
        _("Founded on"),
    ]


# --- results and exhibitions ------------------------------------------------------------------------------------


def result_visible_q(user: Any) -> Q:
    scope = scope_for(user)
    if scope.is_superuser:
        return Q(pk__isnull=False)
    q = InnovationResult.scope_public_q()
    if scope.is_manager:
        q |= scope.org_q("organisation")
    return q


def result_for_user_or_404(user: Any, result_id: int) -> InnovationResult:
    ids = InnovationResult.objects.filter(result_visible_q(user)).filter(pk=result_id).values("pk")
    result = (
        InnovationResult.objects.select_related("organisation", "studio", "contest")
        .prefetch_related("owners", "photos")
        .filter(pk__in=ids)
        .first()
    )
    if result is None:
        raise Http404("not found")
    return result


def photo_for_user_or_404(user: Any, photo_id: int) -> ResultPhoto:
    scope = scope_for(user)
    q = ResultPhoto.scope_public_q()
    if scope.is_superuser:
        q = Q(pk__isnull=False)
    elif scope.is_manager:
        q |= scope.org_q("result__organisation")
    photo = ResultPhoto.objects.filter(q).filter(pk=photo_id).select_related("result").distinct().first()
    if photo is None:
        raise Http404("not found")
    return photo


@dataclass
class ResultFilters:
    kind: str = ""
    studio: int | None = None
    q: str = ""

    @classmethod
    def parse(cls, data: Any) -> ResultFilters:
        from deltaunion.honours.models import ResultKind

        studio = str(data.get("studio", "")).strip()
        kind = data.get("kind", "")
        return cls(
            kind=kind if kind in ResultKind.values else "",
            studio=int(studio) if studio.isdigit() and len(studio) < 12 else None,
            q=str(data.get("q", "")).strip()[:100],
        )


def managed_results(user: Any, filters: ResultFilters | None = None) -> QuerySet[InnovationResult]:
    filters = filters or ResultFilters()
    scope = scope_for(user)
    qs = (
        InnovationResult.objects.filter(scope.org_q("organisation"))
        if scope.is_manager
        else InnovationResult.objects.none()
    )
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.studio:
        qs = qs.filter(studio_id=filters.studio)
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(patent_number__icontains=filters.q))
    return (
        qs.select_related("organisation", "studio", "contest")
        .prefetch_related("owners")
        .order_by("-achieved_on", "-id")
    )


def result_export_headers() -> list[str]:
    return [
        _("Title"),
        _("Kind of result"),
        _("Owners"),
        _("Studio"),
        _("Union"),
        _("Patent number"),
        _("Date"),
        _("Application"),
        _("Certified economic benefit (yuan)"),
        _("Benefit certified by"),
    ]


def result_export_rows(results: Iterable[InnovationResult]) -> Iterator[list[Any]]:
    from deltaunion.core.excel import list_join

    for r in results:
        yield [
            r.title,
            r.get_kind_display(),
            list_join(w.name for w in r.owners.all()),
            r.studio.name if r.studio_id else "",
            r.organisation.name,
            r.patent_number,
            r.achieved_on.isoformat() if r.achieved_on else "",
            r.get_application_status_display(),
            r.benefit_yuan if r.benefit_yuan is not None else "",
            r.benefit_certified_by,
        ]


def exhibition_for_user_or_404(user: Any, exhibition_id: int) -> Exhibition:
    scope = scope_for(user)
    q = Exhibition.scope_public_q()
    if scope.is_superuser:
        q = Q(pk__isnull=False)
    elif scope.is_manager:
        q |= scope.org_q("organisation")
    exhibition = Exhibition.objects.filter(q).select_related("organisation").filter(pk=exhibition_id).first()
    if exhibition is None:
        raise Http404("not found")
    return exhibition


def published_exhibitions() -> QuerySet[Exhibition]:
    return (
        Exhibition.objects.filter(status=Exhibition.Status.PUBLISHED)
        .select_related("organisation")
        .annotate(results=Count("items"))
        .order_by("-opens_on", "-id")
    )


def managed_exhibitions(user: Any) -> QuerySet[Exhibition]:
    scope = scope_for(user)
    if not scope.is_manager:
        return Exhibition.objects.none()
    return (
        Exhibition.objects.filter(scope.org_q("organisation"))
        .select_related("organisation")
        .annotate(results=Count("items"))
        .order_by("-opens_on", "-id")
    )


def exhibition_items(exhibition: Exhibition) -> list[ExhibitionItem]:
    return list(
        exhibition.items.select_related("result__studio", "result__organisation")
        .prefetch_related("result__owners", "result__photos")
        .order_by("position", "id")
    )


def curatable_results(exhibition: Exhibition, user: Any) -> QuerySet[InnovationResult]:
    """Results of the organiser's subtree, or of the unions the user manages, not yet in the exhibition."""
    scope = scope_for(user)
    q = Q(organisation__path__startswith=exhibition.organisation.path)
    if scope.is_manager:
        q |= scope.org_q("organisation")
    return (
        InnovationResult.objects.filter(q)
        .exclude(exhibition_items__exhibition=exhibition)
        .order_by("-achieved_on", "title")
    )


# --- key tasks ----------------------------------------------------------------------------------------------------


def key_task_evidence(task: Any) -> list[Any]:
    """For a key task a selection carries out (the first 长三角大工匠, the third studio
    selection): its state and how many honours are named against the places; for a key task an
    exhibition carries out (the alliance's exhibitions of results, the release of the major
    projects' innovation results): how many results it shows, complete once published."""
    if not getattr(task, "pk", None):
        return []
    return key_task_evidence_many([task])[task.pk]


def key_task_evidence_many(tasks: Iterable[Any]) -> dict[int, list[Any]]:
    """The evidence of many key tasks in five queries (a year's report lists every task)."""
    from deltaunion.core.registry import Evidence

    out: dict[int, list[Any]] = {t.pk: [] for t in tasks if getattr(t, "pk", None)}
    if not out:
        return out
    selections = list(Selection.objects.filter(key_task_id__in=list(out)).order_by("year", "id"))
    ids = [s.pk for s in selections]
    places = dict(Category.objects.filter(selection_id__in=ids).values_list("selection_id").annotate(n=Sum("places")))
    named = dict(
        Award.objects.filter(selection_id__in=ids, status=Award.Status.VALID)
        .values_list("selection_id")
        .annotate(n=Count("id"))
    )
    nominations = dict(
        Nomination.objects.filter(selection_id__in=ids)
        .exclude(status=N.WITHDRAWN)
        .values_list("selection_id")
        .annotate(n=Count("id"))
    )
    for selection in selections:
        url = reverse("honours:selection", args=[selection.pk])
        if selection.status == Selection.Status.PUBLISHED:
            evidence = Evidence(
                _("%(title)s: honours named") % {"title": selection.title},
                done=named.get(selection.pk, 0),
                target=places.get(selection.pk) or 0,
                complete=True,
                url=url,
            )
        else:
            evidence = Evidence(
                _("%(title)s: nominations (%(state)s)")
                % {"title": selection.title, "state": selection.get_status_display()},
                done=nominations.get(selection.pk, 0),
                url=url,
            )
        out[selection.key_task_id].append(evidence)
    exhibitions = Exhibition.objects.filter(key_task_id__in=list(out)).annotate(shown=Count("items"))
    for exhibition in exhibitions.order_by("opens_on", "id"):
        published = exhibition.status == Exhibition.Status.PUBLISHED
        out[exhibition.key_task_id].append(
            Evidence(
                _("%(title)s: results on show") % {"title": exhibition.title},
                done=exhibition.shown,
                complete=published and exhibition.shown > 0,
                url=reverse("honours:exhibition", args=[exhibition.pk]) if published else "",
            )
        )
    return out


key_task_evidence.many = key_task_evidence_many  # core.registry.key_task_evidence_of

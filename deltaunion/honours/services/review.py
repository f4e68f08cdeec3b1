"""The expert review: score sheets, the outlier check, the chair's decisions and sign-off.

Every write locks the nomination (scores) or the panel (sign-off) row first, so a score sheet
never lands after its panel was signed off and the outlier check sees every sheet.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deltaunion.contests.scoring import competition_ranks, q2
from deltaunion.core.audit import log_action
from deltaunion.core.permissions import require
from deltaunion.core.services import model_update
from deltaunion.honours.eligibility import conflict_reason
from deltaunion.honours.models import Criterion, Nomination, Panel, PanelMember, Review, Selection
from deltaunion.honours.outliers import find_outlier

HUNDRED = Decimal(100)


def weighted_total(criteria: list[Criterion], scores: dict[int, Decimal]) -> Decimal:
    """Σ weight × score / full marks, over Σ weight, on a 100 scale (2 places, half up)."""
    weights = sum((c.weight for c in criteria), Decimal(0))
    if weights <= 0:
        raise ValidationError(_("The category has no review criteria yet"))
    raw = sum((c.weight * scores[c.pk] / c.max_score for c in criteria), Decimal(0))
    return q2(HUNDRED * raw / weights)


def seat_for(nomination: Nomination, user: Any) -> PanelMember | None:
    """The user's seat on the panel that reviews the nomination's category."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        PanelMember.objects.filter(user=user, panel__categories=nomination.category_id)
        .select_related("panel", "employer", "city")
        .first()
    )


def _parse_scores(criteria: list[Criterion], raw: dict[Any, Any]) -> dict[int, Decimal]:
    given = {str(k): v for k, v in (raw or {}).items()}
    out: dict[int, Decimal] = {}
    errors: list[str] = []
    for c in criteria:
        value = given.get(str(c.pk))
        if value in (None, ""):
            errors.append(_("Score “%(name)s”") % {"name": c.name})
            continue
        try:
            number = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            errors.append(_("“%(name)s”: enter a number") % {"name": c.name})
            continue
        if not number.is_finite() or number < 0 or number > c.max_score:
            errors.append(_("“%(name)s”: a score from 0 to %(max)s") % {"name": c.name, "max": c.max_score})
            continue
        if number != number.quantize(Decimal("0.1")):
            errors.append(_("“%(name)s”: at most one decimal place") % {"name": c.name})
            continue
        out[c.pk] = number
    if errors:
        raise ValidationError(errors)
    return out


def _basis(reviews: list[Review]) -> str:
    text = ";".join(f"{r.pk}:{r.total}" for r in sorted(reviews, key=lambda r: r.pk))
    return hashlib.sha256(text.encode()).hexdigest()


def refresh_outlier(nomination: Nomination) -> Nomination:
    """Run Dixon's Q test (90 %) on the nomination's score sheets when they changed since it last
    ran: a flag for the chair, or none. A changed set of sheets undoes earlier decisions."""
    reviews = list(Review.objects.filter(nomination=nomination).order_by("pk"))
    basis = _basis(reviews)
    if basis == nomination.outlier_basis:
        return nomination
    Review.objects.filter(nomination=nomination, excluded=True).update(excluded=False)
    outlier = find_outlier([r.total for r in reviews])
    data = {
        "outlier_flagged": outlier is not None,
        "outlier_resolved": False,
        "outlier_review": reviews[outlier.index] if outlier else None,
        "outlier_q": outlier.q if outlier else None,
        "outlier_note": "",
        "outlier_basis": basis,
    }
    model_update(instance=nomination, fields=list(data), data=data, by=None, action="nomination.outlier_check")
    return nomination


@transaction.atomic
def review_submit(*, nomination: Nomination, by: Any, scores: dict[Any, Any], comment: str = "") -> Review:
    """An expert of the nomination's panel submits (or changes) their score sheet: a score per
    criterion; the total is out of 100. Never for a nomination the expert is conflicted with,
    never after the panel's sign-off."""
    nomination = Nomination.objects.select_for_update().select_related("selection", "category").get(pk=nomination.pk)
    require(by, "honours.score_nomination", nomination)
    seat = seat_for(nomination, by)
    if seat is None:
        raise ValidationError(_("You are not on the panel reviewing this category"))
    reason = conflict_reason(seat, nomination)
    if reason:
        raise ValidationError(_("You may not score this nomination (conflict of interest: %(why)s)") % {"why": reason})
    if nomination.status != Nomination.Status.IN_REVIEW:
        raise ValidationError(_("This nomination is not in expert review"))
    if nomination.selection.status not in (Selection.Status.OPEN, Selection.Status.REVIEW):
        raise ValidationError(_("The review of this selection is over"))
    if Panel.objects.filter(pk=seat.panel_id, signed_off_at__isnull=False).exists():
        raise ValidationError(_("The panel is signed off: its scores are locked"))
    criteria = list(Criterion.objects.filter(category=nomination.category_id).order_by("order", "id"))
    parsed = _parse_scores(criteria, scores)
    total = weighted_total(criteria, parsed)
    data = {"scores": {str(k): str(v) for k, v in parsed.items()}, "total": total, "comment": (comment or "").strip()}
    review = Review.objects.select_for_update().filter(nomination=nomination, member=seat).first()
    if review is None:
        review = Review.objects.create(nomination=nomination, member=seat, submitted_at=timezone.now(), **data)
        log_action(actor=by, action="review.submit", obj=review, after={"total": total})
    else:
        model_update(instance=review, fields=list(data), data=data, by=by)
    refresh_outlier(nomination)
    return review


@transaction.atomic
def outlier_resolve(*, nomination: Nomination, exclude: bool, note: str, by: Any) -> Nomination:
    """The chair decides on a flagged score: keep it, or set that sheet aside (it then counts
    nowhere), with a note."""
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    require(by, "honours.chair_panel", nomination)
    note = (note or "").strip()
    if not nomination.outlier_flagged or nomination.outlier_resolved:
        raise ValidationError(_("No outlying score is waiting for a decision"))
    if not note:
        raise ValidationError(_("Write the reason for the decision"))
    if Panel.objects.filter(categories=nomination.category_id, signed_off_at__isnull=False).exists():
        raise ValidationError(_("The panel is signed off: its scores are locked"))
    if exclude and nomination.outlier_review_id:
        review = Review.objects.select_for_update().get(pk=nomination.outlier_review_id)
        model_update(
            instance=review, fields=["excluded"], data={"excluded": True}, by=by, action="review.exclude", note=note
        )
    model_update(
        instance=nomination,
        fields=["outlier_resolved", "outlier_note"],
        data={"outlier_resolved": True, "outlier_note": note[:300]},
        by=by,
        action="nomination.outlier_resolve",
    )
    return nomination


def panel_nominations(panel: Panel):
    return Nomination.objects.filter(
        category__in=panel.categories.all(), status=Nomination.Status.IN_REVIEW
    ).select_related("category__honour")


def sign_off_problems(panel: Panel) -> list[str]:
    """What stands in the way of the chair's sign-off (empty: ready)."""
    minimum = panel.selection.min_reviews
    problems = []
    nominations = list(panel_nominations(panel))
    if not nominations:
        return [_("No nomination is in review on this panel")]
    for n in nominations:
        counted = Review.objects.filter(nomination=n, excluded=False).count()
        if counted < minimum:
            problems.append(
                _("%(name)s: %(n)d of %(min)d score sheets") % {"name": n.nominee_name, "n": counted, "min": minimum}
            )
        if n.outlier_flagged and not n.outlier_resolved:
            problems.append(_("%(name)s: an outlying score waits for the chair") % {"name": n.nominee_name})
    return problems


def rank_panel(panel: Panel) -> list[tuple[Nomination, Decimal, int]]:
    """Per category: the mean of the counted sheets (2 places, half up), best first; equal
    scores share a rank and the next rank skips (1, 1, 3), as in the contests' rankings."""
    out = []
    by_category: dict[int, list[tuple[Nomination, Decimal]]] = {}
    for n in panel_nominations(panel):
        totals = list(Review.objects.filter(nomination=n, excluded=False).values_list("total", flat=True))
        if totals:
            by_category.setdefault(n.category_id, []).append((n, q2(sum(totals, Decimal(0)) / len(totals))))
    for items in by_category.values():
        items.sort(key=lambda ns: (-ns[1], ns[0].pk))
        ranks = competition_ranks([(score,) for _n, score in items])
        out.extend((n, score, rank) for (n, score), rank in zip(items, ranks, strict=True))
    return out


@transaction.atomic
def panel_sign_off(*, panel: Panel, by: Any) -> Panel:
    """The chair signs the panel off: every nomination has its score sheets, no outlier waits.
    The nominations get their scores and ranks; the scores are locked and shown to the panel."""
    panel = Panel.objects.select_for_update().select_related("selection").get(pk=panel.pk)
    require(by, "honours.chair_panel", panel)
    if panel.signed_off_at is not None:
        raise ValidationError(_("The panel is already signed off"))
    if panel.selection.status != Selection.Status.REVIEW:
        raise ValidationError(_("Close the nominations before the sign-off"))
    Nomination.objects.select_for_update().filter(pk__in=panel_nominations(panel).values("pk")).exists()
    problems = sign_off_problems(panel)
    if problems:
        raise ValidationError(problems)
    ranked = rank_panel(panel)
    for nomination, score, rank in ranked:
        model_update(
            instance=nomination,
            fields=["score", "rank"],
            data={"score": score, "rank": rank},
            by=by,
            action="nomination.rank",
        )
    model_update(
        instance=panel,
        fields=["signed_off_at", "signed_off_by"],
        data={"signed_off_at": timezone.now(), "signed_off_by": by},
        by=by,
        action="panel.sign_off",
    )
    return panel

"""Pure scoring formulas for contests: no database, no Django models.

Numbers are `Decimal` throughout. The rounding rule (RULES_VERSION; shown to everyone on the
contest's rules page, with `worked_example`): every published figure — an aspect mark, the
practical and theory scores on the 100 scale, the weighted total and the standardised score —
is rounded to 2 decimal places, half up (四舍五入: 0.125 → 0.13, 0.135 → 0.14; never banker's
rounding), at the moment it is produced, and the next figure is computed from the rounded one.
Module scores and the practical score are sums of already-rounded aspect marks, so they add
up exactly as printed, and the total follows from the printed theory and practical figures:
a results sheet can be re-added with a calculator. A calculation that carries full precision
to the end may differ by a few hundredths (an aspect of 10 × 4/9 is 4.44 here, not 4.444…).

Standardised score (for comparing venues of one stage):
    s = 700 + 100 × (x − median) / σ
with σ the population standard deviation of the totals. The median competitor scores 700;
when everyone has the same total (σ = 0) everyone scores 700.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from statistics import median, pstdev

# The version of the rule below; stored and hashed with every published result set.
RULES_VERSION = "2025.1"
TWO_PLACES = Decimal("0.01")
ZERO = Decimal("0")
HUNDRED = Decimal("100")
JUDGEMENT_MAX_SCORE = 3
STANDARD_CENTRE = Decimal("700")
STANDARD_SCALE = Decimal("100")
DEFAULT_TIE_BREAKS = ("modules_reverse", "theory")
TIE_BREAKS = frozenset({"modules_reverse", "modules", "theory", "practical"})


class ScoringError(ValueError):
    """An input the formulas cannot score (the service turns it into a ValidationError)."""


def q2(value: Decimal | int | str) -> Decimal:
    """2 decimal places, half up (四舍五入)."""
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


# --- aspects -------------------------------------------------------------------


def judgement_mark(max_mark: Decimal, scores: Sequence[int | Decimal]) -> Decimal:
    """max × Σscores / (3 × judges), each score 0–3 (whole points)."""
    if not scores:
        raise ScoringError("no scores")
    for s in scores:
        if Decimal(s) != Decimal(s).to_integral_value() or not 0 <= s <= JUDGEMENT_MAX_SCORE:
            raise ScoringError(f"score {s} outside 0..3")
    return judgement_mark_from_sum(max_mark, sum(Decimal(s) for s in scores), len(scores))


def judgement_mark_from_sum(max_mark: Decimal, score_sum: Decimal, judges: int) -> Decimal:
    """The same formula from Σscores and the number of judges (what a GROUP BY gives)."""
    if judges <= 0:
        raise ScoringError("no judges")
    return q2(Decimal(max_mark) * Decimal(score_sum) / (JUDGEMENT_MAX_SCORE * judges))


def judgement_spread_flag(scores: Sequence[int | Decimal]) -> bool:
    """Scores that differ by more than 1 point between judges are flagged for discussion."""
    return len(scores) > 1 and max(scores) - min(scores) > 1


@dataclass(frozen=True)
class Band:
    tolerance: Decimal
    share: Decimal


def parse_bands(raw: Sequence[dict]) -> list[Band]:
    """Bands from JSON ([{"tolerance": "0.05", "share": "1"}, …]), sorted tightest first."""
    try:
        bands = [Band(Decimal(str(b["tolerance"])), Decimal(str(b["share"]))) for b in raw]
    except (KeyError, TypeError, ArithmeticError) as exc:
        raise ScoringError("bad band") from exc
    for b in bands:
        if b.tolerance < 0 or not ZERO <= b.share <= 1:
            raise ScoringError("band out of range")
    return sorted(bands, key=lambda b: b.tolerance)


def measurement_mark(
    max_mark: Decimal, value: Decimal, *, target: Decimal | None = None, bands: Sequence[Band] = ()
) -> Decimal:
    """Full-or-zero (no bands: `value` must be 0 or max) or partial by tolerance band
    (`value` is the measured quantity; the first band covering |value − target| gives its share)."""
    max_mark, value = Decimal(max_mark), Decimal(value)
    if not bands:
        if value not in (ZERO, max_mark):
            raise ScoringError("full or zero")
        return q2(value)
    if target is None:
        raise ScoringError("bands need a target")
    deviation = abs(value - Decimal(target))
    for band in bands:
        if deviation <= band.tolerance:
            return q2(max_mark * band.share)
    return q2(ZERO)


# --- totals --------------------------------------------------------------------


def scale_100(score: Decimal, full: Decimal) -> Decimal:
    if full <= 0:
        raise ScoringError("full marks must be positive")
    return q2(HUNDRED * Decimal(score) / Decimal(full))


def weighted_total(
    *,
    theory: Decimal | None,
    theory_max: Decimal,
    practical: Decimal,
    practical_max: Decimal,
    theory_weight: Decimal = Decimal("0.3"),
    practical_weight: Decimal = Decimal("0.7"),
) -> Decimal:
    """Theory and practical, each put on a 100 scale, combined by weights summing to 1.
    A missing theory score counts as 0."""
    return total_breakdown(
        theory=theory,
        theory_max=theory_max,
        practical=practical,
        practical_max=practical_max,
        theory_weight=theory_weight,
        practical_weight=practical_weight,
    ).total


@dataclass(frozen=True)
class TotalBreakdown:
    """The printed steps of a total: each figure rounded as it is produced."""

    theory_percent: Decimal  # theory on the 100 scale
    practical_percent: Decimal  # practical on the 100 scale
    total: Decimal


def total_breakdown(
    *,
    theory: Decimal | None,
    theory_max: Decimal,
    practical: Decimal,
    practical_max: Decimal,
    theory_weight: Decimal,
    practical_weight: Decimal,
) -> TotalBreakdown:
    """The weighted total with the two figures on the 100 scale it is computed from:
    total = q2(theory weight × theory % + practical weight × practical %)."""
    if theory_weight < 0 or practical_weight < 0 or theory_weight + practical_weight != 1:
        raise ScoringError("weights must be non-negative and sum to 1")
    # Both figures are printed even when one of them does not count (weight 0).
    t = scale_100(theory or ZERO, theory_max) if theory_weight or theory_max > 0 else ZERO
    p = scale_100(practical, practical_max) if practical_weight or practical_max > 0 else ZERO
    return TotalBreakdown(t, p, q2(Decimal(theory_weight) * t + Decimal(practical_weight) * p))


@dataclass(frozen=True)
class WorkedExample:
    """The example of the rules page, computed by the engine's own formulas: three judged
    aspects of 10 marks, each scored 1, 1 and 2 by three judges, make one module."""

    aspect_max: Decimal
    judge_scores: tuple[int, ...]
    aspects: int
    aspect_mark: Decimal  # printed
    aspect_exact: Decimal  # carried at full precision (shown to 4 places)
    module: Decimal
    module_exact: Decimal
    practical_max: Decimal
    practical_percent: Decimal
    practical_percent_exact: Decimal
    theory: Decimal
    theory_max: Decimal
    theory_percent: Decimal
    theory_weight: Decimal
    practical_weight: Decimal
    total: Decimal
    total_exact: Decimal
    half_up: tuple[tuple[Decimal, Decimal], ...]  # (value, rounded) pairs


def worked_example(
    theory_weight: Decimal = Decimal("0.3"), practical_weight: Decimal = Decimal("0.7")
) -> WorkedExample:
    """A hand calculation where the rounding matters, done by the formulas the engine uses."""
    aspect_max, scores, aspects = Decimal(10), (1, 1, 2), 3
    aspect_mark = judgement_mark(aspect_max, scores)
    aspect_exact = aspect_max * sum(scores) / (JUDGEMENT_MAX_SCORE * len(scores))
    module = sum([aspect_mark] * aspects, ZERO)
    practical_max = aspect_max * aspects
    theory, theory_max = Decimal(80), Decimal(100)
    steps = total_breakdown(
        theory=theory,
        theory_max=theory_max,
        practical=module,
        practical_max=practical_max,
        theory_weight=theory_weight,
        practical_weight=practical_weight,
    )
    exact_percent = HUNDRED * aspect_exact * aspects / practical_max
    exact_total = theory_weight * HUNDRED * theory / theory_max + practical_weight * exact_percent

    def four(value: Decimal) -> Decimal:
        return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)

    return WorkedExample(
        aspect_max=aspect_max,
        judge_scores=scores,
        aspects=aspects,
        aspect_mark=aspect_mark,
        aspect_exact=four(aspect_exact),
        module=module,
        module_exact=four(aspect_exact * aspects),
        practical_max=practical_max,
        practical_percent=steps.practical_percent,
        practical_percent_exact=four(exact_percent),
        theory=theory,
        theory_max=theory_max,
        theory_percent=steps.theory_percent,
        theory_weight=theory_weight,
        practical_weight=practical_weight,
        total=steps.total,
        total_exact=four(exact_total),
        half_up=tuple((Decimal(v), q2(v)) for v in ("0.125", "0.135", "4.445")),
    )


# --- ranking -------------------------------------------------------------------


@dataclass(frozen=True)
class CompetitorScore:
    """A format-neutral score: what every format's strategy hands to the ranking."""

    key: str  # the secret number (or another anonymous key)
    total: Decimal
    modules: tuple[Decimal, ...] = ()
    theory: Decimal | None = None
    practical: Decimal = ZERO
    extra: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Ranked:
    score: CompetitorScore
    rank: int
    standardised: Decimal | None = None


def tie_break_vector(score: CompetitorScore, tie_breaks: Sequence[str]) -> tuple:
    parts: list[Decimal] = []
    for tb in tie_breaks:
        if tb == "modules_reverse":
            parts.extend(reversed(score.modules))
        elif tb == "modules":
            parts.extend(score.modules)
        elif tb == "theory":
            parts.append(score.theory if score.theory is not None else ZERO)
        elif tb == "practical":
            parts.append(score.practical)
        else:
            raise ScoringError(f"unknown tie-break {tb}")
    return tuple(parts)


def competition_ranks(keys: Sequence[tuple]) -> list[int]:
    """Standard competition ranking of keys sorted best first: equal keys share a rank and
    the next rank skips (1, 1, 3)."""
    ranks: list[int] = []
    for i, k in enumerate(keys):
        ranks.append(ranks[-1] if i and k == keys[i - 1] else i + 1)
    return ranks


def rank_scores(
    scores: Sequence[CompetitorScore], *, tie_breaks: Sequence[str] = DEFAULT_TIE_BREAKS, standardise: bool = False
) -> list[Ranked]:
    """Order by total then the tie-breaks (all higher-is-better); what is still equal shares a
    rank. The secret number orders equal competitors for display only."""
    keyed = [((s.total, *tie_break_vector(s, tie_breaks)), s) for s in scores]
    keyed.sort(key=lambda ks: (tuple(-x for x in ks[0]), ks[1].key))
    ranks = competition_ranks([k for k, _s in keyed])
    std = standardised_scores([s.total for _k, s in keyed]) if standardise else [None] * len(keyed)
    return [Ranked(score=s, rank=r, standardised=z) for (_k, s), r, z in zip(keyed, ranks, std, strict=True)]


def standardised_scores(totals: Sequence[Decimal]) -> list[Decimal]:
    """700 + 100 × (x − median) / σ (population σ); all 700 when σ = 0. Order preserved."""
    if not totals:
        return []
    values = [Decimal(t) for t in totals]
    mid = Decimal(median(values))
    sigma = Decimal(pstdev(values))
    if sigma == 0:
        return [q2(STANDARD_CENTRE) for _ in values]
    return [q2(STANDARD_CENTRE + STANDARD_SCALE * (v - mid) / sigma) for v in values]


# --- re-check sample ------------------------------------------------------------


def recheck_sample(
    keys_in_rank_order: Sequence[str], *, top: int = 10, share: Decimal = Decimal("0.15"), seed: str
) -> tuple[list[str], list[str]]:
    """(top keys, sampled keys): every one of the first `top`, plus ceil(share × rest) drawn
    from the rest by `random.Random(seed)` over the rest sorted by key (reproducible)."""
    head = list(keys_in_rank_order[:top])
    rest = sorted(keys_in_rank_order[top:])
    n = min(len(rest), math.ceil(Decimal(share) * len(rest)))
    return head, sorted(random.Random(seed).sample(rest, n))


def error_rate(checked: int, errors: int) -> Decimal:
    return Decimal(errors) / Decimal(checked) if checked else ZERO


def needs_full_recheck(checked: int, errors: int, limit: Decimal = Decimal("0.05")) -> bool:
    return error_rate(checked, errors) > limit


# --- prizes --------------------------------------------------------------------


def prize_for_rank(rank: int, field_size: int, tiers: Sequence[tuple[int | None, Decimal | None]]) -> int | None:
    """Index of the first tier (rank_to, share) covering `rank`; share tiers cover ranks up to
    ceil(share × field size). None when no tier covers it."""
    for i, (rank_to, share) in enumerate(tiers):
        limit = rank_to if rank_to is not None else math.ceil(Decimal(share) * field_size)
        if rank <= limit:
            return i
    return None

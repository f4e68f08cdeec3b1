"""Dixon's Q test for one outlying expert score: pure, no database, no Django.

The panel's scores of one nomination (3 to 10 experts) are sorted; the gap between the lowest
(or highest) score and its neighbour, divided by the range, is Q (Dixon's r10 ratio):

    Q_low  = (x2 − x1) / (xn − x1)        Q_high = (xn − xn−1) / (xn − x1)

The score with the larger Q is the suspect; it is flagged for the panel chair when Q exceeds
the critical value at 90 % confidence for n scores. The test finds at most one outlier and is
applied once to a set of scores (Dean and Dixon, 1951): the chair decides, the test does not
run again on the same scores. With fewer than 3 or more than 10 scores, or all scores equal,
nothing is flagged.

Critical values Q90 (α = 0.10) for r10, n = 3…10, from
    D. B. Rorabacher, "Statistical Treatment for Rejection of Deviant Values: Critical Values
    of Dixon's 'Q' Parameter and Related Subrange Ratios at the 95% Confidence Level",
    Analytical Chemistry 63 (2), 139–146 (1991), Table II (r10, α = 0.10);
the same figures as Dean & Dixon's table ("Simplified Statistics for Small Numbers of
Observations", Anal. Chem. 23 (4), 636–638, 1951) to two places.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

# n → Q90 (Rorabacher 1991, r10, α = 0.10).
Q90: dict[int, Decimal] = {
    3: Decimal("0.941"),
    4: Decimal("0.765"),
    5: Decimal("0.642"),
    6: Decimal("0.560"),
    7: Decimal("0.507"),
    8: Decimal("0.468"),
    9: Decimal("0.437"),
    10: Decimal("0.412"),
}
MIN_SCORES, MAX_SCORES = min(Q90), max(Q90)


@dataclass(frozen=True)
class Outlier:
    index: int  # the position of the suspect score in the list given
    value: Decimal
    q: Decimal  # the computed ratio, rounded to 3 places for display
    critical: Decimal
    side: str  # "low" or "high"


def dixon_q(values: Sequence[Decimal | int | float | str]) -> tuple[Decimal, Decimal, int, str] | None:
    """(Q_low, Q_high, index of the suspect, side) for 3–10 values with a non-zero range; else None."""
    xs = [Decimal(str(v)) for v in values]
    n = len(xs)
    if n < MIN_SCORES or n > MAX_SCORES:
        return None
    order = sorted(range(n), key=lambda i: (xs[i], i))
    low, high = xs[order[0]], xs[order[-1]]
    spread = high - low
    if spread == 0:
        return None
    q_low = (xs[order[1]] - low) / spread
    q_high = (high - xs[order[-2]]) / spread
    if q_high >= q_low:
        return q_low, q_high, order[-1], "high"
    return q_low, q_high, order[0], "low"


def find_outlier(values: Sequence[Decimal | int | float | str]) -> Outlier | None:
    """The one score that Dixon's Q test at 90 % flags among 3–10 scores, or None.

    A score is flagged when its Q is strictly greater than Q90 for n (Q equal to the critical
    value is not significant)."""
    result = dixon_q(values)
    if result is None:
        return None
    q_low, q_high, index, side = result
    q = q_high if side == "high" else q_low
    critical = Q90[len(values)]
    if q <= critical:
        return None
    return Outlier(
        index=index,
        value=Decimal(str(values[index])),
        q=q.quantize(Decimal("0.001")),
        critical=critical,
        side=side,
    )

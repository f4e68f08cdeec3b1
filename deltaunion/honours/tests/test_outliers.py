"""Dixon's Q test at 90 % against the published critical values (Rorabacher 1991, r10, α = 0.10)
and worked examples; no database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deltaunion.honours.outliers import Q90, dixon_q, find_outlier

# Rorabacher (1991), Anal. Chem. 63, 139–146, Table II, r10 at 90 % confidence.
PUBLISHED_Q90 = {3: "0.941", 4: "0.765", 5: "0.642", 6: "0.560", 7: "0.507", 8: "0.468", 9: "0.437", 10: "0.412"}


def test_the_table_is_the_published_one():
    assert {n: str(v) for n, v in Q90.items()} == PUBLISHED_Q90


def test_the_textbook_example_is_flagged_at_90_percent():
    # The classic ten replicates: 0.167 is suspect; Q = (0.177 − 0.167) / (0.189 − 0.167) = 0.455 > 0.412.
    values = ["0.189", "0.167", "0.187", "0.183", "0.186", "0.182", "0.181", "0.184", "0.181", "0.177"]
    outlier = find_outlier(values)
    assert outlier is not None
    assert outlier.index == 1 and outlier.side == "low" and outlier.q == Decimal("0.455")
    assert outlier.critical == Decimal("0.412")


def _with_q(n: int, q: Decimal) -> list[Decimal]:
    """n scores whose highest is an outlier with exactly Q = q: n − 1 scores spread over [0, 1 − q],
    the last at 1 (range 1, gap q)."""
    rest = [Decimal(i) * (1 - q) / (n - 2) for i in range(n - 1)]
    return [*rest, Decimal(1)]


@pytest.mark.parametrize("n", sorted(PUBLISHED_Q90))
def test_flagged_just_above_the_critical_value_and_not_at_or_below_it(n):
    critical = Decimal(PUBLISHED_Q90[n])
    above = find_outlier(_with_q(n, critical + Decimal("0.002")))
    assert above is not None and above.index == n - 1 and above.side == "high"
    assert find_outlier(_with_q(n, critical)) is None
    assert find_outlier(_with_q(n, critical - Decimal("0.002"))) is None


def test_three_experts_one_far_away():
    # 88, 90, 40: Q = (88 − 40) / (90 − 40) = 0.96 > 0.941.
    outlier = find_outlier([88, 90, 40])
    assert outlier is not None and outlier.value == 40 and outlier.side == "low"
    # 80, 90, 40: Q = 40 / 50 = 0.8 ≤ 0.941: not flagged.
    assert find_outlier([80, 90, 40]) is None


def test_outside_three_to_ten_or_no_spread_nothing_is_flagged():
    assert find_outlier([1, 100]) is None
    assert find_outlier([1] * 10 + [100]) is None  # 11 scores: the table stops at 10
    assert find_outlier([85, 85, 85, 85]) is None
    assert dixon_q([85, 85, 85]) is None


@settings(max_examples=60)
@given(st.lists(st.decimals(min_value=0, max_value=100, places=2), min_size=3, max_size=10))
def test_a_flag_names_the_extreme_score_and_is_above_the_table(values):
    outlier = find_outlier(values)
    if outlier is None:
        return
    assert outlier.value in (min(values), max(values))
    assert Decimal(str(values[outlier.index])) == outlier.value
    result = dixon_q(values)
    q = result[1] if outlier.side == "high" else result[0]
    assert q > Q90[len(values)]


def test_a_tie_between_the_two_ends_names_the_high_end():
    q_low, q_high, index, side = dixon_q([1, 5, 5, 5, 9])
    assert q_low == q_high and (index, side) == (4, "high")

"""The pure formulas (no database)."""

from __future__ import annotations

from decimal import Decimal
from statistics import median

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deltaunion.contests import scoring
from deltaunion.contests.scoring import CompetitorScore

marks = st.decimals(min_value=0, max_value=100, places=2)
maxes = st.decimals(min_value=Decimal("0.5"), max_value=100, places=2)


@given(max_mark=maxes, scores=st.lists(st.integers(0, 3), min_size=3, max_size=9))
def test_judgement_mark_formula_and_bounds(max_mark, scores):
    mark = scoring.judgement_mark(max_mark, scores)
    expected = scoring.q2(max_mark * sum(scores) / (3 * len(scores)))
    assert mark == expected
    assert Decimal(0) <= mark <= max_mark
    if all(s == 3 for s in scores):
        assert mark == scoring.q2(max_mark)
    if all(s == 0 for s in scores):
        assert mark == 0


def test_judgement_mark_known_value_and_rounding():
    # 10 × (2+2+3) / 9 = 7.777… → 7.78 (half up, 2 places)
    assert scoring.judgement_mark(Decimal("10"), [2, 2, 3]) == Decimal("7.78")
    assert scoring.judgement_mark(Decimal("30"), [3, 3, 3]) == Decimal("30.00")
    with pytest.raises(scoring.ScoringError):
        scoring.judgement_mark(Decimal("10"), [4, 1, 1])


@given(scores=st.lists(st.integers(0, 3), min_size=2, max_size=6))
def test_spread_flag_is_more_than_one_point(scores):
    assert scoring.judgement_spread_flag(scores) == (max(scores) - min(scores) > 1)


def test_measurement_full_or_zero_and_bands():
    assert scoring.measurement_mark(Decimal("20"), Decimal("20")) == Decimal("20.00")
    assert scoring.measurement_mark(Decimal("20"), Decimal("0")) == Decimal("0.00")
    with pytest.raises(scoring.ScoringError):
        scoring.measurement_mark(Decimal("20"), Decimal("7"))
    bands = scoring.parse_bands([{"tolerance": "0.10", "share": "0.5"}, {"tolerance": "0.05", "share": "1"}])
    t = Decimal("5")
    assert scoring.measurement_mark(Decimal("10"), Decimal("5.04"), target=t, bands=bands) == Decimal("10.00")
    assert scoring.measurement_mark(Decimal("10"), Decimal("4.92"), target=t, bands=bands) == Decimal("5.00")
    assert scoring.measurement_mark(Decimal("10"), Decimal("5.2"), target=t, bands=bands) == Decimal("0.00")


@given(theory=marks, practical=marks, w=st.integers(0, 100))
def test_weighted_total_is_weighted_mean_on_100_scale(theory, practical, w):
    tw = Decimal(w) / 100
    total = scoring.weighted_total(
        theory=theory,
        theory_max=Decimal(100),
        practical=practical,
        practical_max=Decimal(100),
        theory_weight=tw,
        practical_weight=1 - tw,
    )
    assert min(theory, practical) - Decimal("0.01") <= total <= max(theory, practical) + Decimal("0.01")
    assert total == scoring.q2(tw * theory + (1 - tw) * practical)


def test_weighted_total_default_30_70_and_scaling():
    # theory 80/100, practical 45/50 (= 90): 0.3×80 + 0.7×90 = 87
    total = scoring.weighted_total(
        theory=Decimal(80), theory_max=Decimal(100), practical=Decimal(45), practical_max=Decimal(50)
    )
    assert total == Decimal("87.00")
    with pytest.raises(scoring.ScoringError):
        scoring.weighted_total(
            theory=Decimal(1),
            theory_max=Decimal(1),
            practical=Decimal(1),
            practical_max=Decimal(1),
            theory_weight=Decimal("0.5"),
            practical_weight=Decimal("0.6"),
        )


def test_shared_ranks_1_1_3():
    assert scoring.competition_ranks([(9,), (9,), (8,), (7,), (7,), (7,), (1,)]) == [1, 1, 3, 4, 4, 4, 7]
    scores = [
        CompetitorScore("003", Decimal(80)),
        CompetitorScore("001", Decimal(90)),
        CompetitorScore("002", Decimal(90)),
    ]
    ranked = scoring.rank_scores(scores, tie_breaks=())
    assert [(r.score.key, r.rank) for r in ranked] == [("001", 1), ("002", 1), ("003", 3)]


@given(totals=st.lists(st.integers(0, 20), min_size=1, max_size=30))
def test_ranks_are_competition_ranks(totals):
    scores = [CompetitorScore(f"{i:03d}", Decimal(t)) for i, t in enumerate(totals)]
    ranked = scoring.rank_scores(scores, tie_breaks=())
    for r in ranked:
        assert r.rank == 1 + sum(1 for t in totals if t > r.score.total)


def test_default_tie_breaks_last_module_first_then_theory():
    a = CompetitorScore("A", Decimal(80), modules=(Decimal(50), Decimal(30)), theory=Decimal(70))
    b = CompetitorScore("B", Decimal(80), modules=(Decimal(40), Decimal(40)), theory=Decimal(60))
    c = CompetitorScore("C", Decimal(80), modules=(Decimal(40), Decimal(40)), theory=Decimal(90))
    d = CompetitorScore("D", Decimal(80), modules=(Decimal(40), Decimal(40)), theory=Decimal(90))
    ranked = scoring.rank_scores([a, b, c, d])
    assert [(r.score.key, r.rank) for r in ranked] == [("C", 1), ("D", 1), ("B", 3), ("A", 4)]
    # Tie-breaks off: all share rank 1.
    assert {r.rank for r in scoring.rank_scores([a, b, c, d], tie_breaks=())} == {1}
    # Theory first: C, D, A, B.
    assert [r.score.key for r in scoring.rank_scores([a, b, c, d], tie_breaks=("theory",))][2:] == ["A", "B"]
    with pytest.raises(scoring.ScoringError):
        scoring.rank_scores([a], tie_breaks=("coin",))


@given(
    totals=st.lists(st.decimals(min_value=0, max_value=100, places=2), min_size=1, max_size=41).filter(
        lambda v: len(v) % 2 == 1
    )
)
def test_standardised_median_is_700(totals):
    std = scoring.standardised_scores(totals)
    assert median(std) == Decimal("700.00")
    # Order is preserved: a higher total never gets a lower standardised score.
    pairs = sorted(zip(totals, std, strict=True))
    assert all(pairs[i][1] <= pairs[i + 1][1] for i in range(len(pairs) - 1))


def test_standardised_zero_spread_and_scale():
    assert scoring.standardised_scores([Decimal(5)] * 4) == [Decimal("700.00")] * 4
    # median 2, σ = sqrt(8/3) = 1.633: 4 → 700 + 100 × 2 / 1.633 = 822.47
    assert scoring.standardised_scores([Decimal(0), Decimal(2), Decimal(4)])[2] == Decimal("822.47")


def test_recheck_sample_is_seeded_and_sized():
    keys = [f"{i:03d}" for i in range(1, 101)]
    top, sample = scoring.recheck_sample(keys, top=10, share=Decimal("0.15"), seed="s1")
    assert top == keys[:10]
    assert len(sample) == 14  # ceil(0.15 × 90)
    assert set(sample) <= set(keys[10:])
    assert scoring.recheck_sample(keys, top=10, share=Decimal("0.15"), seed="s1") == (top, sample)
    assert scoring.needs_full_recheck(24, 2) is True  # 8.3% > 5%
    assert scoring.needs_full_recheck(24, 1) is False  # 4.2%


def test_prize_by_rank_or_share():
    tiers = [(1, None), (None, Decimal("0.3")), (None, Decimal("0.6"))]
    assert [scoring.prize_for_rank(r, 10, tiers) for r in (1, 2, 3, 4, 6, 7)] == [0, 1, 1, 2, 2, None]

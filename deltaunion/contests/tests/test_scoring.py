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


# --- the published rule: half up, each figure as produced (issue 10, point 1) ---------------------


@pytest.mark.parametrize(
    ("value", "rounded"),
    [("0.125", "0.13"), ("0.135", "0.14"), ("0.145", "0.15"), ("2.665", "2.67"), ("4.445", "4.45"), ("0.124", "0.12")],
)
def test_q2_is_half_up_not_bankers(value, rounded):
    assert scoring.q2(Decimal(value)) == Decimal(rounded)


def test_every_rounding_step_is_half_up():
    # Each case lands exactly on a half at the third place with an even second digit, where
    # rounding half to even would print 0.12 instead of 0.13.
    assert scoring.judgement_mark(Decimal("0.75"), [1, 1, 0, 0]) == Decimal("0.13")  # 0.75 × 2 / 12 = 0.125
    bands = scoring.parse_bands([{"tolerance": "0.05", "share": "0.5"}])
    assert scoring.measurement_mark(Decimal("0.25"), Decimal("5"), target=Decimal("5"), bands=bands) == Decimal("0.13")
    assert scoring.scale_100(Decimal(1), Decimal(800)) == Decimal("0.13")  # 100 × 1 / 800 = 0.125
    total = scoring.weighted_total(
        theory=Decimal("0.25"),
        theory_max=Decimal(100),
        practical=Decimal(0),
        practical_max=Decimal(100),
        theory_weight=Decimal("0.5"),
        practical_weight=Decimal("0.5"),
    )
    assert total == Decimal("0.13")  # 0.5 × 0.25 = 0.125
    # A standardised score exactly on a half: totals 0, 1, 2 → σ = √(2/3); kept to 2 places half up.
    assert all(s == scoring.q2(s) for s in scoring.standardised_scores([Decimal(0), Decimal(1), Decimal(2)]))


def test_the_worked_example_of_the_rules_page():
    ex = scoring.worked_example()
    assert ex.aspect_mark == Decimal("4.44") and ex.aspect_exact == Decimal("4.4444")
    assert ex.module == Decimal("13.32") and ex.module_exact == Decimal("13.3333")
    assert ex.practical_percent == Decimal("44.40") and ex.practical_percent_exact == Decimal("44.4444")
    assert ex.theory_percent == Decimal("80.00")
    assert ex.total == Decimal("55.08") and ex.total_exact == Decimal("55.1111")
    assert ex.half_up[:2] == ((Decimal("0.125"), Decimal("0.13")), (Decimal("0.135"), Decimal("0.14")))
    # The printed total follows from the printed figures, with a calculator.
    assert ex.total == scoring.q2(ex.theory_weight * ex.theory_percent + ex.practical_weight * ex.practical_percent)


judged_aspect = st.tuples(
    st.just("judgement"),
    st.decimals(min_value=Decimal("0.5"), max_value=50, places=2),
    st.lists(st.integers(0, 3), min_size=3, max_size=7),
)
measured_aspect = st.tuples(
    st.just("measurement"), st.decimals(min_value=Decimal("0.5"), max_value=50, places=2), st.booleans()
)
schemes = st.lists(st.lists(st.one_of(judged_aspect, measured_aspect), min_size=1, max_size=4), min_size=1, max_size=4)


@given(
    scheme=schemes,
    theory_weight=st.integers(0, 1000).map(lambda n: Decimal(n) / 1000),
    theory=st.decimals(min_value=0, max_value=100, places=2),
)
def test_the_total_re_adds_from_its_printed_components(scheme, theory_weight, theory):
    """For random marks, judge counts and weights: module = Σ printed aspect marks, practical =
    Σ printed modules, and the total is the formula applied to the printed figures."""
    modules = []
    for aspects in scheme:
        printed = []
        for kind, max_mark, detail in aspects:
            if kind == "judgement":
                printed.append(scoring.judgement_mark(max_mark, detail))
            else:
                printed.append(scoring.measurement_mark(max_mark, max_mark if detail else Decimal(0)))
        assert all(p == scoring.q2(p) for p in printed)
        modules.append(sum(printed, Decimal("0.00")))
    practical = sum(modules, Decimal("0.00"))
    practical_max = sum((m for aspects in scheme for _k, m, _d in aspects), Decimal(0))
    steps = scoring.total_breakdown(
        theory=theory,
        theory_max=Decimal(100),
        practical=practical,
        practical_max=practical_max,
        theory_weight=theory_weight,
        practical_weight=1 - theory_weight,
    )
    assert steps.practical_percent == scoring.q2(100 * practical / practical_max)
    assert steps.theory_percent == scoring.q2(theory)
    assert steps.total == scoring.q2(
        theory_weight * steps.theory_percent + (1 - theory_weight) * steps.practical_percent
    )
    assert steps.total == scoring.weighted_total(
        theory=theory,
        theory_max=Decimal(100),
        practical=practical,
        practical_max=practical_max,
        theory_weight=theory_weight,
        practical_weight=1 - theory_weight,
    )


@given(
    totals=st.lists(st.integers(0, 6), min_size=1, max_size=12),
    theories=st.lists(st.integers(0, 3), min_size=12, max_size=12),
    order=st.randoms(use_true_random=False),
    standardise=st.booleans(),
)
def test_ranks_do_not_depend_on_the_order_scores_come_in(totals, theories, order, standardise):
    scores = [
        CompetitorScore(f"{i:03d}", Decimal(t), modules=(Decimal(t % 2), Decimal(t)), theory=Decimal(theories[i]))
        for i, t in enumerate(totals)
    ]
    shuffled = list(scores)
    order.shuffle(shuffled)

    def outcome(items):
        return [(r.score.key, r.rank, r.standardised) for r in scoring.rank_scores(items, standardise=standardise)]

    assert outcome(shuffled) == outcome(scores)


def test_tie_break_modules_first_module_first():
    a = CompetitorScore("A", Decimal(80), modules=(Decimal(50), Decimal(30)))
    b = CompetitorScore("B", Decimal(80), modules=(Decimal(40), Decimal(40)))
    assert [r.score.key for r in scoring.rank_scores([b, a], tie_breaks=("modules",))] == ["A", "B"]
    # The default (last module first) orders them the other way round.
    assert [r.score.key for r in scoring.rank_scores([a, b], tie_breaks=("modules_reverse",))] == ["B", "A"]
    assert [r.rank for r in scoring.rank_scores([a, b], tie_breaks=("modules",))] == [1, 2]


def test_tie_break_practical_then_theory():
    a = CompetitorScore("A", Decimal(80), theory=Decimal(90), practical=Decimal(60))
    b = CompetitorScore("B", Decimal(80), theory=Decimal(60), practical=Decimal(75))
    c = CompetitorScore("C", Decimal(80), theory=Decimal(70), practical=Decimal(75))
    ranked = scoring.rank_scores([a, b, c], tie_breaks=("practical", "theory"))
    assert [(r.score.key, r.rank) for r in ranked] == [("C", 1), ("B", 2), ("A", 3)]
    assert [(r.score.key, r.rank) for r in scoring.rank_scores([a, b, c], tie_breaks=("practical",))] == [
        ("B", 1),
        ("C", 1),
        ("A", 3),
    ]


def test_rank_scores_standardises_each_competitor_by_their_own_total():
    scores = [CompetitorScore(k, Decimal(t)) for k, t in (("A", 60), ("B", 90), ("C", 70), ("D", 70), ("E", 50))]
    ranked = scoring.rank_scores(scores, tie_breaks=(), standardise=True)
    by_key = {r.score.key: r.standardised for r in ranked}
    expected = dict(zip("ABCDE", scoring.standardised_scores([s.total for s in scores]), strict=True))
    assert by_key == expected
    assert by_key["C"] == by_key["D"] == Decimal("700.00")  # the median total
    assert by_key["B"] > by_key["C"] > by_key["A"] > by_key["E"]
    assert all(r.standardised is None for r in scoring.rank_scores(scores, tie_breaks=()))


# Boundaries pinned against the survivors of mutation testing (issue 19).

D = Decimal


@pytest.mark.parametrize("judges", [0, -1])
def test_no_judges_is_a_scoring_error_not_a_division_by_zero(judges):
    with pytest.raises(scoring.ScoringError):
        scoring.judgement_mark_from_sum(D(10), D(6), judges)


def test_one_judge_is_enough_for_a_mark():
    assert scoring.judgement_mark_from_sum(D(10), D(2), 1) == D("6.67")


def test_a_score_outside_0_to_3_is_refused():
    with pytest.raises(scoring.ScoringError, match="outside"):
        scoring.judgement_mark(D(10), [1, 4, 2])
    with pytest.raises(scoring.ScoringError, match="no scores"):
        scoring.judgement_mark(D(10), [])


@pytest.mark.parametrize(
    "raw",
    [
        [{"tolerance": "-0.01", "share": "0.5"}],
        [{"tolerance": "-1", "share": "1"}],
        [{"tolerance": "0.1", "share": "-0.01"}],
        [{"tolerance": "0.1", "share": "1.01"}],
        [{"tolerance": "0.1", "share": "1.5"}],
        [{"tolerance": "0.1"}],
        [{"tolerance": "x", "share": "1"}],
    ],
)
def test_a_band_out_of_range_is_refused(raw):
    with pytest.raises(scoring.ScoringError):
        scoring.parse_bands(raw)


def test_band_edges_are_allowed():
    bands = scoring.parse_bands([{"tolerance": "0", "share": "1"}, {"tolerance": "0.2", "share": "0"}])
    assert [(b.tolerance, b.share) for b in bands] == [(D(0), D(1)), (D("0.2"), D(0))]


def test_a_measurement_exactly_on_the_tolerance_earns_the_band():
    bands = scoring.parse_bands([{"tolerance": "0.05", "share": "1"}, {"tolerance": "0.10", "share": "0.5"}])
    assert scoring.measurement_mark(D(4), D("10.05"), target=D(10), bands=bands) == D("4.00")
    assert scoring.measurement_mark(D(4), D("9.90"), target=D(10), bands=bands) == D("2.00")
    assert scoring.measurement_mark(D(4), D("10.11"), target=D(10), bands=bands) == D("0.00")
    with pytest.raises(scoring.ScoringError, match="target"):
        scoring.measurement_mark(D(4), D("10"), bands=bands)
    with pytest.raises(scoring.ScoringError, match="full or zero"):
        scoring.measurement_mark(D(4), D("2"))


@pytest.mark.parametrize("full", [D(0), D(-10)])
def test_scale_100_needs_positive_full_marks(full):
    with pytest.raises(scoring.ScoringError, match="positive"):
        scoring.scale_100(D(5), full)


@pytest.mark.parametrize(
    ("theory_weight", "practical_weight"), [(D("-0.5"), D("1.5")), (D("1.5"), D("-0.5")), (D("0.3"), D("0.6"))]
)
def test_weights_must_be_non_negative_and_sum_to_one(theory_weight, practical_weight):
    with pytest.raises(scoring.ScoringError, match="weights"):
        scoring.total_breakdown(
            theory=D(80),
            theory_max=D(100),
            practical=D(60),
            practical_max=D(100),
            theory_weight=theory_weight,
            practical_weight=practical_weight,
        )


def test_a_contest_without_a_theory_paper_prints_zero_theory():
    steps = scoring.total_breakdown(
        theory=None, theory_max=D(0), practical=D(45), practical_max=D(60), theory_weight=D(0), practical_weight=D(1)
    )
    assert steps == scoring.TotalBreakdown(D(0), D("75.00"), D("75.00"))


def test_a_figure_with_weight_zero_is_still_printed_on_the_100_scale():
    steps = scoring.total_breakdown(
        theory=D(1), theory_max=D(1), practical=D(45), practical_max=D(60), theory_weight=D(0), practical_weight=D(1)
    )
    assert steps.theory_percent == D("100.00")
    steps = scoring.total_breakdown(
        theory=D(80), theory_max=D(100), practical=D(1), practical_max=D(1), theory_weight=D(1), practical_weight=D(0)
    )
    assert steps.practical_percent == D("100.00") and steps.total == D("80.00")
    steps = scoring.total_breakdown(
        theory=D(80), theory_max=D(100), practical=D(30), practical_max=D(60), theory_weight=D(1), practical_weight=D(0)
    )
    assert steps.practical_percent == D("50.00")


def test_a_counted_figure_without_full_marks_is_an_error():
    with pytest.raises(scoring.ScoringError):
        scoring.total_breakdown(
            theory=D(80),
            theory_max=D(100),
            practical=D(0),
            practical_max=D(0),
            theory_weight=D(0),
            practical_weight=D(1),
        )
    with pytest.raises(scoring.ScoringError):
        scoring.total_breakdown(
            theory=D(80),
            theory_max=D(0),
            practical=D(10),
            practical_max=D(20),
            theory_weight=D(1),
            practical_weight=D(0),
        )


def test_the_worked_example_of_the_rules_page_in_full():
    assert scoring.worked_example() == scoring.WorkedExample(
        aspect_max=D(10),
        judge_scores=(1, 1, 2),
        aspects=3,
        aspect_mark=D("4.44"),
        aspect_exact=D("4.4444"),
        module=D("13.32"),
        module_exact=D("13.3333"),
        practical_max=D(30),
        practical_percent=D("44.40"),
        practical_percent_exact=D("44.4444"),
        theory=D(80),
        theory_max=D(100),
        theory_percent=D("80.00"),
        theory_weight=D("0.3"),
        practical_weight=D("0.7"),
        total=D("55.08"),
        total_exact=D("55.1111"),
        half_up=((D("0.125"), D("0.13")), (D("0.135"), D("0.14")), (D("4.445"), D("4.45"))),
    )
    other = scoring.worked_example(D("0.4"), D("0.6"))
    assert (other.total, other.total_exact) == (D("58.64"), D("58.6667"))


def test_no_rechecked_marks_is_no_error_rate():
    assert scoring.error_rate(0, 0) == D(0)
    assert scoring.needs_full_recheck(0, 0) is False


def test_a_full_recheck_takes_more_than_five_per_cent_errors():
    assert scoring.needs_full_recheck(100, 5) is False
    assert scoring.needs_full_recheck(100, 6) is True
    assert scoring.needs_full_recheck(20, 1, limit=D("0.04")) is True


def test_the_recheck_takes_the_first_ten_by_default():
    keys = [f"{i:03d}" for i in range(1, 31)]
    head, sample = scoring.recheck_sample(keys, seed="s")
    assert head == keys[:10]
    assert len(sample) == 3 and set(sample) <= set(keys[10:])


def test_a_missing_theory_score_breaks_ties_as_zero():
    score = CompetitorScore(key="A01", total=D(50), theory=None, practical=D(60))
    assert scoring.tie_break_vector(score, ["theory", "practical"]) == (D(0), D(60))


def test_a_theory_only_contest_prints_zero_practical():
    steps = scoring.total_breakdown(
        theory=D(72), theory_max=D(80), practical=D(0), practical_max=D(0), theory_weight=D(1), practical_weight=D(0)
    )
    assert steps == scoring.TotalBreakdown(D("90.00"), D(0), D("90.00"))

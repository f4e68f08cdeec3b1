"""The draw as pure functions: deterministic from its seed, reserves first, the rest by lottery,
never more places than there are, and a published record anyone can re-run."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deltaunion.recuperation import draw

GROUPS = list(draw.GROUP_ORDER)


def entries(n: int, groups: dict[int, tuple[str, ...]] | None = None) -> list[draw.Entry]:
    groups = groups or {}
    return [draw.Entry(str(i), groups.get(i, ())) for i in range(1, n + 1)]


def test_the_lottery_key_is_sha256_of_seed_bar_ref():
    assert draw.lottery_key("abc", "17") == hashlib.sha256(b"abc|17").hexdigest()
    assert draw.seed_hash("abc") == hashlib.sha256(b"abc").hexdigest()


def test_the_same_seed_gives_the_same_outcome_and_another_seed_another():
    a = draw.run("seed-1", 5, {}, entries(40))
    b = draw.run("seed-1", 5, {}, list(reversed(entries(40))))  # input order does not matter
    c = draw.run("seed-2", 5, {}, entries(40))
    assert a.offered == b.offered and a.waiting == b.waiting
    assert a.offered != c.offered
    assert len(a.offered) == 5 and len(a.waiting) == 35
    # The lottery order is the order of the keys.
    order = sorted(a.keys, key=lambda r: a.keys[r])
    assert [r for r, _g in a.offered] == order[:5] and a.waiting == order[5:]


def test_reserves_go_to_their_group_first_then_the_rest_by_lottery():
    groups = {i: ("gig",) for i in range(31, 41)} | {i: ("model_worker", "craftsman") for i in (5, 6)}
    out = draw.run("reserve-seed", 6, {"gig": 3, "model_worker": 1, "craftsman": 1}, entries(40, groups))
    by_group = {}
    for ref, g in out.offered:
        by_group.setdefault(g, []).append(ref)
    assert len(by_group["gig"]) == 3 and all(31 <= int(r) <= 40 for r in by_group["gig"])
    # One model worker takes the model-worker reserve; the other takes the craftsman reserve.
    assert {by_group["model_worker"][0], by_group["craftsman"][0]} == {"5", "6"}
    assert len(by_group[""]) == 1
    # Reserved groups are drawn first, in the fixed order.
    assert [g for _r, g in out.offered][:5] == ["model_worker", "craftsman", "gig", "gig", "gig"]


def test_an_unused_reserve_goes_to_the_lottery_and_fewer_applicants_than_places_all_get_one():
    out = draw.run("x", 5, {"gig": 3}, entries(4))
    assert len(out.offered) == 4 and out.waiting == []
    assert all(g == "" for _r, g in out.offered)


def test_a_reserve_larger_than_the_places_is_capped():
    out = draw.run("x", 2, {"gig": 5}, entries(10, {i: ("gig",) for i in range(1, 11)}))
    assert len(out.offered) == 2


def _record(seed: str, places: int, reserves: dict, es: list[draw.Entry]) -> dict:
    listed = [{"ref": e.ref, "name": "张*", "province": "330000", "groups": list(e.groups)} for e in es]
    out = draw.run(seed, places, reserves, es)
    return {
        "seed": seed,
        "seed_sha256": draw.seed_hash(seed),
        "places": places,
        "reserves": reserves,
        "applications": listed,
        "applications_sha256": draw.entries_digest(listed),
        "outcome": out.as_dict(),
    }


def test_a_published_record_verifies_and_any_change_to_it_is_detected():
    es = entries(12, {2: ("gig",), 3: ("skilled",)})
    record = _record("published-seed", 4, {"gig": 1}, es)
    assert draw.verify(record) == (True, [])
    changed = {
        **record,
        "applications": [{**record["applications"][0], "groups": ["gig"]}, *record["applications"][1:]],
    }
    ok, problems = draw.verify(changed)
    assert not ok and "applications_sha256" in problems
    wrong_seed = {**record, "seed": "another-seed"}
    assert not draw.verify(wrong_seed)[0]
    wrong_outcome = {
        **record,
        "outcome": {**record["outcome"], "waiting": list(reversed(record["outcome"]["waiting"]))},
    }
    assert draw.verify(wrong_outcome) == (False, ["outcome"])


@settings(max_examples=60)
@given(
    seed=st.text(min_size=1, max_size=20),
    places=st.integers(min_value=0, max_value=30),
    n=st.integers(min_value=0, max_value=60),
    reserves=st.dictionaries(st.sampled_from(GROUPS), st.integers(min_value=0, max_value=10), max_size=4),
    membership=st.lists(st.sets(st.sampled_from(GROUPS), max_size=2), max_size=60),
)
def test_never_more_than_the_places_everyone_once_and_reproducible(seed, places, n, reserves, membership):
    groups = {i + 1: tuple(sorted(g)) for i, g in enumerate(membership[:n])}
    es = entries(n, groups)
    out = draw.run(seed, places, reserves, es)
    offered = [r for r, _g in out.offered]
    assert len(offered) == min(places, n)
    assert sorted(offered + out.waiting, key=int) == [e.ref for e in es]  # everyone exactly once
    for ref, g in out.offered:
        if g:
            assert g in groups.get(int(ref), ())
    for g in GROUPS:  # a group's reserve is filled as far as its members allow
        took = sum(1 for _r, x in out.offered if x == g)
        assert took <= reserves.get(g, 0)
    assert draw.run(seed, places, reserves, list(reversed(es))).as_dict() == out.as_dict()


# Pinned bytes and values (mutation testing, issue 19): anyone re-running a published draw must
# get these exact fingerprints, so a change to the canonical form is a change to the rule.


def test_the_canonical_json_is_sorted_compact_utf8():
    got = draw.canonical_json({"b": [1, "张三"], "a": {"y": 1, "x": None}})
    assert got == '{"a":{"x":null,"y":1},"b":[1,"张三"]}'.encode()


def test_the_seed_fingerprint_and_the_list_digest_are_pinned():
    assert draw.seed_hash("seed-2023") == "ae7f642a5572772c2494dfe2aaa6812b1780574bed51a2c74d83d963143253d6"
    entries = [{"ref": "10", "groups": []}, {"ref": "9", "groups": ["gig"]}, {"ref": "A1", "groups": []}]
    digest = "14104f3f973d077e9cd10c3b490c2e3264de264f6ab2dbc789e10f260b4e42f6"
    assert draw.entries_digest(entries) == digest
    assert draw.entries_digest(list(reversed(entries))) == digest  # sorted by number first


def test_numbers_sort_as_numbers_before_other_references():
    refs = ["10", "A1", "9", "100", "B"]
    assert sorted(refs, key=draw._ref_key) == ["9", "10", "100", "A1", "B"]


def test_a_known_draw_with_reserves_in_the_fixed_group_order():
    entries = [draw.Entry(str(i), ("gig",) if i % 4 == 0 else (("craftsman",) if i == 7 else ())) for i in range(1, 11)]
    outcome = draw.run("seed-2023", 3, {"gig": 1, "craftsman": 5}, entries)
    assert outcome.offered == [("7", "craftsman"), ("4", "gig"), ("2", "")]
    assert outcome.waiting == ["9", "3", "5", "10", "6", "1", "8"]


def test_no_places_draws_no_one_and_bad_input_is_refused():
    entries = [draw.Entry("1"), draw.Entry("2")]
    outcome = draw.run("s", 0, {"gig": 2}, entries)
    assert outcome.offered == [] and sorted(outcome.waiting) == ["1", "2"]
    with pytest.raises(ValueError, match="negative"):
        draw.run("s", -1, {}, entries)
    with pytest.raises(ValueError, match="twice"):
        draw.run("s", 1, {}, [draw.Entry("1"), draw.Entry("1")])


def test_a_record_without_its_seed_or_with_another_seed_does_not_rerun():
    record = {"seed": "", "seed_sha256": draw.seed_hash("x"), "places": 1, "applications": []}
    with pytest.raises(ValueError, match="not been revealed"):
        draw.rerun(record)
    record["seed"] = "y"
    with pytest.raises(ValueError, match="does not match"):
        draw.rerun(record)
    ok, problems = draw.verify({**record, "applications_sha256": draw.entries_digest([])})
    assert not ok and problems == ["the seed does not match the fingerprint committed before the draw"]


def test_reserves_of_several_groups_never_give_more_than_the_places():
    entries = [draw.Entry(str(i), ("model_worker", "craftsman")) for i in range(1, 7)]
    outcome = draw.run("seed-2023", 2, {"model_worker": 2, "craftsman": 2}, entries)
    assert len(outcome.offered) == 2 and {g for _r, g in outcome.offered} == {"model_worker"}
    assert len(outcome.waiting) == 4


def _small_record(**changes):
    entries = [{"ref": str(i), "groups": []} for i in range(1, 5)]
    outcome = draw.run("seed-2023", 2, {}, [draw.Entry(e["ref"]) for e in entries])
    record = {
        "seed": "seed-2023",
        "seed_sha256": draw.seed_hash("seed-2023"),
        "places": 2,
        "reserves": {},
        "applications": entries,
        "applications_sha256": draw.entries_digest(entries),
        "outcome": outcome.as_dict(),
    }
    record.update(changes)
    return record, outcome


def test_a_stated_open_place_may_leave_out_its_group():
    record, outcome = _small_record()
    record["outcome"] = {"offered": [{"ref": r} for r, _g in outcome.offered], "waiting": outcome.waiting}
    assert draw.verify(record) == (True, [])


def test_a_stated_outcome_without_lists_is_a_mismatch_not_a_crash():
    record, _outcome = _small_record(outcome={})
    assert draw.verify(record) == (False, ["outcome"])
    record, outcome = _small_record()
    record["outcome"] = {"offered": outcome.as_dict()["offered"]}
    assert draw.verify(record) == (False, ["outcome"])

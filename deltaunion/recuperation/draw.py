"""The draw of an over-subscribed batch: pure functions anyone can re-run from the published record.

The rules, as the draw page states them:

1. Each application in the published list has a number (`ref`) and the priority groups its
   worker's record shows. Its lottery key is SHA-256 of the text ``<seed>|<ref>`` (UTF-8),
   written in hexadecimal; the lottery order sorts the applications by key (then by number).
2. The reserved places go first, group by group in the fixed order model and advanced workers,
   craftsmen and technicians, skilled workers, gig and platform workers: for each group, the
   applications of that group not yet drawn are taken in lottery order, up to its reserve.
3. The remaining places go to the applications not yet drawn, in lottery order.
4. Everyone else is on the waiting list, in lottery order: a place that is not confirmed in
   time or is cancelled passes to the first of them.

The seed is generated when the batch opens; only its SHA-256 is shown until the draw, so the
seed cannot be chosen after the applications are known, and no one can predict the order.
Nothing here touches the database: `services.batch_draw` feeds it and stores what it returns.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

GROUP_ORDER = ("model_worker", "craftsman", "skilled", "gig")
RECORD_VERSION = 1


def new_seed() -> str:
    return secrets.token_hex(32)


def seed_hash(seed: str) -> str:
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


def lottery_key(seed: str, ref: str) -> str:
    return hashlib.sha256(f"{seed}|{ref}".encode()).hexdigest()


def canonical_json(data: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8: the bytes the fingerprints are taken over."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


@dataclass(frozen=True)
class Entry:
    ref: str
    groups: tuple[str, ...] = ()


@dataclass
class Outcome:
    """Who was drawn (in the order they were drawn, with the group whose reserve they took, or
    "" for the open places) and the waiting list, in order."""

    offered: list[tuple[str, str]] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"offered": [{"ref": r, "for": g} for r, g in self.offered], "waiting": list(self.waiting)}


def entries_digest(entries: Sequence[Mapping[str, Any]]) -> str:
    """SHA-256 of the published list (sorted by number), as fixed when applications closed."""
    return hashlib.sha256(canonical_json(sorted(entries, key=lambda e: _ref_key(str(e["ref"]))))).hexdigest()


def _ref_key(ref: str) -> tuple[int, str]:
    return (int(ref), ref) if ref.isdigit() else (1 << 62, ref)


def run(seed: str, places: int, reserves: Mapping[str, int], entries: Iterable[Entry]) -> Outcome:
    """The draw. Deterministic: the same seed, places, reserves and entries give the same outcome."""
    if places < 0:
        raise ValueError("places must not be negative")
    entries = list(entries)
    refs = [e.ref for e in entries]
    if len(set(refs)) != len(refs):
        raise ValueError("an application appears twice in the draw")
    keys = {e.ref: lottery_key(seed, e.ref) for e in entries}
    order = sorted(entries, key=lambda e: (keys[e.ref], _ref_key(e.ref)))
    taken: set[str] = set()
    offered: list[tuple[str, str]] = []
    for group in GROUP_ORDER:
        want = min(int(reserves.get(group, 0) or 0), places - len(offered))
        if want <= 0:
            continue
        for e in order:
            if want == 0:
                break
            if e.ref not in taken and group in e.groups:
                taken.add(e.ref)
                offered.append((e.ref, group))
                want -= 1
    for e in order:
        if len(offered) >= places:
            break
        if e.ref not in taken:
            taken.add(e.ref)
            offered.append((e.ref, ""))
    waiting = [e.ref for e in order if e.ref not in taken]
    return Outcome(offered=offered, waiting=waiting, keys=keys)


def rerun(record: Mapping[str, Any]) -> Outcome:
    """Re-run the draw from a published record (the JSON the draw page offers)."""
    seed = record.get("seed") or ""
    if not seed:
        raise ValueError("the seed has not been revealed yet")
    if seed_hash(seed) != record.get("seed_sha256"):
        raise ValueError("the seed does not match the fingerprint committed before the draw")
    entries = [Entry(str(e["ref"]), tuple(e.get("groups") or ())) for e in record["applications"]]
    return run(seed, int(record["places"]), dict(record.get("reserves") or {}), entries)


def verify(record: Mapping[str, Any]) -> tuple[bool, list[str]]:
    """Re-run the draw and compare with the outcome the record states. (ok, problems)"""
    problems: list[str] = []
    if entries_digest(record["applications"]) != record.get("applications_sha256"):
        problems.append("applications_sha256")
    try:
        outcome = rerun(record)
    except ValueError as exc:
        return False, [*problems, str(exc)]
    stated = record.get("outcome")
    if stated is not None and outcome.as_dict() != {
        "offered": [{"ref": str(o["ref"]), "for": o.get("for", "")} for o in stated.get("offered", [])],
        "waiting": [str(r) for r in stated.get("waiting", [])],
    }:
        problems.append("outcome")
    return not problems, problems

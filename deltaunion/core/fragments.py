"""Cached parts of pages, and the versions that make them stale when what they show changes.

A page part that is expensive and changes seldom (the home page's year report, the contest
list of the public, a viewer's navigation) is kept in the cache (Redis in production, shared by
every worker) under a key made of what it depends on — the language, the query, the viewer's
scope — and the current *versions* of the data it reads:

    html = fragments.cached("home", [lang, query], ["home"], compute, ttl=300)

A version is a named counter in the cache (`"home"`, `"contests"`, `"roles"`, `"inbox:42"`).
Writes bump it: `watch(name, models)` connects the models' `post_save`, `post_delete` and
`m2m_changed` signals, and a service may call `bump(name)` itself (e.g. after a
`QuerySet.update`, which sends no signal). A bump happens twice: at once (so the writing
request, and a test that never commits, read the change) and again after the commit (so a
reader that computed the part between the write and the commit, from the old rows, stored it
under a version nobody asks for any more). A part is therefore never served after a change
that went through a model's `save`/`delete`; the `ttl` only bounds how long a write that sends
no signal (a bulk `update`, raw SQL, another system) may stay unseen.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import signals

KEEP_SECONDS = 7 * 24 * 3600  # a version outlives any part cached under it
_WATCHED: dict[str, set[str]] = {}  # model label → version names
_generation = ""  # part of every version's key; tests start each with a new one (rolled-back rows)


def _release() -> str:
    """A fingerprint of the code and templates (their sizes and times): a new release does not
    read the parts an older one cached (a changed template or record shows at once)."""
    import os
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for folder, _dirs, files in sorted(os.walk(root)):
        for name in sorted(files):
            if name.endswith((".py", ".html")):
                st = os.stat(os.path.join(folder, name))
                digest.update(f"{folder}/{name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return digest.hexdigest()[:10]


RELEASE = _release()


def new_generation() -> None:
    """Forget every version (tests: the database was rolled back, the cache was not)."""
    global _generation
    _generation = uuid.uuid4().hex[:8]


def _vkey(name: str) -> str:
    return f"frag-v:{_generation}:{name}"


def versions(names: Sequence[str]) -> list[str]:
    """The current versions (one cache round trip); a missing one is created."""
    keys = [_vkey(n) for n in names]
    got = cache.get_many(keys) if keys else {}
    out = []
    for key in keys:
        value = got.get(key)
        if value is None:
            value = uuid.uuid4().hex[:12]
            # add, not set: two readers creating it at once agree on the first one's value
            if not cache.add(key, value, KEEP_SECONDS):
                value = cache.get(key) or value
        out.append(value)
    return out


def bump(*names: str) -> None:
    """What the versions `names` cover has changed: now, and again once the transaction commits."""

    _set_new(names)
    transaction.on_commit(lambda: _set_new(names))


def _set_new(names: Iterable[str]) -> None:
    cache.set_many({_vkey(n): uuid.uuid4().hex[:12] for n in names}, KEEP_SECONDS)


def key_of(name: str, parts: Iterable[Any], version_names: Sequence[str]) -> str:
    raw = repr((RELEASE, tuple(parts), tuple(versions(version_names))))
    return f"frag:{name}:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"


MISS = object()  # `fetch`'s answer for a part not cached (or stale): a cached value may be None


@dataclass(frozen=True)
class Part:
    """A cached part: its name and key parts, the versions it depends on, its TTL. The entry is
    kept under a key made of the name and parts only, with the versions it was computed under
    (and, for time-dependent content, the time it stays true until): `fetch` reads the entries
    of a page and the current versions in one round trip and serves an entry only if its
    versions are the current ones."""

    name: str
    parts: tuple
    version_names: tuple[str, ...]
    ttl: int

    @property
    def key(self) -> str:
        raw = repr((RELEASE, _generation, self.parts))
        return f"frag:{self.name}:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"


def fetch(specs: Sequence[Part]) -> tuple[list[Any], list[tuple[str, ...]]]:
    """The cached values of `specs` (MISS where there is none, or a stale one) and the versions
    each is to be stored under if computed now; one cache round trip (`get_many`), plus one per
    version that does not exist yet."""
    names = list(dict.fromkeys(n for s in specs for n in s.version_names))
    vkeys = [_vkey(n) for n in names]
    got = cache.get_many([s.key for s in specs] + vkeys)
    current: dict[str, str] = {}
    missing = []
    for name, vkey in zip(names, vkeys, strict=True):
        value = got.get(vkey)
        if value is None:
            missing.append(name)
        else:
            current[name] = value
    if missing:
        current.update(zip(missing, versions(missing), strict=True))
    now = time.time()
    values, stamps = [], []
    for spec in specs:
        stamp = tuple(current[n] for n in spec.version_names)
        entry = got.get(spec.key)
        fresh = (
            isinstance(entry, tuple) and len(entry) == 3 and entry[0] == stamp and (entry[1] is None or now < entry[1])
        )
        values.append(entry[2] if fresh else MISS)
        stamps.append(stamp)
    return values, stamps


def store(spec: Part, stamp: tuple[str, ...], value: Any, until: float | None = None) -> None:
    """Keep `value` computed under the versions `stamp` (read before computing it: a bump
    meanwhile makes it stale at once), true until the time `until` (a timestamp) if given."""
    ttl = spec.ttl
    if until is not None:
        left = until - time.time()
        if left <= 0:
            return
        ttl = max(1, min(ttl, int(left)))
    cache.set(spec.key, (stamp, until, value), ttl)


def cached(
    name: str, parts: Iterable[Any], version_names: Sequence[str], compute: Callable[[], Any], *, ttl: int
) -> Any:
    """`compute()`'s value, cached under `parts` and the current versions of `version_names`
    (one cache round trip when it is cached)."""
    spec = Part(name, tuple(parts), tuple(version_names), ttl)
    (value,), (stamp,) = fetch([spec])
    if value is MISS:
        value = compute()
        store(spec, stamp, value)
    return value


def query_key(query: Any, allowed: dict[str, Callable[[str], bool]]) -> tuple | None:
    """The request's query (a QueryDict) as part of a key, or None when it should not be cached:
    a parameter the page does not read, one given twice, or a value its check refuses. Made-up
    query strings are then served uncached instead of filling the cache."""
    out = []
    for name in sorted(query):
        values = query.getlist(name)
        check = allowed.get(name)
        if check is None or len(values) != 1 or not check(values[0]):
            return None
        out.append((name, values[0]))
    return tuple(out)


def digits(n: int) -> Callable[[str], bool]:
    """A check for `query_key`: up to `n` digits."""
    return lambda v: v.isdigit() and len(v) <= n


def one_of(values: Iterable[str]) -> Callable[[str], bool]:
    """A check for `query_key`: one of `values` (or empty: a filter left at 全部)."""
    allowed = {"", *values}
    return lambda v: v in allowed


def watch(name: str, *models: Any) -> None:
    """Bump the version `name` whenever a row of one of `models` (classes or "app.Model"
    labels, or an app label for all its models) is saved or deleted, or an m2m of it changes."""
    from django.apps import apps

    for spec in models:
        if isinstance(spec, str) and "." not in spec:
            classes = list(apps.get_app_config(spec).get_models(include_auto_created=True))
        elif isinstance(spec, str):
            classes = [apps.get_model(spec)]
        else:
            classes = [spec]
        for model in classes:
            label = model._meta.label_lower
            if label not in _WATCHED:
                _WATCHED[label] = set()
                uid = f"fragments:{label}"
                signals.post_save.connect(_changed, sender=model, dispatch_uid=uid + ":save", weak=False)
                signals.post_delete.connect(_changed, sender=model, dispatch_uid=uid + ":delete", weak=False)
                signals.m2m_changed.connect(_changed_m2m, dispatch_uid="fragments:m2m", weak=False)
            _WATCHED[label].add(name)


def _changed(sender: Any, **kwargs: Any) -> None:
    names = _WATCHED.get(sender._meta.label_lower)
    if names:
        bump(*sorted(names))


def _changed_m2m(sender: Any, instance: Any, action: str, model: Any, **kwargs: Any) -> None:
    if not action.startswith("post_"):
        return
    names: set[str] = set()
    for m in (sender, type(instance), model):
        names |= _WATCHED.get(m._meta.label_lower, set())
    if names:
        bump(*sorted(names))


def per_row(name: str, model: Any, field: str | Callable[[Any], Iterable[Any]]) -> None:
    """Bump `name:<value of field>` when a row of `model` is saved or deleted (a per-user
    version, e.g. `inbox:<recipient_id>`); `field` may be a function of the row giving the
    values (e.g. the user of an entry's worker)."""

    def names(instance: Any) -> list[str]:
        values = field(instance) if callable(field) else [getattr(instance, field)]
        return sorted({f"{name}:{v}" for v in values if v is not None})

    def changed(sender: Any, instance: Any, **kwargs: Any) -> None:
        # Now, and again after the commit with the values read then: rows added after this one
        # in the same transaction (a case's parties, a team's members) count too.
        now = names(instance)
        if now:
            _set_new(now)

        def after() -> None:
            later = sorted(set(now) | set(names(instance)))
            if later:
                _set_new(later)

        transaction.on_commit(after)

    label = model if isinstance(model, str) else model._meta.label_lower
    if isinstance(model, str):
        from django.apps import apps

        model = apps.get_model(model)
    uid = f"fragments-row:{name}:{label}"
    signals.post_save.connect(changed, sender=model, dispatch_uid=uid + ":save", weak=False)
    signals.post_delete.connect(changed, sender=model, dispatch_uid=uid + ":delete", weak=False)

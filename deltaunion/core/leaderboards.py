"""Leaderboards by person, team, unit, city and province, for every kind of board an app registers.

An app registers its kind of board when it is ready (see `BoardKind`):

    leaderboards.register(BoardKind(
        name="quiz", rows=QuizParticipant, owner=Quiz, owner_field="quiz_id",
        points_field="best_score", time_field="best_time_ms", labels=member_labels,
        view_permission="practice.view_quiz"))

The rows model holds one row per participant of one owner (a quiz, a campaign): `user_id`,
the points column, an `on_board` flag (has scored) and where the participant sits on the
higher boards (`team_key`, `unit_id`, `city_code`, `province_code`). Those rows are the truth.

With `REDIS_URL` set, every board is a Redis sorted set, updated right after the database
commit that changed a score (`offer_best`, `add_points`). Without Redis the same functions
read the database. `rebuild()` writes a Redis board afresh from the database
(`manage.py rebuild_leaderboards`, which walks every registered kind).

A timed kind (`time_field` set: quizzes) keeps each person's best — more points first, then
less time — packed into one sorted-set score (`composite`); the higher boards add up people's
bests, so when a person improves each higher board gets the improvement. An untimed kind
(points campaigns) adds points on every board.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

import orjson
from django.conf import settings
from django.core.signals import setting_changed
from django.db import models, transaction
from django.db.models import Q, Sum
from django.dispatch import receiver

from deltaunion.core import gathering, permissions, redis_held

LEVELS = ("person", "team", "unit", "city", "province")
HIGHER_LEVELS = LEVELS[1:]
TIME_SLOTS = 10**9  # ms of time used that fit under one point in the packed score
_DIM_FIELDS = {"team": "team_key", "unit": "unit_id", "city": "city_code", "province": "province_code"}


@dataclass(frozen=True)
class BoardKind:
    """A kind of board. `labels(board, members, viewer, stored)` names the members of one level
    for a viewer (people's names masked as their app decides; teams, units and places by name);
    `stored` holds the person labels read from Redis with the board (see `stored_labels`), a
    member missing from it is named from the database.

    `stored_labels(user_ids)`, when set, gives the label of each person for a viewer who may not
    read their full name (a masked name). Where boards live in Redis those labels are kept in a
    hash beside the person board (`Board.labels_key`) and returned by the same script that reads
    the board, so naming a board's rows costs no database query: written when a row of the kind
    is created (its person joins), dropped when it is deleted, rewritten by `refresh_labels` when
    the app says a person's label changed (a user renamed) and by `rebuild`."""

    name: str
    rows: type[models.Model]
    owner: type[models.Model]
    owner_field: str
    points_field: str
    labels: Callable[[Board, list[str], Any, dict[str, str]], dict[str, str]]
    # The permission (of the registering app) that decides who sees the owner and its boards.
    view_permission: str
    time_field: str | None = None
    owner_related: tuple[str, ...] = ()
    stored_labels: Callable[[list[int]], dict[int, str]] | None = None

    @property
    def timed(self) -> bool:
        return self.time_field is not None


_KINDS: dict[str, BoardKind] = {}


def register(kind: BoardKind) -> BoardKind:
    if kind.name in _KINDS and _KINDS[kind.name] != kind:
        raise KeyError(f"board kind {kind.name} is registered twice")
    _KINDS[kind.name] = kind
    if kind.stored_labels is not None:
        _watch_rows(kind)
    return kind


def kinds() -> list[BoardKind]:
    return list(_KINDS.values())


def kind_of(name: str) -> BoardKind | None:
    return _KINDS.get(name)


def visible_owner(kind: str, object_id: int, user: Any) -> models.Model | None:
    """The quiz, campaign, … whose boards these are, if the user may see it (its app's
    `view_permission`, the one rule for its pages and API); None when missing or not theirs."""
    spec = _KINDS.get(kind)
    if spec is None:
        return None
    obj = _owner(spec, object_id)
    return obj if obj is not None and permissions.can(user, spec.view_permission, obj) else None


# The owner row (with its related rows) of a board read, kept by each process for
# LEADERBOARD_OWNER_CACHE_SECONDS (1 s; only where boards live in Redis, i.e. in production and
# the Redis test pass): every poll of a board page and every "my rank" asks who owns the board,
# and the ORM compiling that query cost more than the read itself. The permission is still
# decided on every request, for the requesting user; saving or deleting an owner or one of its
# related models empties this process's copy at once, other processes' copies within the
# second (tests in core/tests/test_leaderboards_owner_cache.py).
_owner_cache: dict[tuple[str, int], tuple[float, models.Model | None]] = {}
_owner_watched: set[type[models.Model]] = set()


def _owner(spec: BoardKind, object_id: int) -> models.Model | None:
    seconds = _setting("LEADERBOARD_OWNER_CACHE_SECONDS", 1.0) if uses_redis() else 0
    key = (spec.name, int(object_id))
    now = time.monotonic()
    if seconds > 0:
        hit = _owner_cache.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        _watch_owner(spec)
    obj = spec.owner._default_manager.select_related(*spec.owner_related).filter(pk=object_id).first()
    if seconds > 0:
        if len(_owner_cache) > 10_000:
            _owner_cache.clear()
        _owner_cache[key] = (now + seconds, obj)
    return obj


def _forget_owners(**kwargs: Any) -> None:
    _owner_cache.clear()


def _watch_owner(spec: BoardKind) -> None:
    """Connect, once per model, the signals that empty the owner cache."""
    from django.db.models.signals import post_delete, post_save

    related = []
    model: Any = spec.owner
    for path in spec.owner_related:
        m = model
        for part in path.split("__"):
            m = m._meta.get_field(part).related_model
        related.append(m)
    for m in (spec.owner, *related):
        if m not in _owner_watched:
            _owner_watched.add(m)
            post_save.connect(
                _forget_owners, sender=m, weak=False, dispatch_uid=f"leaderboards.owner.{m._meta.label}.s"
            )
            post_delete.connect(
                _forget_owners, sender=m, weak=False, dispatch_uid=f"leaderboards.owner.{m._meta.label}.d"
            )


@dataclass(frozen=True)
class Board:
    kind: str
    object_id: int
    level: str = "person"

    def __post_init__(self) -> None:
        if self.kind not in _KINDS or self.level not in LEVELS:
            raise ValueError(f"unknown board {self.kind}/{self.level}")

    @property
    def spec(self) -> BoardKind:
        return _KINDS[self.kind]

    @property
    def key(self) -> str:
        return f"{key_prefix()}:lb:{self.kind}:{self.object_id}:{self.level}"

    @property
    def labels_key(self) -> str | None:
        """The Redis hash of the person board's stored labels (member → label), or None."""
        if self.level != "person" or self.spec.stored_labels is None:
            return None
        return f"{key_prefix()}:lb:{self.kind}:{self.object_id}:labels"


class Entry(NamedTuple):  # a tuple: made a dozen times per board read
    rank: int
    member: str
    score: int
    time_ms: int | None = None  # the person board of a timed kind only


# Settings read on every board read, looked up once (a missing setting costs an exception per
# lookup); `override_settings` in tests empties the copy.
_settings_copy: dict[str, Any] = {}


def _setting(name: str, default: Any) -> Any:
    try:
        return _settings_copy[name]
    except KeyError:
        value = _settings_copy[name] = getattr(settings, name, default)
        return value


@receiver(setting_changed)
def _forget_settings(**kwargs: Any) -> None:
    _settings_copy.clear()
    _family_keys.clear()


def key_prefix() -> str:
    return _setting("LEADERBOARD_KEY_PREFIX", "du")


def uses_redis() -> bool:
    return bool(_setting("REDIS_URL", ""))


def redis_client():
    return redis_held.client()


def composite(score: int, time_ms: int) -> int:
    """One sortable number: higher score first, then less time used."""
    return int(score) * TIME_SLOTS + (TIME_SLOTS - 1 - max(0, min(int(time_ms), TIME_SLOTS - 1)))


def split_composite(value: float) -> tuple[int, int]:
    value = int(value)
    score, rest = divmod(value, TIME_SLOTS)
    return score, TIME_SLOTS - 1 - rest


def higher_members(dims: Any) -> list[str]:
    """The member names of a participant on each higher board, in HIGHER_LEVELS order ("" = not
    on that board)."""
    return [
        dims.team_key or "",
        str(dims.unit_id) if dims.unit_id else "",
        dims.city_code or "",
        dims.province_code or "",
    ]


def members_of(dims: Any) -> dict[str, str]:
    return dict(zip(HIGHER_LEVELS, higher_members(dims), strict=True))


def boards_of(kind: str, object_id: int) -> list[Board]:
    return [Board(kind, object_id, level) for level in LEVELS]


_family_keys: dict[tuple[str, int], list[str]] = {}


def family_keys(kind: str, object_id: int) -> list[str]:
    """The Redis keys of an object's boards, in LEVELS order (kept: every answer needs them)."""
    keys = _family_keys.get((kind, object_id))
    if keys is None:
        if len(_family_keys) > 10_000:
            _family_keys.clear()
        keys = _family_keys[(kind, object_id)] = [board.key for board in boards_of(kind, object_id)]
    return keys


# --- writes (Redis only; the database rows are already the board) ---------------------------

# KEYS: person board, then the higher boards. ARGV: person member, new packed score,
# new plain score, then one member per higher board ("" = skip).
_BEST_LUA = """
local old = redis.call('ZSCORE', KEYS[1], ARGV[1])
local new = tonumber(ARGV[2])
if old and tonumber(old) >= new then return 0 end
local old_points = 0
if old then
  old = tonumber(old)
  old_points = (old - (old % %(slots)d)) / %(slots)d
end
redis.call('ZADD', KEYS[1], new, ARGV[1])
local delta = tonumber(ARGV[3]) - old_points
for i = 2, #KEYS do
  local member = ARGV[i + 2]
  if member ~= '' then redis.call('ZINCRBY', KEYS[i], delta, member) end
end
return 1
""".replace("%(slots)d", str(TIME_SLOTS))

_scripts: dict[str, Any] = {}


def _lua(source: str) -> Any:
    """The registered Redis script of `source` (registered once per process: EVALSHA after)."""
    script = _scripts.get(source)
    if script is None:
        script = _scripts[source] = redis_client().register_script(source)
    return script


# The board read (every board page and "my rank") and the best's offer (every answer that
# raises one) are hot paths: each thread runs its script on a connection of its own
# (core.redis_held; the scripts are harmless to run twice: a read, or an offer that only ever
# raises a best).
_held = redis_held._held  # the thread's connection (tests reach it)


def _run_script(source: str, keys: list[str], args: list[Any]) -> Any:
    script = _lua(source)
    return redis_held.call(("EVALSHA", script.sha, len(keys), *keys, *args), lambda: script(keys=keys, args=args))


class _Offers(gathering.Gathered):
    """This process's offers of a best not yet sent to Redis: the highest per person board and
    member, {(person board key, member): (keys, args)}.

    An offer only ever raises a person's best and adds the rise to the higher boards (_BEST_LUA),
    so offers may arrive late, together, twice or in any order, and a person's lower offers may be
    dropped for their highest: the boards end the same. That lets a process gather them for up to
    LEADERBOARD_OFFER_SECONDS (0.2 s) and send them in one pipelined round trip from a thread of
    its own, instead of one round trip on the request's thread for every answer that raises a
    best. The same process's board reads send them first; another process's reads see them at
    most 0.2 s later. A process killed outright loses what it had gathered — the boards, never
    the participants' rows, which hold every best: `manage.py rebuild_leaderboards` rebuilds them.
    A normal exit sends them first.
    """

    thread_name = "leaderboard-offers"

    def seconds(self) -> float:
        return offer_seconds()

    def _empty(self) -> dict[tuple[str, str], tuple[list[str], list[Any]]]:
        return {}

    def _add(self, item: tuple[list[str], list[Any]]) -> None:
        keys, args = item
        field = (keys[0], args[0])
        held = self.items.get(field)
        if held is None or int(args[1]) > int(held[1][1]):
            self.items[field] = item

    def _send(self, batch: dict[tuple[str, str], tuple[list[str], list[Any]]]) -> None:
        script = _lua(_BEST_LUA)
        pipe = redis_client().pipeline(transaction=False)
        for keys, args in batch.values():
            script(keys=keys, args=args, client=pipe)  # the pipeline loads it if Redis lost it
        pipe.execute()

    def _put_back(self, batch: dict[tuple[str, str], tuple[list[str], list[Any]]]) -> None:
        for item in batch.values():
            self._add(item)


_offers = _Offers()
_offers.register()


def offer_seconds() -> float:
    return float(_setting("LEADERBOARD_OFFER_SECONDS", 0.2))


def send_offers() -> None:
    """Send this process's gathered offers now (before a read, so a process reads its own); if
    the sending thread has them under way, wait for it."""
    if _offers.under_way():
        _offers.flush()


def offer_best(*, kind: str, object_id: int, user_id: int, dims: Any, score: int, time_ms: int) -> None:
    """Offer a person's (score, time) to the boards of a timed kind; only an improvement changes
    them. Gathered and sent within LEADERBOARD_OFFER_SECONDS (see _Offers); 0 sends it at once."""
    if not uses_redis():
        return
    keys = family_keys(kind, object_id)
    args = [str(user_id), composite(score, time_ms), int(score), *higher_members(dims)]
    if offer_seconds() > 0:
        _offers.add((keys, args))
    else:
        _run_script(_BEST_LUA, keys, args)


def add_points(*, kind: str, object_id: int, user_id: int, dims: Any, delta: int) -> None:
    """Add points to a person and their higher boards (an untimed kind)."""
    if not uses_redis():
        return
    members = members_of(dims)
    pipe = redis_client().pipeline(transaction=True)
    pipe.zincrby(Board(kind, object_id, "person").key, delta, str(user_id))
    for level in HIGHER_LEVELS:
        if members[level]:
            pipe.zincrby(Board(kind, object_id, level).key, delta, members[level])
    pipe.execute()


# --- stored person labels (Redis only; see BoardKind.stored_labels) ---------------------------


def _watch_rows(spec: BoardKind) -> None:
    from django.db.models.signals import post_delete, post_save

    uid = f"leaderboards.labels.{spec.name}"
    post_save.connect(_row_saved, sender=spec.rows, weak=False, dispatch_uid=f"{uid}.s")
    post_delete.connect(_row_deleted, sender=spec.rows, weak=False, dispatch_uid=f"{uid}.d")


def _labelled_kinds(rows_model: type[models.Model] | None = None) -> list[BoardKind]:
    return [k for k in _KINDS.values() if k.stored_labels is not None and rows_model in (None, k.rows)]


def _row_saved(sender: type[models.Model], instance: Any, created: bool = False, raw: bool = False, **kw: Any) -> None:
    """A person joined: their label goes beside the board once the row is committed. The name is
    read after the commit and written only if no label is there (HSETNX), so a rename committed
    meanwhile, whose `refresh_labels` sees this row and writes the new label, is never undone."""
    if not created or raw or not uses_redis():
        return
    for spec in _labelled_kinds(sender):
        object_id, user_id = int(getattr(instance, spec.owner_field)), int(instance.user_id)
        transaction.on_commit(lambda spec=spec, o=object_id, u=user_id: _store_label(spec, o, u))


def _store_label(spec: BoardKind, object_id: int, user_id: int) -> None:
    labels = spec.stored_labels([user_id]) if spec.stored_labels else {}
    if user_id in labels:
        redis_client().hsetnx(Board(spec.name, object_id).labels_key, str(user_id), labels[user_id])


def _row_deleted(sender: type[models.Model], instance: Any, **kw: Any) -> None:
    if not uses_redis():
        return
    for spec in _labelled_kinds(sender):
        key, member = Board(spec.name, int(getattr(instance, spec.owner_field))).labels_key, str(instance.user_id)
        transaction.on_commit(lambda key=key, member=member: redis_client().hdel(key, member))


def refresh_labels(user_ids: Iterable[int]) -> None:
    """Rewrite the stored labels of these people on every board they are a row of (their app
    calls this after the commit that changed what their label is made of, e.g. a name)."""
    ids = sorted({int(u) for u in user_ids})
    if not ids or not uses_redis():
        return
    pipe = None
    for spec in _labelled_kinds():
        rows = spec.rows._default_manager.filter(user_id__in=ids).values_list(spec.owner_field, "user_id")
        rows = list(rows)
        if not rows or spec.stored_labels is None:
            continue
        labels = spec.stored_labels(ids)
        pipe = pipe or redis_client().pipeline(transaction=False)
        for object_id, user_id in rows:
            key = Board(spec.name, object_id).labels_key
            if user_id in labels:
                pipe.hset(key, str(user_id), labels[user_id])
            else:
                pipe.hdel(key, str(user_id))
    if pipe is not None:
        pipe.execute()


def rebuild_labels(board: Board, *, batch: int = 20000) -> int:
    """Write a person board's stored labels afresh from the database (every row of its owner);
    returns how many. Built under a temporary key and swapped in with RENAME."""
    spec, key = board.spec, board.labels_key
    if key is None or spec.stored_labels is None or not uses_redis():
        return 0
    ids = list(
        spec.rows._default_manager.filter(**{spec.owner_field: board.object_id})
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    r = redis_client()
    tmp = f"{key}:rebuild"
    r.delete(tmp)
    written = 0
    for i in range(0, len(ids), batch):
        labels = spec.stored_labels(ids[i : i + batch])
        if labels:
            r.hset(tmp, mapping={str(u): label for u, label in labels.items()})
            written += len(labels)
    if written:
        r.rename(tmp, key)
    else:
        r.delete(key)
    return written


# --- the database view of a board ------------------------------------------------------------


def _rows(board: Board):
    spec = board.spec
    return spec.rows._default_manager.filter(on_board=True, **{spec.owner_field: board.object_id})


def _group_qs(board: Board):
    field = _DIM_FIELDS[board.level]
    qs = _rows(board)
    qs = qs.exclude(**{f"{field}__isnull": True}) if field == "unit_id" else qs.exclude(**{field: ""})
    return qs.values(field).annotate(total=Sum(board.spec.points_field)).order_by("-total", f"-{field}")


def _person_qs(board: Board):
    spec = board.spec
    order = [f"-{spec.points_field}", *([spec.time_field] if spec.timed else []), "-user_id"]
    return _rows(board).order_by(*order)


def db_entries(board: Board) -> list[tuple[str, int]]:
    """Every (member, sorted-set score) of a board, computed from the database — what Redis
    holds when it is in step. Used by rebuild() and by the equality tests."""
    spec = board.spec
    if board.level == "person":
        if spec.timed:
            rows = _rows(board).values_list("user_id", spec.points_field, spec.time_field)
            return [(str(u), composite(s, t)) for u, s, t in rows]
        return [(str(u), int(p)) for u, p in _rows(board).values_list("user_id", spec.points_field)]
    field = _DIM_FIELDS[board.level]
    return [(str(r[field]), int(r["total"] or 0)) for r in _group_qs(board)]


def _db_top(board: Board, start: int, stop: int) -> list[Entry]:
    spec = board.spec
    if board.level == "person":
        rows = _person_qs(board)[start:stop]
        return [
            Entry(
                start + i + 1,
                str(r.user_id),
                getattr(r, spec.points_field),
                getattr(r, spec.time_field) if spec.timed else None,
            )
            for i, r in enumerate(rows)
        ]
    field = _DIM_FIELDS[board.level]
    return [
        Entry(start + i + 1, str(r[field]), int(r["total"] or 0)) for i, r in enumerate(_group_qs(board)[start:stop])
    ]


def _db_rank(board: Board, member: str) -> int | None:
    """0-based rank, or None when the member is not on the board."""
    spec = board.spec
    if board.level == "person":
        if not member.isdigit():
            return None
        me = _rows(board).filter(user_id=int(member)).first()
        if me is None:
            return None
        points, field = getattr(me, spec.points_field), spec.points_field
        better = Q(**{f"{field}__gt": points})
        if spec.timed:
            used = getattr(me, spec.time_field)
            better |= Q(**{field: points, f"{spec.time_field}__lt": used})
            better |= Q(**{field: points, spec.time_field: used, "user_id__gt": me.user_id})
        else:
            better |= Q(**{field: points, "user_id__gt": me.user_id})
        return _rows(board).filter(better).count()
    field = _DIM_FIELDS[board.level]
    groups = _group_qs(board)
    mine = next(iter(groups.filter(**{field: member})), None) if member else None
    if mine is None:
        return None
    total = mine["total"] or 0
    return groups.filter(Q(total__gt=total) | Q(total=total, **{f"{field}__gt": member})).count()


# --- reads -----------------------------------------------------------------------------------


def _entries_from_redis(board: Board, rows: Iterable[tuple[bytes, float]], start: int) -> list[Entry]:
    out = []
    packed = board.spec.timed and board.level == "person"
    for i, (member, value) in enumerate(rows):
        member = member.decode() if isinstance(member, bytes) else str(member)
        if packed:
            score, time_ms = split_composite(value)
            out.append(Entry(start + i + 1, member, score, time_ms))
        else:
            out.append(Entry(start + i + 1, member, int(value)))
    return out


def size(board: Board) -> int:
    if uses_redis():
        send_offers()
        return int(redis_client().zcard(board.key))
    if board.level == "person":
        return _person_qs(board).count()
    return _group_qs(board).count()


def top(board: Board, n: int = 10) -> list[Entry]:
    n = max(1, min(int(n), 1000))
    if uses_redis():
        send_offers()
        return _entries_from_redis(board, redis_client().zrevrange(board.key, 0, n - 1, withscores=True), 0)
    return _db_top(board, 0, n)


def around(board: Board, member: str, neighbours: int = 5) -> tuple[Entry | None, list[Entry]]:
    """The member's entry and the entries `neighbours` places above and below it."""
    neighbours = max(0, min(int(neighbours), 50))
    if uses_redis():
        send_offers()
        r = redis_client()
        rank = r.zrevrank(board.key, member)
        if rank is None:
            return None, []
        start = max(0, rank - neighbours)
        entries = _entries_from_redis(board, r.zrevrange(board.key, start, rank + neighbours, withscores=True), start)
    else:
        rank = _db_rank(board, member)
        if rank is None:
            return None, []
        start = max(0, rank - neighbours)
        entries = _db_top(board, start, rank + neighbours + 1)
    mine = next((e for e in entries if e.member == member), None)
    return mine, entries


def person_ranks(kind: str, user_id: int, object_ids: Iterable[int]) -> dict[int, int | None]:
    """One person's rank (1 = first) on the person board of each owner in `object_ids`, as the
    board shows it; None where they are not on it. With Redis one round trip for them all."""
    boards = [Board(kind, int(i), "person") for i in dict.fromkeys(object_ids)]
    member = str(int(user_id))
    if uses_redis():
        send_offers()
        pipe = redis_client().pipeline(transaction=False)
        for board in boards:
            pipe.zrevrank(board.key, member)
        ranks = pipe.execute()
    else:
        ranks = [_db_rank(board, member) for board in boards]
    return {board.object_id: None if rank is None else int(rank) + 1 for board, rank in zip(boards, ranks, strict=True)}


def read(
    board: Board, *, top_n: int, member: str, neighbours: int
) -> tuple[int, list[Entry], Entry | None, list[Entry]]:
    """(size, top N, the member's entry, the entries around it) in one Redis round trip (a
    script), or from the database."""
    n, top_entries, mine, near, _labels = read_labelled(board, top_n=top_n, member=member, neighbours=neighbours)
    return n, top_entries, mine, near


def read_labelled(
    board: Board, *, top_n: int, member: str, neighbours: int
) -> tuple[int, list[Entry], Entry | None, list[Entry], dict[str, str]]:
    """`read`, and the stored labels of the rows read (person boards of a kind with
    `stored_labels`, in Redis; empty otherwise, and a member without one is left out)."""
    top_n = max(0, min(int(top_n), 1000))
    neighbours = max(0, min(int(neighbours), 50))
    if not uses_redis():
        mine, near = around(board, member, neighbours) if member else (None, [])
        return size(board), top(board, top_n) if top_n else [], mine, near, {}
    send_offers()
    # One round trip: a script reads the size, the top, the member's rank and its neighbours,
    # and the rows' stored labels, and answers with one JSON text (one bulk string to parse).
    labels_key = board.labels_key
    keys = [board.key, labels_key] if labels_key else [board.key]
    raw = _run_script(_READ_LUA, keys, [top_n, member or "", neighbours])
    n, first, rank, around_rows, label_values = orjson.loads(raw)
    first, around_rows = first or [], around_rows or []  # an empty table comes back as {}
    packed = board.spec.timed and board.level == "person"
    top_entries = _entries_from_flat(first, 0, packed)
    labels: dict[str, str] = {}
    if label_values:
        members = [*first[::2], *around_rows[::2]]
        labels = {m: v for m, v in zip(members, label_values, strict=True) if v}
    if not member or rank is False or rank is None:
        return int(n), top_entries, None, [], labels
    near = _entries_from_flat(around_rows, max(0, int(rank) - neighbours), packed)
    mine = next((e for e in near if e.member == member), None)
    return int(n), top_entries, mine, near, labels


def _entries_from_flat(flat: list[str], start: int, packed: bool) -> list[Entry]:
    """Entries from a script's [member, score, member, score, …] (scores as Redis writes them:
    17 significant digits, which float() reads back to the same double — the packed score of a
    timed board included)."""
    out = []
    for i in range(0, len(flat), 2):
        if packed:
            score, time_ms = split_composite(float(flat[i + 1]))
            out.append(Entry(start + i // 2 + 1, flat[i], score, time_ms))
        else:
            out.append(Entry(start + i // 2 + 1, flat[i], int(float(flat[i + 1]))))
    return out


# KEYS: the board, then (optional) the hash of its stored labels. ARGV: top N, the member ("" =
# none), neighbours. Returns JSON: [size, top flat, rank (false = not on the board), around flat,
# the labels of the top then the around members (false = none stored)]. An empty Lua table is
# written as {} by cjson: read as "nothing".
_READ_LUA = """
local n = redis.call('ZCARD', KEYS[1])
local top_n = tonumber(ARGV[1])
local top = {}
if top_n > 0 then top = redis.call('ZREVRANGE', KEYS[1], 0, top_n - 1, 'WITHSCORES') end
local rank = false
local near = {}
if ARGV[2] ~= '' then
  rank = redis.call('ZREVRANK', KEYS[1], ARGV[2])
  if rank then
    local k = tonumber(ARGV[3])
    local start = rank - k
    if start < 0 then start = 0 end
    near = redis.call('ZREVRANGE', KEYS[1], start, rank + k, 'WITHSCORES')
  end
end
local labels = {}
if KEYS[2] then
  local members = {}
  for i = 1, #top, 2 do members[#members + 1] = top[i] end
  for i = 1, #near, 2 do members[#members + 1] = near[i] end
  if #members > 0 then labels = redis.call('HMGET', KEYS[2], unpack(members)) end
end
return cjson.encode({n, top, rank, near, labels})
"""


def rebuild(board: Board, *, batch: int = 20000) -> int:
    """Write one Redis board afresh from the database; returns its size. Built under a
    temporary key and swapped in with RENAME, so readers never see a half-built board."""
    entries = db_entries(board)
    if not uses_redis():
        return len(entries)
    send_offers()
    r = redis_client()
    tmp = f"{board.key}:rebuild"
    r.delete(tmp)
    for i in range(0, len(entries), batch):
        r.zadd(tmp, dict(entries[i : i + batch]))
    if entries:
        r.rename(tmp, board.key)
    else:
        r.delete(board.key)
    if board.labels_key:
        rebuild_labels(board)
    return len(entries)


def redis_entries(board: Board) -> list[tuple[str, int]]:
    send_offers()
    rows = redis_client().zrange(board.key, 0, -1, withscores=True)
    return [(m.decode() if isinstance(m, bytes) else m, int(v)) for m, v in rows]


# --- what a viewer sees ----------------------------------------------------------------------


@dataclass(frozen=True)
class BoardView:
    board: Board
    size: int
    top: list[dict[str, Any]]
    me: dict[str, Any] | None
    around: list[dict[str, Any]]


def _view_rows(entries: list[Entry], labels: dict[str, str], mine: str) -> list[dict[str, Any]]:
    return [
        {
            "rank": e.rank,
            "member": e.member,
            "label": labels.get(e.member, e.member),
            "score": e.score,
            "time_ms": e.time_ms,
            "is_me": e.member == mine,
        }
        for e in entries
    ]


def my_member(board: Board, user: Any) -> str:
    """The viewer's member name on a board ("" when they are not on it)."""
    if not getattr(user, "is_authenticated", False):
        return ""
    if board.level == "person":
        return str(user.pk)
    spec = board.spec
    row = spec.rows._default_manager.filter(user=user, **{spec.owner_field: board.object_id}).first()
    return members_of(row)[board.level] if row else ""


# Top lists are the same for every viewer (labelled for no one in particular) and change at
# most as fast as people score, so each process keeps each one for half a second: a board read
# then costs one Redis pipeline and the viewer's own rows. "Updated within a second" holds.
_top_cache: dict[tuple[str, int], tuple[float, list[dict[str, Any]]]] = {}


def _cached_top(board: Board, top_n: int) -> list[dict[str, Any]] | None:
    hit = _top_cache.get((board.key, top_n))
    return hit[1] if hit and hit[0] > time.monotonic() else None


def view(board: Board, viewer: Any, *, top_n: int = 10, neighbours: int = 3) -> BoardView:
    """The top N (labelled for anyone), and the viewer's own entry and neighbours (labelled for them)."""
    labels_for = board.spec.labels
    member = my_member(board, viewer)
    cached = _cached_top(board, top_n) if uses_redis() else None
    n, top_entries, mine, near, stored = read_labelled(
        board, top_n=0 if cached is not None else top_n, member=member, neighbours=neighbours
    )
    if cached is None:
        cached = _view_rows(top_entries, labels_for(board, [e.member for e in top_entries], None, stored), "")
        if uses_redis():
            seconds = getattr(settings, "LEADERBOARD_TOP_CACHE_SECONDS", 0.5)
            _top_cache[(board.key, top_n)] = (time.monotonic() + seconds, cached)
    labels = labels_for(board, [e.member for e in near], viewer, stored)
    top_rows = [
        {**row, "is_me": True, "label": labels.get(member, row["label"])} if row["member"] == member else row
        for row in cached
    ]
    return BoardView(
        board=board,
        size=n,
        top=top_rows,
        me=_view_rows([mine], labels, member)[0] if mine else None,
        around=_view_rows(near, labels, member),
    )

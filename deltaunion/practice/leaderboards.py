"""Leaderboards for quizzes and points campaigns, by person, team, employer unit, city, province.

With `REDIS_URL` set, every board is a Redis sorted set, updated right after the database
commit that changed a score. Without Redis the same functions read the database. Either
way the database is the source of truth: `rebuild()` writes every board afresh from it
(`manage.py rebuild_leaderboards`).

Quiz boards: the person board keeps each person's best attempt — score first, then less
time — packed into one sorted-set score (`composite`); the higher boards add up people's
best scores, so when a person improves, each higher board gets the improvement.
Campaign boards: every board adds up points.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, Sum

LEVELS = ("person", "team", "unit", "city", "province")
HIGHER_LEVELS = LEVELS[1:]
KINDS = ("quiz", "campaign")
TIME_SLOTS = 10**9  # ms of time used that fit under one point in the packed quiz score
_DIM_FIELDS = {"team": "team_key", "unit": "unit_id", "city": "city_code", "province": "province_code"}


@dataclass(frozen=True)
class Board:
    kind: str  # "quiz" | "campaign"
    object_id: int
    level: str = "person"

    def __post_init__(self) -> None:
        if self.kind not in KINDS or self.level not in LEVELS:
            raise ValueError(f"unknown board {self.kind}/{self.level}")

    @property
    def key(self) -> str:
        return f"{key_prefix()}:lb:{self.kind}:{self.object_id}:{self.level}"


@dataclass(frozen=True)
class Entry:
    rank: int
    member: str
    score: int
    time_ms: int | None = None  # quiz person boards only


def key_prefix() -> str:
    return getattr(settings, "LEADERBOARD_KEY_PREFIX", "du")


def uses_redis() -> bool:
    return bool(getattr(settings, "REDIS_URL", ""))


def redis_client():
    from django_redis import get_redis_connection

    return get_redis_connection("default")


def composite(score: int, time_ms: int) -> int:
    """One sortable number: higher score first, then less time used."""
    return int(score) * TIME_SLOTS + (TIME_SLOTS - 1 - max(0, min(int(time_ms), TIME_SLOTS - 1)))


def split_composite(value: float) -> tuple[int, int]:
    value = int(value)
    score, rest = divmod(value, TIME_SLOTS)
    return score, TIME_SLOTS - 1 - rest


def members_of(dims: Any) -> dict[str, str]:
    """The member names of a participant on each higher board ("" = not on that board)."""
    return {
        "team": dims.team_key or "",
        "unit": str(dims.unit_id) if dims.unit_id else "",
        "city": dims.city_code or "",
        "province": dims.province_code or "",
    }


# --- writes (Redis only; the database rows are already the board) ---------------------------

# KEYS: person board, then the higher boards. ARGV: person member, new packed score,
# new plain score, then one member per higher board ("" = skip).
_QUIZ_BEST_LUA = """
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

_script = None


def _quiz_best_script():
    global _script
    if _script is None:
        _script = redis_client().register_script(_QUIZ_BEST_LUA)
    return _script


def quiz_best_push(*, quiz_id: int, user_id: int, dims: Any, score: int, time_ms: int) -> None:
    """Offer a person's (score, time) to the quiz boards; only an improvement changes them."""
    if not uses_redis():
        return
    members = members_of(dims)
    keys = [Board("quiz", quiz_id, level).key for level in LEVELS]
    args = [str(user_id), composite(score, time_ms), int(score), *[members[level] for level in HIGHER_LEVELS]]
    _quiz_best_script()(keys=keys, args=args)


def campaign_points_push(*, campaign_id: int, user_id: int, dims: Any, delta: int) -> None:
    if not uses_redis():
        return
    members = members_of(dims)
    pipe = redis_client().pipeline(transaction=True)
    pipe.zincrby(Board("campaign", campaign_id, "person").key, delta, str(user_id))
    for level in HIGHER_LEVELS:
        if members[level]:
            pipe.zincrby(Board("campaign", campaign_id, level).key, delta, members[level])
    pipe.execute()


# --- the database view of a board ------------------------------------------------------------


def _rows_model(kind: str):
    from deltaunion.practice.models import CampaignMember, QuizParticipant

    return QuizParticipant if kind == "quiz" else CampaignMember


def _owner_filter(board: Board) -> dict[str, Any]:
    return {"quiz_id": board.object_id} if board.kind == "quiz" else {"campaign_id": board.object_id}


def _points_field(kind: str) -> str:
    return "best_score" if kind == "quiz" else "points"


def db_entries(board: Board) -> list[tuple[str, int]]:
    """Every (member, sorted-set score) of a board, computed from the database — what
    Redis holds when it is in step. Used by rebuild() and by the equality test."""
    model = _rows_model(board.kind)
    qs = model.objects.filter(on_board=True, **_owner_filter(board))
    points = _points_field(board.kind)
    if board.level == "person":
        if board.kind == "quiz":
            return [(str(u), composite(s, t)) for u, s, t in qs.values_list("user_id", "best_score", "best_time_ms")]
        return [(str(u), int(p)) for u, p in qs.values_list("user_id", "points")]
    field = _DIM_FIELDS[board.level]
    qs = qs.exclude(**{f"{field}__isnull": True}) if field == "unit_id" else qs.exclude(**{field: ""})
    return [(str(m), int(t or 0)) for m, t in qs.values(field).annotate(t=Sum(points)).values_list(field, "t")]


def _db_person_qs(board: Board):
    model = _rows_model(board.kind)
    qs = model.objects.filter(on_board=True, **_owner_filter(board))
    if board.kind == "quiz":
        return qs.order_by("-best_score", "best_time_ms", "-user_id")
    return qs.order_by("-points", "-user_id")


def _db_group_qs(board: Board):
    model = _rows_model(board.kind)
    field = _DIM_FIELDS[board.level]
    qs = model.objects.filter(on_board=True, **_owner_filter(board))
    qs = qs.exclude(**{f"{field}__isnull": True}) if field == "unit_id" else qs.exclude(**{field: ""})
    return qs.values(field).annotate(total=Sum(_points_field(board.kind))).order_by("-total", f"-{field}")


def _db_top(board: Board, start: int, stop: int) -> list[Entry]:
    if board.level == "person":
        rows = _db_person_qs(board)[start:stop]
        if board.kind == "quiz":
            return [Entry(start + i + 1, str(r.user_id), r.best_score, r.best_time_ms) for i, r in enumerate(rows)]
        return [Entry(start + i + 1, str(r.user_id), r.points) for i, r in enumerate(rows)]
    field = _DIM_FIELDS[board.level]
    return [
        Entry(start + i + 1, str(r[field]), int(r["total"] or 0)) for i, r in enumerate(_db_group_qs(board)[start:stop])
    ]


def _db_rank(board: Board, member: str) -> int | None:
    """0-based rank, or None when the member is not on the board."""
    model = _rows_model(board.kind)
    base = model.objects.filter(on_board=True, **_owner_filter(board))
    if board.level == "person":
        if not member.isdigit():
            return None
        me = base.filter(user_id=int(member)).first()
        if me is None:
            return None
        uid = me.user_id
        if board.kind == "quiz":
            s, t = me.best_score, me.best_time_ms
            better = (
                Q(best_score__gt=s)
                | Q(best_score=s, best_time_ms__lt=t)
                | Q(best_score=s, best_time_ms=t, user_id__gt=uid)
            )
        else:
            better = Q(points__gt=me.points) | Q(points=me.points, user_id__gt=uid)
        return base.filter(better).count()
    field = _DIM_FIELDS[board.level]
    groups = _db_group_qs(board)
    mine = next((g for g in groups.filter(**{field: member})), None) if member else None
    if mine is None:
        return None
    total = mine["total"] or 0
    ahead = groups.filter(Q(total__gt=total) | Q(total=total, **{f"{field}__gt": member}))
    return ahead.count()


# --- reads -----------------------------------------------------------------------------------


def _entries_from_redis(board: Board, rows: Iterable[tuple[bytes, float]], start: int) -> list[Entry]:
    out = []
    for i, (member, value) in enumerate(rows):
        member = member.decode() if isinstance(member, bytes) else str(member)
        if board.kind == "quiz" and board.level == "person":
            score, time_ms = split_composite(value)
            out.append(Entry(start + i + 1, member, score, time_ms))
        else:
            out.append(Entry(start + i + 1, member, int(value)))
    return out


def size(board: Board) -> int:
    if uses_redis():
        return int(redis_client().zcard(board.key))
    if board.level == "person":
        return _db_person_qs(board).count()
    return _db_group_qs(board).count()


def top(board: Board, n: int = 10) -> list[Entry]:
    n = max(1, min(int(n), 1000))
    if uses_redis():
        return _entries_from_redis(board, redis_client().zrevrange(board.key, 0, n - 1, withscores=True), 0)
    return _db_top(board, 0, n)


def around(board: Board, member: str, neighbours: int = 5) -> tuple[Entry | None, list[Entry]]:
    """The member's entry and the entries `neighbours` places above and below it."""
    neighbours = max(0, min(int(neighbours), 50))
    if uses_redis():
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


def read(
    board: Board, *, top_n: int, member: str, neighbours: int
) -> tuple[int, list[Entry], Entry | None, list[Entry]]:
    """(size, top N, the member's entry, the entries around it) in two Redis round trips
    (top, rank and size pipelined; then the neighbours), or from the database."""
    top_n = max(1, min(int(top_n), 1000))
    neighbours = max(0, min(int(neighbours), 50))
    if not uses_redis():
        mine, near = around(board, member, neighbours) if member else (None, [])
        return size(board), top(board, top_n) if top_n else [], mine, near
    pipe = redis_client().pipeline(transaction=False)
    pipe.zcard(board.key)
    if top_n:
        pipe.zrevrange(board.key, 0, top_n - 1, withscores=True)
    pipe.zrevrank(board.key, member or "\x00")
    n, *rest = pipe.execute()
    first, rank = (rest[0], rest[1]) if top_n else ([], rest[0])
    top_entries = _entries_from_redis(board, first, 0)
    if not member or rank is None:
        return int(n), top_entries, None, []
    start = max(0, rank - neighbours)
    if rank + neighbours < top_n:  # already read
        near = top_entries[start : rank + neighbours + 1]
    else:
        near = _entries_from_redis(
            board, redis_client().zrevrange(board.key, start, rank + neighbours, withscores=True), start
        )
    mine = next((e for e in near if e.member == member), None)
    return int(n), top_entries, mine, near


def rebuild(board: Board, *, batch: int = 20000) -> int:
    """Write one Redis board afresh from the database; returns its size. Built under a
    temporary key and swapped in with RENAME, so readers never see a half-built board."""
    if not uses_redis():
        return len(db_entries(board))
    entries = db_entries(board)
    r = redis_client()
    tmp = f"{board.key}:rebuild"
    r.delete(tmp)
    for i in range(0, len(entries), batch):
        r.zadd(tmp, dict(entries[i : i + batch]))
    if entries:
        r.rename(tmp, board.key)
    else:
        r.delete(board.key)
    return len(entries)


def boards_of(kind: str, object_id: int) -> list[Board]:
    return [Board(kind, object_id, level) for level in LEVELS]


def redis_entries(board: Board) -> list[tuple[str, int]]:
    rows = redis_client().zrange(board.key, 0, -1, withscores=True)
    return [(m.decode() if isinstance(m, bytes) else m, int(v)) for m, v in rows]

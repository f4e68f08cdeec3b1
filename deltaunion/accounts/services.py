from __future__ import annotations

import hashlib
import os
import secrets
import threading
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deltaunion.accounts.models import ApiToken, User
from deltaunion.core import hotsql, redis_held
from deltaunion.core.audit import log_action
from deltaunion.core.permissions import require
from deltaunion.core.services import model_update

TOKEN_PREFIX = "du_"
TOKEN_NAME_MAX = ApiToken._meta.get_field("name").max_length


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str, by: Any) -> tuple[ApiToken, str]:
    """Create a token; the raw value is returned once and never stored."""
    require(by, "accounts.create_api_token", user)
    name = (name or "").strip() or "api"
    if len(name) > TOKEN_NAME_MAX:
        raise ValidationError(_("The token name cannot be longer than %(n)d characters") % {"n": TOKEN_NAME_MAX})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:10], digest=_digest(raw))
    log_action(actor=by, action="api_token.create", obj=token, after={"user": user.pk, "name": token.name})
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: Any) -> ApiToken:
    """Revoke the token (revoking it again changes nothing)."""
    require(by, "accounts.revoke_api_token", token)
    if token.revoked_at is None:
        model_update(
            instance=token, fields=["revoked_at"], data={"revoked_at": timezone.now()}, by=by, action="api_token.revoke"
        )
    forget_tokens([token.digest])
    return token


# --- authentication without a query on the hot path ----------------------------------------
# A token's digest maps, in the cache, to its user's fields. Revoking a token (the service, the
# admin, any save), deleting it, or saving its user (deactivated, flags changed) deletes the
# entry, before and again after the commit. Where the cache is shared by every worker (Redis in
# production) that makes revocation immediate, and an entry lives TOKEN_CACHE_SECONDS = 60 (a
# change made by raw SQL, bypassing the ORM, shows within that); where it is a worker's own
# memory (development, tests) another worker's entry lives 5 s at most. API_TOKEN_CACHE_SECONDS
# overrides both. The password hash is never cached: the user is built with it deferred, so
# anything that needs it reads it from the database.
#
# In front of a shared cache each worker process also keeps what it read, so a client's calls in
# a row cost no round trip to Redis. A revocation drops the entry in the revoking process at once.
# With Redis it also appends the token's digest to a stream of notices. Every process reads the
# notices it has not seen at most every REVOCATION_CHECK_SECONDS = 1 (one round trip a second per
# process, not one per request) and drops those copies. So a revocation reaches every process
# within that second, and a copy may be kept TOKEN_LOCAL_SECONDS = 30. A process that cannot read
# the notices, or that missed more than the stream keeps, drops every copy. A change made by raw
# SQL sends no notice: it shows within the shared entry's 60 s plus a copy's 30 s. Without
# notices (a shared cache that is not Redis) a copy lives 2 s. Tests in
# accounts/tests/test_api_tokens.py. The first read of a token not cached anywhere is one SQL
# statement written once (PostgreSQL), not an ORM query compiled again for every new token.


def _shared_cache() -> bool:
    return "locmem" not in settings.CACHES["default"]["BACKEND"].lower()


def _notices_available() -> bool:
    return "django_redis" in settings.CACHES["default"]["BACKEND"]


TOKEN_CACHE_SECONDS = getattr(settings, "API_TOKEN_CACHE_SECONDS", 60 if _shared_cache() else 5)
TOKEN_LOCAL_SECONDS = getattr(settings, "API_TOKEN_LOCAL_SECONDS", 30.0 if _notices_available() else 2.0)
REVOCATION_CHECK_SECONDS = getattr(settings, "API_TOKEN_REVOCATION_CHECK_SECONDS", 1.0)
REVOCATION_NOTICES_KEPT = 10_000  # the stream's length; a process that missed more drops every copy
TOKEN_LOCAL_MAX = 20_000  # entries a process keeps at most (then it starts again from empty)
LAST_USED_EVERY = 60  # seconds between writes of a token's last_used_at
_USER_FIELDS = tuple(f.attname for f in User._meta.concrete_fields if f.attname != "password")
# digest -> (monotonic expiry, user fields): this process's own copy, in front of a shared cache
_local: dict[str, tuple[float, tuple]] = {}


def _cache_key(digest: str) -> str:
    return f"apitoken:{digest}"


def forget_tokens(digests) -> None:
    """Drop cached authentications, here and in every process, now and again after the current
    transaction commits (a request that read the row before the commit may have cached it again
    meanwhile)."""
    digests = list(digests)
    keys = [_cache_key(d) for d in digests]
    if keys:
        _forget_here(digests)
        cache.delete_many(keys)
        _announce(digests)

        def again() -> None:
            _forget_here(digests)
            cache.delete_many(keys)
            _announce(digests)

        transaction.on_commit(again)


def _forget_here(digests: list[str]) -> None:
    for d in digests:
        _local.pop(d, None)


class _Notices:
    """What this process has read of the revocation notices."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seen: bytes | None = None  # the last notice read; None: not started in this process
        self.pid = 0
        self.next_check = 0.0


_notices = _Notices()


def _notices_key() -> str:
    return cache.make_key("apitoken:revoked")


def _notices_client() -> Any:
    return redis_held.client()


def _announce(digests: list[str]) -> None:
    """Tell every process to drop its copies of these tokens."""
    if _notices_available():
        _notices_client().xadd(
            _notices_key(), {"d": ",".join(digests)}, maxlen=REVOCATION_NOTICES_KEPT, approximate=True
        )


def _heed_revocations(now: float) -> None:
    """Drop this process's copies of the tokens revoked since it last looked (at most every
    REVOCATION_CHECK_SECONDS; another thread already looking is not waited for)."""
    n = _notices
    if now < n.next_check or not n.lock.acquire(blocking=False):
        return
    try:
        n.next_check = now + REVOCATION_CHECK_SECONDS
        client, key = _notices_client(), _notices_key()
        if n.seen is None or n.pid != os.getpid():
            # first look in this process: its copies (none, or a forked parent's) are not trusted
            last = client.xrevrange(key, count=1)
            _local.clear()
            n.seen, n.pid = (last[0][0] if last else b"0-0"), os.getpid()
            return
        notices = client.xrange(key, min=b"(" + n.seen, count=REVOCATION_NOTICES_KEPT)
        if len(notices) >= REVOCATION_NOTICES_KEPT:  # some may have been trimmed unread
            _local.clear()
        for _id, fields in notices:
            _forget_here(fields[b"d"].decode().split(","))
        if notices:
            n.seen = notices[-1][0]
    except Exception:  # Redis away: what was revoked cannot be told, so no copy is trusted
        _local.clear()
        n.seen = None
    finally:
        n.lock.release()


def forget_tokens_of(user_id: int) -> None:
    forget_tokens(ApiToken.objects.filter(user_id=user_id).values_list("digest", flat=True))


def api_token_authenticate(raw: str) -> User | None:
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    digest = _digest(raw)
    local = _shared_cache() and TOKEN_LOCAL_SECONDS > 0
    now_mono = time.monotonic()
    if local and _notices_available():
        _heed_revocations(now_mono)
    held = _local.get(digest) if local else None
    if held is not None and held[0] > now_mono:
        entry = held[1]
    else:
        key = _cache_key(digest)
        entry = _shared_get(key)
        if entry is None:
            entry = _token_user_fields(digest)
            if entry is None:
                return None
            cache.set(key, entry, TOKEN_CACHE_SECONDS)
        if local:
            if len(_local) >= TOKEN_LOCAL_MAX:
                _local.clear()
            _local[digest] = (now_mono + TOKEN_LOCAL_SECONDS, entry)
    return User.from_db(DEFAULT_DB_ALIAS, _USER_FIELDS, entry)


_MISSED = object()


def _shared_get(key: str) -> Any:
    """The shared cache's entry (None when absent); with Redis, read on the thread's own
    connection (core.redis_held) and decoded as the cache would."""
    if not _notices_available():
        return cache.get(key)
    value = redis_held.call(("GET", cache.make_key(key)), lambda: _MISSED)
    if value is _MISSED:
        return cache.get(key)
    return None if value is None else cache.client.decode(value)


def api_tokens_warm(digests: list[str]) -> int:
    """Put these live tokens' users in the cache as their authentication would (the same
    entries, for TOKEN_CACHE_SECONDS): the state of an active user's token, used within the
    last minute. For benchmarks that stand for active users; returns how many were cached."""
    entries = {}
    for start in range(0, len(digests), 5000):
        tokens = ApiToken.objects.select_related("user").filter(
            digest__in=digests[start : start + 5000], revoked_at__isnull=True, user__is_active=True
        )
        entries.update({_cache_key(t.digest): tuple(getattr(t.user, f) for f in _USER_FIELDS) for t in tokens})
    cache.set_many(entries, TOKEN_CACHE_SECONDS)
    return len(entries)


_TOKEN_SQL: dict[str, str] = {}


def _token_user_fields(digest: str) -> tuple | None:
    """The fields of a live token's active user (None otherwise), and `last_used_at` written
    when older than LAST_USED_EVERY. On PostgreSQL one statement written once; elsewhere the ORM."""
    now = timezone.now()
    if connection.vendor != "postgresql":
        token = (
            ApiToken.objects.select_related("user")
            .filter(digest=digest, revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if token is None:
            return None
        token_id, last_used, entry = token.pk, token.last_used_at, tuple(getattr(token.user, f) for f in _USER_FIELDS)
    else:
        sql = _TOKEN_SQL.get("pg")
        if sql is None:
            t, u = ApiToken._meta.db_table, User._meta.db_table
            columns = ", ".join(f'u."{User._meta.get_field(f).column}"' for f in _USER_FIELDS)
            sql = _TOKEN_SQL["pg"] = (
                f'SELECT t."id", t."last_used_at", {columns} FROM "{t}" t INNER JOIN "{u}" u ON u."id" = t."user_id" '
                f'WHERE t."digest" = %s AND t."revoked_at" IS NULL AND u."is_active" LIMIT 1'
            )
        row = hotsql.fetchone(sql, [digest])
        if row is None:
            return None
        token_id, last_used, entry = row[0], row[1], tuple(row[2:])
    if last_used is None or (now - last_used).total_seconds() > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    return entry

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deltaunion.accounts.models import ApiToken, User
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


def _shared_cache() -> bool:
    return "locmem" not in settings.CACHES["default"]["BACKEND"].lower()


TOKEN_CACHE_SECONDS = getattr(settings, "API_TOKEN_CACHE_SECONDS", 60 if _shared_cache() else 5)
LAST_USED_EVERY = 60  # seconds between writes of a token's last_used_at
_USER_FIELDS = tuple(f.attname for f in User._meta.concrete_fields if f.attname != "password")


def _cache_key(digest: str) -> str:
    return f"apitoken:{digest}"


def forget_tokens(digests) -> None:
    """Drop cached authentications, now and again after the current transaction commits (a
    request that read the row before the commit may have cached it again meanwhile)."""
    keys = [_cache_key(d) for d in digests]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def forget_tokens_of(user_id: int) -> None:
    forget_tokens(ApiToken.objects.filter(user_id=user_id).values_list("digest", flat=True))


def api_token_authenticate(raw: str) -> User | None:
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    digest = _digest(raw)
    key = _cache_key(digest)
    entry = cache.get(key)
    if entry is None:
        token = (
            ApiToken.objects.select_related("user")
            .filter(digest=digest, revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if token is None:
            return None
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        entry = tuple(getattr(token.user, f) for f in _USER_FIELDS)
        cache.set(key, entry, TOKEN_CACHE_SECONDS)
    return User.from_db(DEFAULT_DB_ALIAS, _USER_FIELDS, entry)

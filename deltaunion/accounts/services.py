from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
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
    return token


def api_token_authenticate(raw: str) -> User | None:
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user

"""Helpers shared by the contest services: roles, permissions, time."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from deltaunion.contests.models import Contest, ContestRole
from deltaunion.orgs.scoping import require_manager, scope_for

JUDGING_ROLES = (ContestRole.Kind.JUDGE, ContestRole.Kind.CHIEF_JUDGE)


def now_or(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def has_role(contest: Contest, user: Any, *roles: str) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return ContestRole.objects.filter(contest=contest, user=user, role__in=roles).exists()


def require_role(contest: Contest, user: Any, *roles: str) -> None:
    """PermissionDenied unless the user holds one of `roles` on the contest."""
    if not has_role(contest, user, *roles):
        names = "、".join(str(ContestRole.Kind(r).label) for r in roles)
        raise PermissionDenied(_("This needs one of these contest roles: %(roles)s") % {"roles": names})


def manages_contest(contest: Contest, user: Any) -> bool:
    return scope_for(user).manages(contest.lead_org) or has_role(contest, user, ContestRole.Kind.ORGANISER)


def require_contest_manager(contest: Contest, user: Any) -> None:
    """Officers of the lead organisation's subtree, or the contest's organisers (else 404)."""
    if not has_role(contest, user, ContestRole.Kind.ORGANISER):
        require_manager(user, contest.lead_org)


def canonical_json(data: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8: the bytes every hash in this app is taken over."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sha256_hex(data: Any) -> str:
    return hashlib.sha256(canonical_json(data)).hexdigest()

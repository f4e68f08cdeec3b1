"""Who may do what: named, per-object permissions, declared once in each app's `permissions.py`.

An app declares a permission with the predicate that decides it and the message a refused
user reads (Chinese first, through the catalogue):

    from deltaunion.core.permissions import define, predicate

    @predicate
    def is_contest_manager(user, contest) -> bool: ...

    define("contests.manage_contest", is_contest_manager,
           refusal=_("Only the contest's organisers may do this"))

Services call `require(user, "contests.manage_contest", contest)`; selectors, views and the API
call `can(...)`; templates use `{% can "contests.manage_contest" contest as may_manage %}`
(core's `du` tag library). Predicates are `rules` predicates: they compose with `&`, `|`, `~`.

The refusal rule, everywhere (pages and API): an object the user may not *see* is a 404, the
same as a missing one (scoping, `orgs.scoping.get_for_user_or_404`); an action on an object the
user may see but not *change* is a 403 carrying the permission's message (`require`).
"""

from __future__ import annotations

from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

predicate = rules.predicate
always_allow = rules.always_allow
always_deny = rules.always_deny
is_authenticated = rules.is_authenticated
is_superuser = rules.is_superuser

_PERMISSIONS = rules.RuleSet()
_REFUSALS: dict[str, str | Promise] = {}
DEFAULT_REFUSAL = _("You do not have permission to do this")


class Forbidden(PermissionDenied):
    """A refused action on something the user may see: answered 403 with this message."""

    def __init__(self, message: str | Promise = DEFAULT_REFUSAL):
        super().__init__(str(message))
        self.message = message


def define(name: str, pred: Any, *, refusal: str | Promise = DEFAULT_REFUSAL) -> None:
    """Declare a permission. Names are `<app label>.<verb>_<noun>`; each is declared once."""
    if name in _PERMISSIONS:
        raise KeyError(f"permission {name} is declared twice")
    _PERMISSIONS.add_rule(name, pred)
    _REFUSALS[name] = refusal


def defined(name: str) -> bool:
    return name in _PERMISSIONS


def names() -> list[str]:
    return sorted(_PERMISSIONS)


def can(user: Any, name: str, obj: Any = None) -> bool:
    if name not in _PERMISSIONS:
        raise KeyError(f"unknown permission {name}")
    return _PERMISSIONS.test_rule(name, user, obj)


def refusal(name: str) -> str:
    return str(_REFUSALS.get(name, DEFAULT_REFUSAL))


def require(user: Any, name: str, obj: Any = None) -> None:
    """Forbidden (403, with the permission's message) unless `can(user, name, obj)`."""
    if not can(user, name, obj):
        raise Forbidden(_REFUSALS.get(name, DEFAULT_REFUSAL))


def memo(user: Any, key: Any, compute: Any) -> Any:
    """Per-user, per-request memo for predicates that query (roles on an object, say).

    The user object lives for one request, so the memo does too; a service that changes
    roles calls `forget(user)`."""
    if user is None:
        return compute()
    cache = getattr(user, "_du_perm_memo", None)
    if cache is None:
        cache = {}
        try:
            user._du_perm_memo = cache
        except AttributeError:  # AnonymousUser instances are fine; this is for odd objects
            return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def forget(user: Any) -> None:
    if user is not None and hasattr(user, "_du_perm_memo"):
        user._du_perm_memo = {}

"""What every page works out about the signed-in viewer, cached between their requests.

Every page asks the same of its viewer: their organisation scope (what they may see), the
permissions the navigation is built from (officer, judge, expert, worker…) and how many unread
messages they have. Worked out per request that is half a dozen queries on every page; here it
is computed once and kept in the cache per user under two versions (core.fragments):

- `roles`, bumped by any saved or deleted organisation role, contest role, panel seat, worker
  record or organisation (the inputs of the scope and of the navigation's permissions);
- `inbox:<user id>`, bumped when one of the user's messages is written, read or deleted.

`prime(user)` puts the cached scope and permission answers on the user object (where
the organisations app's scope function and `core.permissions.memo` look first), so the page's own checks reuse
them without a query. The user's flags (superuser, staff, active) are part of the key.
"""

from __future__ import annotations

from typing import Any

from deltaunion.core import fragments
from deltaunion.core.registry import domain_apps

TTL = 600  # bounds only writes that send no signal (a bulk update of roles); see core.fragments
# Nav counts whose version is known: counted once per change, not per page.
COUNT_VERSIONS = {"deltaunion.me.selectors:unread_count": "inbox"}


def _all_items() -> list[Any]:
    return [item for app in domain_apps() for item in app.nav]


def prime(user: Any) -> dict[str, Any] | None:
    """The viewer's cached record ({"nav": {section: [(item index, count)]}}), with their scope
    and permission answers set on `user`; None for an anonymous viewer."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_du_viewer", None)
    if cached is not None:
        return cached
    parts = (user.pk, bool(user.is_superuser), bool(user.is_staff), bool(user.is_active))
    record = fragments.cached("viewer", parts, ["roles", f"inbox:{user.pk}"], lambda: _compute(user), ttl=TTL)
    if "_deltaunion_scope" not in user.__dict__:
        user._deltaunion_scope = record["scope"]
    memo = getattr(user, "_du_perm_memo", None)
    if memo is None:
        user._du_perm_memo = dict(record["memo"])
    else:
        for k, v in record["memo"].items():
            memo.setdefault(k, v)
    user._du_viewer = record
    return record


def _compute(user: Any) -> dict[str, Any]:
    from deltaunion.core.permissions import can
    from deltaunion.core.registry import _load, viewer_scope_function

    scope_for = viewer_scope_function()
    scope = scope_for(user) if scope_for is not None else None
    counts = {spec: int(_load(spec)(user)) for spec in COUNT_VERSIONS}
    nav: dict[str, list[tuple[int, int | None]]] = {}
    for i, item in enumerate(_all_items()):
        if item.permission is not None and not can(user, item.permission):
            continue
        nav.setdefault(item.section, []).append((i, counts.get(item.count)))
    memo = {k: v for k, v in (getattr(user, "_du_perm_memo", None) or {}).items() if isinstance(k, str)}
    return {"scope": scope, "memo": memo, "nav": nav, "counts": counts}


def count(user: Any, spec: str) -> int | None:
    """A count function's value for the viewer, cached if its version is known (else None)."""
    record = prime(user) if spec in COUNT_VERSIONS else None
    return record["counts"].get(spec) if record else None


def nav_items_with_counts(user: Any, section: str) -> list[tuple[Any, int]]:
    """(NavItem, count) the viewer may see in `section`, in menu order."""
    from deltaunion.core.registry import nav_count, nav_items

    record = prime(user)
    if record is None:
        return [(item, nav_count(item, user)) for item in nav_items(user, section)]
    items = _all_items()
    out = []
    for i, count in record["nav"].get(section, []):
        item = items[i]
        out.append((item, count if count is not None else nav_count(item, user)))
    return sorted(out, key=lambda ic: (ic[0].order, str(ic[0].label)))


def connect() -> None:
    """The versions' watchers (called once, when the apps are ready), for the viewer and for the
    cached parts of the pages a worker opens most (issue 17)."""
    from django.apps import apps

    def installed(*labels: str) -> list[str]:
        return [x for x in labels if apps.is_installed(f"deltaunion.{x.split('.')[0]}")]

    # the viewer: scope and navigation permissions; the unread count per user
    fragments.watch("roles", *installed("orgs.OrgRole", "orgs.Organisation", "contests.ContestRole"))
    fragments.watch("roles", *installed("honours.PanelMember", "people.Worker"))
    from deltaunion.core.models import Notification

    fragments.per_row("inbox", Notification, "recipient_id")
    # the home page's year report: the plans, their leads and every app's evidence of the tasks
    evidence = [a.label for a in domain_apps() if a.key_task_evidence]
    fragments.watch("home", *installed("workplans", "orgs"), *evidence)
    # the contest list and a contest's facts: contests, their venues and trades, the key tasks and plans they carry out, organisations
    fragments.watch("contests", *installed("contests.Contest", "contests.Venue", "contests.Trade", "workplans", "orgs"))
    # a contest's stages, their approved entries' count and live results
    fragments.watch(
        "contest-stages",
        *installed(
            "contests.Stage", "contests.Registration", "contests.ResultSet", "contests.Venue", "contests.Contest"
        ),
        *installed("orgs.Organisation"),
    )
    # the quiz page: the quiz, its bank and contest; the viewer's attempts and participation
    fragments.watch("quizzes", *installed("practice.Quiz", "practice.QuestionBank", "contests.Contest"))
    if apps.is_installed("deltaunion.practice"):
        for label in ("practice.QuizAttempt", "practice.QuizParticipant"):
            fragments.per_row("practice", label, "user_id")
    # 我的: each app's count of what needs the viewer (per user, `me:<user>`), and the rows
    # those counts share between users (a stage's state, a campaign's dates, a batch drawn)
    _connect_me(installed)


def _users_of_workers(*worker_ids: Any) -> list[Any]:
    from django.apps import apps

    ids = [w for w in worker_ids if w]
    if not ids:
        return []
    return list(apps.get_model("people", "Worker").objects.filter(pk__in=ids).values_list("user_id", flat=True))


def _connect_me(installed: Any) -> None:
    from django.apps import apps

    def model(label: str) -> Any:
        return apps.get_model(label)

    rows: list[tuple[str, Any]] = [
        ("practice.PracticeAnswer", "user_id"),  # every free-practice answer keeps the wrong-answer book
        ("practice.WrongAnswer", "user_id"),
        ("campaigns.CampaignMember", "user_id"),
        ("relations.CaseParty", "user_id"),
        (
            "relations.Case",
            lambda c: [
                c.applicant_id,
                *model("relations.CaseParty").objects.filter(case_id=c.pk).values_list("user_id", flat=True),
            ],
        ),
        ("honours.Nomination", lambda n: _users_of_workers(n.worker_id)),
        ("recuperation.Application", lambda a: _users_of_workers(a.worker_id)),
        ("contests.TeamMember", lambda m: _users_of_workers(m.worker_id)),
        (
            "contests.Registration",
            lambda r: _users_of_workers(
                r.worker_id,
                *model("contests.TeamMember").objects.filter(registration_id=r.pk).values_list("worker_id", flat=True),
            ),
        ),
    ]
    for label, field in rows:
        if installed(label):
            fragments.per_row("me", label, field)
    # Shared rows: a stage's state (entries on a live stage), a campaign's dates, a recuperation
    # batch (its draw, completion and cancelling write the applications in bulk, without a
    # signal, in the transaction that saves the batch), the employer named on the page.
    fragments.watch(
        "me-shared", *installed("contests.Stage", "campaigns.Campaign", "recuperation.Batch", "people.Employer")
    )

"""Where a participant sits on the boards, and how board members are named: shared by the
quiz boards registered here and the points-campaign boards (campaigns registers its own kind
with `member_labels`).

A participant's place (employer unit, union, city, province) is copied from their worker
record when they join, so that every board is one GROUP BY (`core.leaderboards`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection, models, transaction
from django.db.models.signals import post_save

from deltaunion.accounts.models import User
from deltaunion.core import leaderboards
from deltaunion.core.privacy import personal
from deltaunion.orgs.models import Organisation, Region
from deltaunion.people.models import Employer, Worker
from deltaunion.practice.permissions import full_names_visible


def worker_of(user: Any) -> Worker | None:
    """The user's worker record, or None (officers may practise without one)."""
    return Worker.objects.select_related("employer__region", "organisation__region").filter(user=user).first()


def _city_and_province(region: Region | None) -> tuple[str, str]:
    """City = the division directly under the province (a prefecture city, or a Shanghai district)."""
    if region is None:
        return "", ""
    chain = [region]
    while chain[-1].parent_id and len(chain) < 5:
        chain.append(chain[-1].parent)
    province = chain[-1]
    city = chain[-2] if len(chain) >= 2 else None
    return (city.code if city else ""), province.code


def _org_region(org: Organisation | None) -> Region | None:
    """The organisation's own division or its nearest ancestor's."""
    if org is None:
        return None
    if org.region_id:
        return org.region
    prefixes = [org.path[: i * 7] for i in range(1, len(org.path) // 7)]
    ancestor = (
        Organisation.objects.filter(path__in=prefixes, region__isnull=False)
        .select_related("region")
        .order_by("-depth")
        .first()
    )
    return ancestor.region if ancestor else None


def board_dims(user: Any) -> dict[str, Any]:
    """Where a user sits on the higher boards, from their worker record (the team is their union)."""
    worker = worker_of(user)
    if worker is None:
        return {"unit": None, "organisation": None, "city_code": "", "province_code": "", "team_key": ""}
    region = worker.employer.region if worker.employer and worker.employer.region_id else None
    city, province = _city_and_province(region or _org_region(worker.organisation))
    return {
        "unit": worker.employer,
        "organisation": worker.organisation,
        "city_code": city,
        "province_code": province,
        "team_key": str(worker.organisation_id),
    }


def _user_names(ids: list[int]) -> dict[int, str]:
    """Names by user id, in plain SQL: this runs on leaderboard reads whose labels are not stored."""
    if not ids:
        return {}
    table = User._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, full_name FROM {table} WHERE id IN ({', '.join(['%s'] * len(ids))})", ids)
        return dict(cursor.fetchall())


def masked_names(ids: list[int]) -> dict[int, str]:
    """The label of each person for a viewer who may not read their full name: the stored
    labels of the person boards (`BoardKind.stored_labels`), rewritten when a name changes."""
    return {pk: personal(name or "", "name", full=False) for pk, name in _user_names(ids).items()}


def member_labels(
    team_model: type[models.Model],
) -> Callable[[leaderboards.Board, list[str], Any, dict[str, str]], dict[str, str]]:
    """The labels of a kind of board whose teams are rows of `team_model`: people by name
    (masked unless `practice.see_full_name` lets the viewer read it), teams, units and places
    by name."""

    def labels(
        board: leaderboards.Board, members: list[str], viewer: Any, stored: dict[str, str] | None = None
    ) -> dict[str, str]:
        if not members:
            return {}
        ids = [int(m) for m in members if m.isdigit()]
        if board.level == "person":
            return _person_labels(ids, viewer, stored or {})
        if board.level in ("team", "unit"):
            model = team_model if board.level == "team" else Employer
            return {str(k): v for k, v in model._default_manager.filter(pk__in=ids).values_list("pk", "name")}
        return dict(Region.objects.filter(code__in=members).values_list("code", "name"))

    return labels


def _person_labels(ids: list[int], viewer: Any, stored: dict[str, str]) -> dict[str, str]:
    """People's labels: the full name where the viewer may read it (decided once for the list),
    the stored masked label otherwise; names not at hand are read from the database."""
    full = full_names_visible(viewer, ids)
    out: dict[str, str] = {}
    missing: list[int] = []
    for pk in ids:
        if pk in full:
            name = getattr(viewer, "full_name", None) if pk == getattr(viewer, "pk", None) else None
            if name is None:
                missing.append(pk)
            else:
                out[str(pk)] = personal(name, "name", full=True)
        else:
            label = stored.get(str(pk))
            if label is None:
                missing.append(pk)
            else:
                out[str(pk)] = label
    if missing:
        names = _user_names(missing)
        for pk in missing:
            out[str(pk)] = personal(names.get(pk, ""), "name", full=pk in full)
    return out


def _user_saved(sender: Any, instance: Any, created: bool = False, update_fields: Any = None, **kw: Any) -> None:
    """A user's name is part of their stored board labels: rewrite them after the commit (a new
    user is on no board yet; a save that names its fields and not the name changes nothing)."""
    if created or not leaderboards.uses_redis():
        return
    if update_fields is not None and "full_name" not in update_fields:
        return
    pk = instance.pk
    transaction.on_commit(lambda: leaderboards.refresh_labels([pk]))


def register_board() -> None:
    from deltaunion.practice.models import Quiz, QuizParticipant

    leaderboards.register(
        leaderboards.BoardKind(
            name="quiz",
            rows=QuizParticipant,
            owner=Quiz,
            owner_field="quiz_id",
            points_field="best_score",
            time_field="best_time_ms",
            labels=member_labels(Organisation),  # a quiz's teams are the workers' unions
            view_permission="practice.view_quiz",
            owner_related=("contest",),
            stored_labels=masked_names,
        )
    )
    watch_names()


def watch_names() -> None:
    """Rewrite people's stored board labels when their name changes (every kind using them)."""
    post_save.connect(_user_saved, sender=User, weak=False, dispatch_uid="practice.boards.user_names")

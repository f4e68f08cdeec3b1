"""Helpers shared by the practice services."""

from __future__ import annotations

from typing import Any

from django.db import connection

from deltaunion.orgs.models import Organisation, Region


def worker_of(user: Any):
    """The user's worker record, or None (officers may practise without one)."""
    from deltaunion.people.models import Worker

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
    """Where a user sits on the higher boards, from their worker record."""
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


def fetchone(sql: str, params: list[Any]) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def execute(sql: str, params: list[Any]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount

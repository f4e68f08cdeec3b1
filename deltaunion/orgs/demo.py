"""Load the real organisation tree (idempotent: run it as often as you like).

The regions are every current province-, prefecture- and county-level division of Shanghai,
Jiangsu, Zhejiang and Anhui, from the table of divisions (`core.divisions`, the same table
the ID-number check uses); every division has its union federation, named after it
(杭州市总工会, 杭州市西湖区总工会, 嘉善县总工会) and marked with that table as its source.
The ~360 regions and federations are written in bulk: a few statements, not one service
call each (the demo is the system; the federations' paths are computed as the service does).
"""

from __future__ import annotations

import uuid

from deltaunion.core import divisions
from deltaunion.core.registry import DemoContext
from deltaunion.orgs import demo_data as data
from deltaunion.orgs.models import PATH_STEP, Alliance, AllianceMember, Organisation, Region
from deltaunion.orgs.services import organisation_create

K = Organisation.Kind
LEVELS = {divisions.PROVINCE: Region.Level.PROVINCE, divisions.PREFECTURE: Region.Level.PREFECTURE}


def _org(name: str, kind: str, parent: Organisation | None, region: Region | None = None, **extra) -> Organisation:
    existing = Organisation.objects.filter(parent=parent, name=name).first()
    if existing:
        return existing
    return organisation_create(name=name, kind=kind, parent=parent, region=region, by=None, **extra)


def load_regions(provinces: list[str]) -> list[divisions.Division]:
    """Every current division of the provinces (2-digit codes) as a Region, in bulk; a region
    whose name, level or parent changed in the table is updated. Returns the divisions."""
    table = divisions.current_divisions(provinces)
    wanted = {d.code: (d.name, LEVELS.get(d.level, Region.Level.COUNTY), d.parent_code) for d in table}
    existing = {r.code: r for r in Region.objects.filter(code__in=wanted)}
    Region.objects.bulk_create(
        [Region(code=c, name=n, level=lv, parent_id=p) for c, (n, lv, p) in wanted.items() if c not in existing],
        batch_size=500,
    )
    changed = []
    for code, region in existing.items():
        if (region.name, region.level, region.parent_id) != wanted[code]:
            region.name, region.level, region.parent_id = wanted[code]
            changed.append(region)
    Region.objects.bulk_update(changed, ["name", "level", "parent"], batch_size=500)
    return table


def federation_name(division: divisions.Division, parent_region_name: str) -> str:
    """杭州市总工会; a district carries its city's name (杭州市西湖区总工会, 上海市黄浦区总工会),
    a county or county-level city its own (嘉善县总工会, 昆山市总工会)."""
    if division.level == divisions.COUNTY and division.name.endswith("区"):
        return f"{parent_region_name}{division.name}总工会"
    return f"{division.name}总工会"


def _federations(table: list[divisions.Division], level: str, by_code: dict[str, Organisation]) -> None:
    """The federations of one level of divisions, under their parents' (already in `by_code`):
    the missing ones in one bulk insert, then their paths in one bulk update."""
    kind = K.CITY if level == divisions.PREFECTURE else K.DISTRICT
    rows = [d for d in table if d.level == level]
    names = {
        d.code: federation_name(d, by_code[d.parent_code].region.name if by_code[d.parent_code].region else "")
        for d in rows
    }
    parents = {by_code[d.parent_code].pk for d in rows}
    existing = {
        (o.parent_id, o.name): o
        for o in Organisation.objects.filter(parent_id__in=parents, name__in=set(names.values())).select_related(
            "region"
        )
    }
    regions = {r.code: r for r in Region.objects.filter(code__in=[d.code for d in rows])}
    new: list[Organisation] = []
    for d in rows:
        parent = by_code[d.parent_code]
        org = existing.get((parent.pk, names[d.code]))
        if org is None:
            org = Organisation(
                name=names[d.code],
                kind=kind,
                parent=parent,
                region=regions[d.code],
                source=divisions.SOURCE,
                path=f"tmp-{uuid.uuid4().hex}",
                depth=parent.depth + 1,
            )
            new.append(org)
        by_code[d.code] = org
    Organisation.objects.bulk_create(new, batch_size=500)
    if any(o.pk is None for o in new):  # a database that does not return ids from a bulk insert
        ids = dict(Organisation.objects.filter(path__in=[o.path for o in new]).values_list("path", "pk"))
        for o in new:
            o.pk = ids[o.path]
    for o in new:
        o.path = o.parent.path + f"{o.pk:0{PATH_STEP}d}"
    Organisation.objects.bulk_update(new, ["path"], batch_size=500)


def load(ctx: DemoContext) -> dict[str, Organisation]:
    """Regions, ACFTU → provincial → city/district → county federations, industry unions, alliances.

    Returns the federation of every division code, for the other demo loaders.
    """
    table = load_regions([code[:2] for code, *_rest in data.PROVINCES])
    regions = {r.code: r for r in Region.objects.filter(code__in=[code for code, *_rest in data.PROVINCES])}
    by_code: dict[str, Organisation] = {}
    acftu = _org("中华全国总工会", K.ACFTU, None, short_name="全总", source="公开信息")
    for code, region_name, org_name, _slug in data.PROVINCES:
        by_code[code] = _org(
            org_name, K.PROVINCIAL, acftu, regions[code], short_name=region_name[:2] + "总", source="公开信息"
        )
    _federations(table, divisions.PREFECTURE, by_code)
    _federations(table, divisions.COUNTY, by_code)
    for province, name, source in data.INDUSTRY_UNIONS:
        _org(name, K.INDUSTRY, by_code[province], by_code[province].region, source=source)
    for slug, name, kind, description, source, members in data.ALLIANCES:
        alliance, _ = Alliance.objects.update_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "description": description, "source": source}
        )
        for code, role in members:
            AllianceMember.objects.update_or_create(
                alliance=alliance, organisation=by_code[code], defaults={"role": role}
            )
    ctx.values["federations"] = by_code
    ctx.summary.append(f"{len(table)} divisions, {len(by_code)} federations")
    return by_code

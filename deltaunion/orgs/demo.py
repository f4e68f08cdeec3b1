"""Load the real organisation tree (idempotent: run it as often as you like)."""

from __future__ import annotations

from deltaunion.core.registry import DemoContext
from deltaunion.orgs import demo_data as data
from deltaunion.orgs.models import Alliance, AllianceMember, Organisation, Region
from deltaunion.orgs.services import organisation_create

K = Organisation.Kind


def _region(code: str, name: str, level: str, parent: str | None) -> Region:
    region, _ = Region.objects.update_or_create(code=code, defaults={"name": name, "level": level, "parent_id": parent})
    return region


def _org(name: str, kind: str, parent: Organisation | None, region: Region | None = None, **extra) -> Organisation:
    existing = Organisation.objects.filter(parent=parent, name=name).first()
    if existing:
        return existing
    return organisation_create(name=name, kind=kind, parent=parent, region=region, by=None, **extra)


def load(ctx: DemoContext) -> dict[str, Organisation]:
    """Regions, ACFTU → provincial → city/district → county federations, industry unions, alliances.

    Returns the federation of every division code, for the other demo loaders.
    """
    by_code: dict[str, Organisation] = {}
    acftu = _org("中华全国总工会", K.ACFTU, None, short_name="全总", source="公开信息")
    for code, region_name, org_name, _slug in data.PROVINCES:
        region = _region(code, region_name, Region.Level.PROVINCE, None)
        by_code[code] = _org(
            org_name, K.PROVINCIAL, acftu, region, short_name=region_name[:2] + "总", source="公开信息"
        )
    for code, name in data.SHANGHAI_DISTRICTS:
        region = _region(code, name, Region.Level.COUNTY, "310000")
        by_code[code] = _org(f"上海市{name}总工会", K.DISTRICT, by_code["310000"], region, source="GB/T 2260")
    for code, name in data.PREFECTURES:
        province = code[:2] + "0000"
        region = _region(code, name, Region.Level.PREFECTURE, province)
        by_code[code] = _org(f"{name}总工会", K.CITY, by_code[province], region, source="GB/T 2260")
    for code, name, parent_code in data.COUNTIES:
        region = _region(code, name, Region.Level.COUNTY, parent_code)
        parent = by_code[parent_code]
        label = f"{parent.region.name}{name}总工会" if name.endswith("区") else f"{name}总工会"
        by_code[code] = _org(label, K.DISTRICT, parent, region, source="GB/T 2260")
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
    ctx.summary.append(f"{len(by_code)} federations")
    return by_code

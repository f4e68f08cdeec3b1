"""The innovation studios' levels and the 七有 standard (seven-haves), with what each level requires.

The seven items come from the Inner Mongolia federation's standard (seeds/002): 有劳模领衔、
有创新团队、有活动场地、有设施设备、有工作制度、有经费保障、有创新成果. A studio is recognised at
a level (enterprise … national demonstration); a level requires some of the items, and a studio
that lacks one of them cannot be nominated at that level. Which items each level requires is
the platform's rule, set here (the seeds name the standard, not a table per level): the lowest
level asks for the lead, the team and the site; a city studio also for equipment and rules; a
provincial, regional-alliance or national-demonstration studio for all seven.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StudioLevel(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise level")
    CITY = "city", _("City level")
    PROVINCIAL = "provincial", _("Provincial level")
    REGIONAL = "regional", _("YRD regional alliance")
    NATIONAL_DEMO = "national_demo", _("National demonstration")


# Lowest first: a studio's level is the highest of its recognitions.
LEVEL_ORDER: tuple[str, ...] = tuple(StudioLevel.values)


def level_rank(level: str) -> int:
    """0 for no level, 1 for enterprise … 5 for national demonstration."""
    return LEVEL_ORDER.index(level) + 1 if level in LEVEL_ORDER else 0


def highest(levels: list[str]) -> str:
    return max(levels, key=level_rank) if levels else ""


class SevenHaves(models.TextChoices):
    LEAD = "lead", _("Led by a model worker or craftsman")
    TEAM = "team", _("Has an innovation team")
    SITE = "site", _("Has a place to work")
    EQUIPMENT = "equipment", _("Has facilities and equipment")
    RULES = "rules", _("Has working rules")
    FUNDING = "funding", _("Has secured funding")
    RESULTS = "results", _("Has innovation results")


_ALL = tuple(SevenHaves.values)
REQUIRED_ITEMS: dict[str, tuple[str, ...]] = {
    StudioLevel.ENTERPRISE: ("lead", "team", "site"),
    StudioLevel.CITY: ("lead", "team", "site", "equipment", "rules"),
    StudioLevel.PROVINCIAL: _ALL,
    StudioLevel.REGIONAL: _ALL,
    StudioLevel.NATIONAL_DEMO: _ALL,
}


def missing_items(level: str, met: set[str]) -> list[str]:
    """The items `level` requires that are not in `met`, in the standard's order."""
    return [item for item in REQUIRED_ITEMS.get(level, ()) if item not in met]


class Industry(models.TextChoices):
    """Industries of the alliance view (sections of GB/T 4754, grouped)."""

    MANUFACTURING = "manufacturing", _("Manufacturing")
    ENERGY = "energy", _("Power, heat, gas and water")
    MINING = "mining", _("Mining")
    CONSTRUCTION = "construction", _("Construction")
    TRANSPORT = "transport", _("Transport and logistics")
    IT = "it", _("Information technology")
    RESEARCH = "research", _("Research and technical services")
    SERVICES = "services", _("Other services")
    OTHER = "other", _("Other")


# The Inner Mongolia federation's figures (seeds/002), the shape the alliance view's yearly figures
# follow: its region-level studios since 2015, and how many studios it has at each level.
INNER_MONGOLIA_SOURCE = "《内蒙古积极创建职工创新工作室》（seeds/002）"
INNER_MONGOLIA_FIGURES = {
    "since": 2015,
    "studios_about": 2000,
    "topics": 3054,
    "projects": 1277,
    "results": 2271,
    "applied_results": 1348,
    "patents_about": 500,
    "national_demo": 7,
    "region_level": 198,
}
INNER_MONGOLIA_FIGURES["applied_share"] = round(
    100 * INNER_MONGOLIA_FIGURES["applied_results"] / INNER_MONGOLIA_FIGURES["results"], 1
)

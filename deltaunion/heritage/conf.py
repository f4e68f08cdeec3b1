"""The map's tile settings: Django settings first, then the environment, then none.

HERITAGE_TILE_URL          e.g. "https://tiles.intranet.example/{z}/{x}/{y}.png", or Tianditu's
                           "https://t{s}.tianditu.gov.cn/vec_w/wmts?...&tk=<key>"; empty (the
                           default): the map draws over the schematic base layer it ships.
HERITAGE_TILE_CRS          "wgs84" (default; Tianditu, OpenStreetMap) or "gcj02" (Amap-style
                           tiles): venues and routes are converted at the edge to match.
HERITAGE_TILE_ATTRIBUTION  the tiles' attribution (shown on the map).
HERITAGE_TILE_SUBDOMAINS   e.g. "01234567" for Tianditu's t0…t7.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.conf import settings

from deltaunion.heritage import geo


def _setting(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return str(value or "").strip()


@dataclass(frozen=True)
class Tiles:
    url: str
    crs: str
    attribution: str
    subdomains: str

    @property
    def configured(self) -> bool:
        return bool(self.url)


def tiles() -> Tiles:
    crs = _setting("HERITAGE_TILE_CRS", geo.WGS84).lower()
    return Tiles(
        url=_setting("HERITAGE_TILE_URL"),
        crs=crs if crs in (geo.WGS84, geo.GCJ02) else geo.WGS84,
        attribution=_setting("HERITAGE_TILE_ATTRIBUTION"),
        subdomains=_setting("HERITAGE_TILE_SUBDOMAINS"),
    )

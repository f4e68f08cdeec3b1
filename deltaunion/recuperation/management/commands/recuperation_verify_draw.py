"""Re-run a batch's draw from its published record and compare with the stored outcome.

    manage.py recuperation_verify_draw 12                 # the record of batch 12, from the database
    manage.py recuperation_verify_draw --file draw-12.json  # a record downloaded from the draw page

The re-run uses only the record: the revealed seed (checked against the fingerprint committed
when the batch opened), the published list (checked against the fingerprint fixed when
applications closed), the places and the reserves. Exits with an error when anything differs.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from deltaunion.recuperation import draw


class Command(BaseCommand):
    help = "Re-run a recuperation draw from its published seed and list, and compare with the stored outcome."

    def add_arguments(self, parser):
        parser.add_argument("batch", nargs="?", type=int, help="the batch's number")
        parser.add_argument("--file", help="a published record (JSON) instead of the database")

    def handle(self, *args, batch=None, file=None, **options):
        if file:
            try:
                record = json.loads(Path(file).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(f"cannot read {file}: {exc}") from None
        elif batch:
            from deltaunion.recuperation import selectors
            from deltaunion.recuperation.models import Batch

            found = Batch.objects.select_related("itinerary").filter(pk=batch).first()
            if found is None:
                raise CommandError(f"no batch {batch}")
            record = selectors.draw_record(found)
        else:
            raise CommandError("give a batch number or --file")
        if not record.get("seed"):
            raise CommandError("the seed is revealed at the draw: this batch has not been drawn yet")
        try:
            outcome = draw.rerun(record)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        ok, problems = draw.verify(record)
        self.stdout.write(f"seed sha256:         {record['seed_sha256']}")
        self.stdout.write(f"applications sha256: {record['applications_sha256']}")
        self.stdout.write(f"places {record['places']}, reserves {record.get('reserves') or {}}")
        for i, (ref, group) in enumerate(outcome.offered, start=1):
            self.stdout.write(f"  place {i:>4}: application {ref}" + (f" (reserved: {group})" if group else ""))
        self.stdout.write(f"  waiting list: {', '.join(outcome.waiting) or '-'}")
        if not ok:
            raise CommandError("the re-run does NOT match the record: " + ", ".join(problems))
        self.stdout.write(self.style.SUCCESS("re-run from the published seed and list: the same result as the draw"))

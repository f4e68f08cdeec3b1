"""Work out again the deadlines counted by weekends only (run after upgrading chinese-calendar)."""

from django.core.management.base import BaseCommand

from deltaunion.relations import workdays
from deltaunion.relations.services import deadlines_recompute


class Command(BaseCommand):
    help = "Recompute the estimated working-day deadlines of open labour-relations cases."

    def handle(self, *args, **options):
        workdays.default_calendar.cache_clear()
        n = deadlines_recompute()
        version = workdays.calendar_version() or "?"
        self.stdout.write(f"chinese-calendar {version}: {n} deadline(s) recomputed")

"""Fold pending counter increments (likes, comments, …) into their columns, once or every N seconds."""

import time

from django.core.management.base import BaseCommand

from deltaunion.core import counters


class Command(BaseCommand):
    help = "Add pending increments of every registered counter to its column; --every N keeps doing it."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=0, help="repeat every N seconds (0 = once)")
        parser.add_argument("--recount", action="store_true", help="set every counter from the rows it counts")

    def handle(self, *args, every, recount, **options):
        if recount:
            self.stdout.write(f"recounted: {counters.recount()} values changed")
            return
        while True:
            n = counters.fold()
            if not every:
                self.stdout.write(f"folded: {n} objects changed")
                return
            time.sleep(every)

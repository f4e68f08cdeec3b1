"""Fold pending like/comment increments into the posts (once, or every N seconds)."""

import time

from django.core.management.base import BaseCommand

from deltaunion.practice import counters


class Command(BaseCommand):
    help = "Add pending like and comment increments to the posts' counts; --every N keeps doing it."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=0, help="repeat every N seconds (0 = once)")
        parser.add_argument("--recount", action="store_true", help="recount every post from its like/comment rows")

    def handle(self, *args, every, recount, **options):
        if recount:
            self.stdout.write(f"recounted: {counters.recount()} posts changed")
            return
        while True:
            n = counters.fold()
            if not every:
                self.stdout.write(f"folded: {n} posts changed")
                return
            time.sleep(every)

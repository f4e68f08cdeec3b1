"""Rebuild the Redis leaderboards from the database (the source of truth)."""

from django.core.management.base import BaseCommand, CommandError

from deltaunion.practice import leaderboards
from deltaunion.practice.models import Campaign, Quiz


class Command(BaseCommand):
    help = "Rebuild every leaderboard (or one quiz's / campaign's) in Redis from the database."

    def add_arguments(self, parser):
        parser.add_argument("--quiz", type=int, action="append", default=[], help="only this quiz (repeatable)")
        parser.add_argument("--campaign", type=int, action="append", default=[], help="only this campaign")

    def handle(self, *args, quiz, campaign, **options):
        if not leaderboards.uses_redis():
            raise CommandError("REDIS_URL is not set: the boards are read from the database and need no rebuild.")
        targets = [("quiz", q) for q in quiz] + [("campaign", c) for c in campaign]
        if not targets:
            targets = [("quiz", q) for q in Quiz.objects.values_list("pk", flat=True)]
            targets += [("campaign", c) for c in Campaign.objects.values_list("pk", flat=True)]
        for kind, object_id in targets:
            sizes = [leaderboards.rebuild(board) for board in leaderboards.boards_of(kind, object_id)]
            self.stdout.write(
                f"{kind} {object_id}: "
                + ", ".join(f"{lvl} {n}" for lvl, n in zip(leaderboards.LEVELS, sizes, strict=True))
            )

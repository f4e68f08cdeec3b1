"""Rebuild the Redis leaderboards of every registered kind from the database (the source of truth)."""

from django.core.management.base import BaseCommand, CommandError

from deltaunion.core import leaderboards


class Command(BaseCommand):
    help = "Rebuild every leaderboard in Redis from the database (or only those named, e.g. --quiz 12)."

    def add_arguments(self, parser):
        for kind in leaderboards.kinds():
            parser.add_argument(
                f"--{kind.name}", type=int, action="append", default=[], help=f"only this {kind.name} (repeatable)"
            )

    def handle(self, *args, **options):
        if not leaderboards.uses_redis():
            raise CommandError("REDIS_URL is not set: the boards are read from the database and need no rebuild.")
        kinds = leaderboards.kinds()
        targets = [(kind, pk) for kind in kinds for pk in options.get(kind.name) or []]
        if not targets:
            targets = [(kind, pk) for kind in kinds for pk in kind.owner._default_manager.values_list("pk", flat=True)]
        for kind, object_id in targets:
            sizes = [leaderboards.rebuild(board) for board in leaderboards.boards_of(kind.name, object_id)]
            self.stdout.write(
                f"{kind.name} {object_id}: "
                + ", ".join(f"{lvl} {n}" for lvl, n in zip(leaderboards.LEVELS, sizes, strict=True))
            )

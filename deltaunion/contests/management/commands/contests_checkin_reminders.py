"""Remind the approved competitors of every stage that starts tomorrow (站内消息, once per entry).

Run it once a day (cron or a systemd timer), e.g. at 09:00; running it again the same day, or
on two servers, sends nothing more."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from deltaunion.contests.services.notices import checkin_reminders


class Command(BaseCommand):
    help = "Send the check-in reminder to competitors of stages that start tomorrow (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the day to count from (YYYY-MM-DD); default: today, local time")

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(f"--today: {exc}") from None
        n = checkin_reminders(today=today)
        self.stdout.write(f"{n} check-in reminder(s) sent")

"""What runs on a schedule (every few minutes, beside the web servers): close the batches whose
applications have closed, release places not confirmed in time (passing them to the waiting
lists, each step a message), and record returned trips as travelled."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from deltaunion.recuperation import services


class Command(BaseCommand):
    help = "Close due batches, release unconfirmed places to the waiting lists, record returned trips."

    def handle(self, *args, **options):
        done = services.tick()
        self.stdout.write(
            f"closed {done['closed']} batches, released {done['expired']} places, recorded {done['completed']} trips"
        )

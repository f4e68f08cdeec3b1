from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from deltaunion.core.registry import DemoContext, demo_loaders


class Command(BaseCommand):
    help = "Load the demo data of every app (idempotent), in dependency order, and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, quiet=False, **options):
        ctx = DemoContext()
        # Text the services store (reasons, notes) is written in the platform's first language.
        with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
            for _label, loader in demo_loaders():
                loader(ctx)
        if quiet:
            return
        self.stdout.write(self.style.SUCCESS("Demo data ready: " + ", ".join(ctx.summary)))
        if ctx.logins:
            self.stdout.write(f"Demo logins (password for all: {ctx.logins[0][1]}):")
            for username, _password, description in ctx.logins:
                self.stdout.write(f"  {username:<12} {description}")

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from deltaunion.accounts import demo as accounts_demo
from deltaunion.contests import demo as contests_demo
from deltaunion.orgs import demo as orgs_demo
from deltaunion.people import demo as people_demo
from deltaunion.practice import demo as practice_demo
from deltaunion.workplans import demo as workplans_demo


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, quiet=False, **options):
        # Text the services store (reasons, notes) is written in the platform's first language.
        with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
            federations = orgs_demo.load()
            tasks = workplans_demo.load()
            people_demo.load(federations)
            logins = accounts_demo.load()
            contests_demo.load()
            practice_demo.load()
        if quiet:
            return
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(federations)} federations, {tasks} key tasks."))
        self.stdout.write(f"Demo logins (password for all: {logins[0][1]}):")
        for username, _password, description in logins:
            self.stdout.write(f"  {username:<12} {description}")

from django.core.management.base import BaseCommand

from deltaunion.core.i18n import compile_all


class Command(BaseCommand):
    help = "Compile the .po catalogues to .mo (pure Python, no GNU gettext needed)."

    def handle(self, *args, **options):
        for path in compile_all():
            self.stdout.write(f"compiled {path}")

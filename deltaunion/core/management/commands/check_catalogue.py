import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from deltaunion.core.i18n import CHECKED_LOCALES, catalogue_files, msgids, problems


class Command(BaseCommand):
    help = (
        "Fail when a catalogue has an untranslated or fuzzy entry, or when the code has a "
        "translatable string the catalogue lacks (re-extracted with makemessages into a temp dir)."
    )

    def handle(self, *args, **options):
        errors: list[str] = []
        files = {p.parts[-3]: p for p in catalogue_files()}
        for locale in CHECKED_LOCALES:
            if locale not in files:
                errors.append(f"missing catalogue for {locale}")
        for path in files.values():
            errors.extend(problems(path))
        if shutil.which("xgettext"):
            errors.extend(self._missing_msgids(files))
        else:
            self.stderr.write("xgettext not installed: skipped the check for strings missing from the catalogue")
        if errors:
            for line in errors[:200]:
                self.stderr.write(line)
            raise CommandError(f"{len(errors)} catalogue problem(s)")
        self.stdout.write(self.style.SUCCESS(f"catalogues complete: {', '.join(sorted(files))}"))

    def _missing_msgids(self, files: dict[str, Path]) -> list[str]:
        out = []
        base = Path(settings.BASE_DIR)
        with tempfile.TemporaryDirectory() as tmp:
            tmp_locale = Path(tmp) / "locale"
            for locale in CHECKED_LOCALES:
                (tmp_locale / locale / "LC_MESSAGES").mkdir(parents=True)
            with override_settings(LOCALE_PATHS=[tmp_locale]):
                call_command(
                    "makemessages",
                    locale=list(CHECKED_LOCALES),
                    verbosity=0,
                    ignore_patterns=[".venv/*", "node_modules/*", "staticfiles/*", "var/*", "*/tests/*"],
                )
            for locale in CHECKED_LOCALES:
                fresh = tmp_locale / locale / "LC_MESSAGES" / "django.po"
                if locale in files and fresh.exists():
                    missing = msgids(fresh) - msgids(files[locale]) - {""}
                    out.extend(f"{files[locale].relative_to(base)}: not in catalogue: {m!r}" for m in sorted(missing))
        return out

import os
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from deltaunion.core.i18n import CHECKED_LOCALES, catalogue_files, locale_dirs, msgids, problems

IGNORE = [".venv/*", "node_modules/*", "staticfiles/*", "var/*", "*/tests/*"]


class Command(BaseCommand):
    help = (
        "Fail when a catalogue has an untranslated or fuzzy entry, or when the code has a "
        "translatable string its app's catalogue lacks (re-extracted with makemessages from a copy)."
    )

    def handle(self, *args, **options):
        errors: list[str] = []
        files = catalogue_files()
        found = {(p.parent.parent.parent, p.parts[-3]) for p in files}
        for base in locale_dirs():
            for locale in CHECKED_LOCALES:
                if (base, locale) not in found:
                    errors.append(f"missing catalogue: {base}/{locale}/LC_MESSAGES/django.po")
        for path in files:
            errors.extend(problems(path))
        if shutil.which("xgettext"):
            errors.extend(self._missing_msgids(files))
        else:
            self.stderr.write("xgettext not installed: skipped the check for strings missing from the catalogue")
        if errors:
            for line in errors[:200]:
                self.stderr.write(line)
            raise CommandError(f"{len(errors)} catalogue problem(s)")
        self.stdout.write(self.style.SUCCESS(f"{len(files)} catalogues complete"))

    def _missing_msgids(self, files: list[Path]) -> list[str]:
        """Extract into a copy of the source tree (makemessages writes into every `locale/` it
        walks past), then compare each fresh catalogue with the real one at the same place."""
        base = Path(settings.BASE_DIR).resolve()
        out = []
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            for top in ("config", "deltaunion"):
                shutil.copytree(
                    base / top,
                    root / top,
                    ignore=shutil.ignore_patterns("locale", "__pycache__", "tests", "*.mo", "*.po"),
                )
            for loc in locale_dirs():
                for locale in CHECKED_LOCALES:
                    (root / loc.relative_to(base) / locale / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
            cwd = os.getcwd()
            os.chdir(root)
            try:
                with override_settings(
                    LOCALE_PATHS=[root / Path(p).resolve().relative_to(base) for p in settings.LOCALE_PATHS]
                ):
                    call_command("makemessages", locale=list(CHECKED_LOCALES), verbosity=0, ignore_patterns=IGNORE)
            finally:
                os.chdir(cwd)
            for real in files:
                fresh = root / real.resolve().relative_to(base)
                if fresh.exists():
                    missing = msgids(fresh) - msgids(real) - {(None, "")}
                    out.extend(
                        f"{real.relative_to(base)}: not in catalogue: {m!r}" for _ctx, m in sorted(missing, key=str)
                    )
        return out

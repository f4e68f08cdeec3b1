"""Translation catalogue helpers: compile .po to .mo without GNU gettext, and check completeness.

Each app keeps its own catalogue in `<app>/locale/` (Django finds it, and `makemessages`
writes each app's strings there), so an app is added or moved with its translations;
the project-level `locale/` holds only the strings of `config/`.
"""

from __future__ import annotations

from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings

CHECKED_LOCALES = ("zh_Hans",)


def locale_dirs() -> list[Path]:
    """The project's locale folders: LOCALE_PATHS, then each project app's `locale/`."""
    base = Path(settings.BASE_DIR).resolve()
    out = [Path(p) for p in settings.LOCALE_PATHS]
    for app in apps.get_app_configs():
        path = Path(app.path).resolve()
        if path.is_relative_to(base) and not path.is_relative_to(base / ".venv"):
            out.append(path / "locale")
    return out


def catalogue_files() -> list[Path]:
    out = []
    for base in locale_dirs():
        out.extend(sorted(Path(base).glob("*/LC_MESSAGES/django.po")))
    return out


def compile_all() -> list[Path]:
    written = []
    for po_path in catalogue_files():
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


def problems(po_path: Path) -> list[str]:
    po = polib.pofile(str(po_path))
    out = []
    for entry in po:
        if entry.obsolete:
            continue
        where = f"{po_path}:{entry.linenum}"
        if "fuzzy" in entry.flags:
            out.append(f"{where}: fuzzy: {entry.msgid!r}")
        elif entry.msgid_plural:
            if not entry.msgstr_plural or any(not v for v in entry.msgstr_plural.values()):
                out.append(f"{where}: untranslated plural: {entry.msgid!r}")
        elif not entry.msgstr:
            out.append(f"{where}: untranslated: {entry.msgid!r}")
    return out


def msgids(po_path: Path) -> set[tuple[str | None, str]]:
    return {(e.msgctxt, e.msgid) for e in polib.pofile(str(po_path)) if not e.obsolete}

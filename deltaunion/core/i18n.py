"""Translation catalogue helpers: compile .po to .mo without GNU gettext, and check completeness."""

from __future__ import annotations

from pathlib import Path

import polib
from django.conf import settings

CHECKED_LOCALES = ("zh_Hans",)


def catalogue_files() -> list[Path]:
    out = []
    for base in settings.LOCALE_PATHS:
        out.extend(sorted(Path(base).glob("*/LC_MESSAGES/*.po")))
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


def msgids(po_path: Path) -> set[str]:
    return {e.msgid for e in polib.pofile(str(po_path)) if not e.obsolete}

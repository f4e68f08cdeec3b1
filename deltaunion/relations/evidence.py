"""Evidence files: checked by content, stored outside the web root under random names.

A file is accepted when its *content* is one of: a JPEG, PNG, WebP or GIF image that Pillow can
open and verify; a PDF (`%PDF-` header and an `%%EOF` trailer); a Word or Excel file (a zip whose
parts are an Office Open XML package, declared sizes within limits, no macros). The name the
user gave is only shown (cleaned), never trusted: a script named `photo.jpg` is refused, as is
anything over the size limit.

Files live under `RELATIONS_EVIDENCE_DIR` (default `VAR_DIR/relations/evidence`), not under
MEDIA_ROOT or STATIC_ROOT, as `<yyyy>/<random hex>.<ext>`; the only way to read one is the
access-checked view, which finds it by the evidence's random key (a UUID).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_FILES_PER_UPLOAD = 10
MAX_UNCOMPRESSED = 100 * 1024 * 1024

IMAGE_TYPES = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "WEBP": ("image/webp", ".webp"),
    "GIF": ("image/gif", ".gif"),
}
PDF = ("application/pdf", ".pdf")
DOCX = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
XLSX = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")


# Markup or code inside an image: a real photo never holds these.
_SCRIPT = re.compile(rb"<\s*(script|\?php|html|iframe|svg|body|object|embed)\b|javascript:", re.I)


@dataclass(frozen=True)
class Checked:
    content_type: str
    suffix: str
    size: int
    sha256: str
    data: bytes


def max_bytes() -> int:
    return int(getattr(settings, "RELATIONS_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def storage_dir() -> Path:
    configured = getattr(settings, "RELATIONS_EVIDENCE_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "relations" / "evidence"


def _not_allowed() -> ValidationError:
    return ValidationError(
        _("This file is not a photo (JPEG, PNG, WebP, GIF), a PDF or a Word or Excel file: it cannot be attached")
    )


def _image(data: bytes) -> tuple[str, str] | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    found = IMAGE_TYPES.get(kind or "")
    if found is not None and _SCRIPT.search(data):
        return None  # a polyglot: an image that is also a script or a web page
    return found


def _pdf(data: bytes) -> tuple[str, str] | None:
    if data.startswith(b"%PDF-") and b"%%EOF" in data[-2048:]:
        return PDF
    return None


def _office(data: bytes) -> tuple[str, str] | None:
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if sum(i.file_size for i in infos) > MAX_UNCOMPRESSED or len(infos) > 2000:
                return None
            if "[Content_Types].xml" not in names:
                return None
            types = zf.read("[Content_Types].xml")
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        return None
    if b"macroEnabled" in types or any(n.lower().endswith("vbaproject.bin") for n in names):
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def check_upload(upload: Any) -> Checked:
    """The file's real type (by content) and its bytes; ValidationError for anything else."""
    if upload is None:
        raise ValidationError(_("Choose a file"))
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(_("A file may be at most %(mb)d MB") % {"mb": limit // (1024 * 1024)})
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(_("A file may be at most %(mb)d MB") % {"mb": limit // (1024 * 1024)})
    if not data:
        raise ValidationError(_("The file is empty"))
    found = _image(data) or _pdf(data) or _office(data)
    if found is None:
        raise _not_allowed()
    content_type, suffix = found
    return Checked(content_type, suffix, len(data), hashlib.sha256(data).hexdigest(), data)


def clean_name(name: str, suffix: str) -> str:
    """The user's file name as shown: no path, no control characters, the real type's suffix."""
    base = os.path.basename(str(name or "").replace("\\", "/"))
    base = unicodedata.normalize("NFKC", base)
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C")
    stem = re.sub(r"\.[^.]{1,8}$", "", base).strip(" .") or _("file")
    return f"{stem[:100]}{suffix}"


def store(checked: Checked, *, name: str | None = None) -> str:
    """Write the bytes under a random name (or `name`, for the demo's fixed files); returns the
    path relative to the storage directory."""
    relative = name or f"{timezone.now():%Y}/{secrets.token_hex(16)}{checked.suffix}"
    path = storage_dir() / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(checked.data)
    os.replace(tmp, path)
    return relative


def open_stored(relative: str):
    base = storage_dir().resolve()
    path = (base / relative).resolve()
    if base not in path.parents:
        raise FileNotFoundError(relative)
    return path.open("rb")

"""Uploaded files: checked by their content (never by their name), bounded in size, stored under an
unguessable name, and — for evidence and other personal files — outside the web root, served only
through a view that checks the viewer's permission first.

    checked = check_upload(upload, kinds={"image", "pdf"}, max_bytes=10 * MB)
    record.file.save(random_name(checked.suffix), upload)          # a FileField on private_storage()
    ...
    return serve(record.file, filename=record.original_name, content_type=record.content_type)
"""

from __future__ import annotations

import io
import secrets
import zipfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

MB = 1024 * 1024

# Pillow's format → (content type, suffix)
IMAGE_FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png"), "WEBP": ("image/webp", ".webp")}
OFFICE_FORMATS = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
}
KIND_LABELS = {"image": "JPEG/PNG/WebP", "pdf": "PDF", "office": "Word/Excel (.docx/.xlsx)"}


@dataclass(frozen=True)
class CheckedFile:
    kind: str  # "image", "pdf" or "office"
    content_type: str
    suffix: str
    size: int


def _read_head(upload: Any, n: int = 8) -> bytes:
    upload.seek(0)
    head = upload.read(n)
    upload.seek(0)
    return head


def _image(upload: Any) -> tuple[str, str] | None:
    from PIL import Image, UnidentifiedImageError

    try:
        upload.seek(0)
        with Image.open(upload) as image:
            fmt = image.format
            image.verify()  # reads the whole file: a truncated or disguised file fails here
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    finally:
        upload.seek(0)
    return IMAGE_FORMATS.get(fmt)


def _pdf(upload: Any) -> tuple[str, str] | None:
    if _read_head(upload, 5) != b"%PDF-":
        return None
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return ("application/pdf", ".pdf") if b"%%EOF" in data[-2048:] else None


def _office(upload: Any) -> tuple[str, str] | None:
    if _read_head(upload, 4) != b"PK\x03\x04":
        return None
    upload.seek(0)
    try:
        with zipfile.ZipFile(io.BytesIO(upload.read())) as zf:
            names = zf.namelist()
            if "[Content_Types].xml" not in names or any(n.lower().endswith((".exe", ".js", ".vbs")) for n in names):
                return None
            if any(n.startswith("word/vbaProject") or n.startswith("xl/vbaProject") for n in names):
                return None  # macros
            for prefix, result in OFFICE_FORMATS.items():
                if any(n.startswith(prefix) for n in names):
                    return result
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    return None


CHECKERS = {"image": _image, "pdf": _pdf, "office": _office}


def check_upload(
    upload: Any, *, kinds: set[str] | frozenset[str] = frozenset({"image"}), max_bytes: int = 10 * MB
) -> CheckedFile:
    """The upload's real type (by content) among `kinds`, or a ValidationError with a message.
    A script renamed .jpg, an HTML page named .pdf or an empty file is refused."""
    if upload is None or not getattr(upload, "size", 0):
        raise ValidationError(_("Choose a file"))
    if upload.size > max_bytes:
        raise ValidationError(_("The file is larger than %(mb)s MB") % {"mb": max_bytes // MB})
    for kind in ("image", "pdf", "office"):
        if kind in kinds:
            found = CHECKERS[kind](upload)
            if found is not None:
                return CheckedFile(kind=kind, content_type=found[0], suffix=found[1], size=upload.size)
    raise ValidationError(
        _("The file is not of an accepted type (%(types)s); its content was checked, not its name")
        % {"types": "、".join(KIND_LABELS[k] for k in ("image", "pdf", "office") if k in kinds)}
    )


def random_name(suffix: str) -> str:
    """An unguessable file name (the original name is kept in the database, never in the path)."""
    return f"{secrets.token_urlsafe(24)}{suffix}"


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files outside the web root (`VAR_DIR/private`), with no URL: served only through views."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("location", str(settings.VAR_DIR / "private"))
        kwargs["base_url"] = None
        super().__init__(**kwargs)

    def url(self, name: str | None) -> str:
        raise ValueError("private files have no URL; serve them through an access-checked view")


def private_storage() -> PrivateStorage:
    return PrivateStorage()


def serve(file: Any, *, filename: str, content_type: str, inline: bool = False) -> FileResponse:
    """Send a stored file after the caller has checked the permission. The browser is told not to
    guess the type, so a file can never run as a page."""
    response = FileResponse(file.open("rb"), content_type=content_type, as_attachment=not inline, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    response["Cache-Control"] = "private, no-store"
    return response

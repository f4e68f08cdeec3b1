"""Checks of uploaded files: photos (a real JPEG, PNG or WebP image) and nomination materials
(PDF, Word, images), by their content and never by the name the browser sends."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PHOTO_TYPES = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png"), "WEBP": ("image/webp", ".webp")}
PHOTO_MAX_BYTES = 5 * 1024 * 1024
FILE_MAX_BYTES = 10 * 1024 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def check_photo(upload: Any) -> tuple[str, str]:
    """(content type, suffix) of a photo, or ValidationError."""
    from PIL import Image, UnidentifiedImageError

    if upload is None or getattr(upload, "size", 0) == 0:
        raise ValidationError(_("Choose a photo"))
    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationError(_("A photo is at most 5 MB"))
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("The file is not a photo (JPEG, PNG or WebP)")) from None
    if kind not in PHOTO_TYPES:
        raise ValidationError(_("The file is not a photo (JPEG, PNG or WebP)"))
    upload.seek(0)
    return PHOTO_TYPES[kind]


def check_document(upload: Any) -> tuple[str, str]:
    """(content type, suffix) of a nomination's file: PDF, Word (.docx), JPEG or PNG, at most 10 MB."""
    if upload is None or getattr(upload, "size", 0) == 0:
        raise ValidationError(_("Choose a file"))
    if upload.size > FILE_MAX_BYTES:
        raise ValidationError(_("A file is at most 10 MB"))
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf", ".pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", ".png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", ".jpg"
    if head.startswith(b"PK\x03\x04") and str(getattr(upload, "name", "")).lower().endswith(".docx"):
        return DOCX, ".docx"
    raise ValidationError(_("Upload a PDF, a Word document (.docx) or a JPEG or PNG image"))

"""Evidence files on the kernel's uploads (`core.uploads`).

A file is accepted when its *content* is a JPEG, PNG or WebP image, a PDF, or a Word or Excel
file without macros (`check_upload`), within the size limit (`RELATIONS_EVIDENCE_MAX_BYTES`,
10 MB by default). Evidence comes from the public, so an image that also carries markup or a
script (a polyglot) is refused as well. The name the user gave is only shown (cleaned), never
trusted. Files are kept in the kernel's private storage (outside the web root, no URL) under a
random name; the only way to read one is the access-checked view, which finds it by the
evidence's random key (a UUID) and sends it with `core.uploads.serve`.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from deltaunion.core.uploads import MB, CheckedFile, check_upload, random_name

KINDS = frozenset({"image", "pdf", "office"})
MAX_FILES_PER_UPLOAD = 10

# Markup or code inside an image: a real photo never holds these.
_SCRIPT = re.compile(rb"<\s*(script|\?php|html|iframe|svg|body|object|embed)\b|javascript:", re.I)


def max_bytes() -> int:
    return int(getattr(settings, "RELATIONS_EVIDENCE_MAX_BYTES", 10 * MB))


def _read(upload: Any) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def check(upload: Any) -> tuple[CheckedFile, str]:
    """The file's real type (by content) and its SHA-256; ValidationError for anything else."""
    checked = check_upload(upload, kinds=KINDS, max_bytes=max_bytes())
    data = _read(upload)
    if checked.kind == "image" and _SCRIPT.search(data):
        raise ValidationError(_("This image also holds a script or a web page: it cannot be attached"))
    return checked, hashlib.sha256(data).hexdigest()


def upload_to(instance: Any, filename: str) -> str:
    """`relations/<year>/<random name>`: says nothing of the case, the worker or the file."""
    return f"relations/{timezone.now():%Y}/{filename}"


def stored_name(checked: CheckedFile) -> str:
    return random_name(checked.suffix)


def clean_name(name: str, suffix: str) -> str:
    """The user's file name as shown: no path, no control characters, the real type's suffix."""
    base = os.path.basename(str(name or "").replace("\\", "/"))
    base = unicodedata.normalize("NFKC", base)
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C")
    stem = re.sub(r"\.[^.]{1,8}$", "", base).strip(" .") or _("file")
    return f"{stem[:100]}{suffix}"

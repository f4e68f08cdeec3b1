"""Matching the same worker across provinces without sharing ID numbers.

What one federation shares with another about a worker carries a *match key*: HMAC-SHA-256,
under a per-deployment secret key, of the normalised ID number
(`core.idnumber.parse_id_number(...).number`: full-width digits, blanks, a lower-case x and
15-digit numbers all give the same key). The receiving federation computes the keys of its own
members and compares: it learns "this is one of ours", never a number it did not already hold.

The key is `RELATIONS_MATCH_KEY` (a Django setting or an environment variable, at least 32
characters). Without it, in the embedded demo and the tests (DEBUG on, or the embedded demo's
SECRET_KEY), a key derived from SECRET_KEY is used; in production sharing is refused
(`MatchKeyMissing`) and `manage.py check --deploy` reports it (relations.E001).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from deltaunion.core.idnumber import IdNumberError, parse_id_number

MIN_KEY_LENGTH = 32
EMBEDDED_SECRET_PREFIX = "insecure-"


class MatchKeyMissing(ValidationError):
    """Cross-province sharing is not configured in this deployment."""


def configured_key() -> str:
    value = getattr(settings, "RELATIONS_MATCH_KEY", None)
    if value is None:
        value = os.environ.get("RELATIONS_MATCH_KEY", "")
    return str(value or "").strip()


def derived_key_allowed() -> bool:
    """The embedded demo and the tests may match with a key derived from SECRET_KEY."""
    return bool(settings.DEBUG) or str(settings.SECRET_KEY).startswith(EMBEDDED_SECRET_PREFIX)


def match_secret() -> bytes:
    key = configured_key()
    if key:
        if len(key) < MIN_KEY_LENGTH:
            raise MatchKeyMissing(
                _("RELATIONS_MATCH_KEY is too short: use a random key of at least %(n)d characters")
                % {"n": MIN_KEY_LENGTH}
            )
        return key.encode()
    if derived_key_allowed():
        return hmac.new(str(settings.SECRET_KEY).encode(), b"deltaunion.relations.match", hashlib.sha256).digest()
    raise MatchKeyMissing(
        _(
            "Sharing between federations is not configured: set RELATIONS_MATCH_KEY, the deployment's key for "
            "matching workers across provinces"
        )
    )


def normalised(id_number: str) -> str | None:
    try:
        return parse_id_number(id_number).number
    except IdNumberError:
        return None


def match_key(id_number: str, *, secret: bytes | None = None) -> str:
    """The keyed hash of a normalised ID number ("" for an empty or invalid number)."""
    number = normalised(id_number)
    if number is None:
        return ""
    return hmac.new(secret if secret is not None else match_secret(), number.encode(), hashlib.sha256).hexdigest()


def member_keys(organisation_path: str, keys: Iterable[str]) -> dict[str, int]:
    """Which of `keys` belong to workers of the unions under `organisation_path`: {key: worker id}.

    The receiving side hashes its own members' numbers with the same key and compares."""
    from deltaunion.people.models import Worker

    wanted = {k for k in keys if k}
    if not wanted:
        return {}
    secret = match_secret()
    found: dict[str, int] = {}
    rows = Worker.objects.filter(organisation__path__startswith=organisation_path).values_list("pk", "id_number")
    for pk, number in rows.iterator(chunk_size=2000):
        key = match_key(number, secret=secret)
        if key in wanted:
            found[key] = pk
    return found

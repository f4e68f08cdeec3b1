"""Canonical JSON and SHA-256: the bytes every hash of the contest engine (the seal of the
draw, the result chain) is taken over."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(data: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sha256_hex(data: Any) -> str:
    return hashlib.sha256(canonical_json(data)).hexdigest()

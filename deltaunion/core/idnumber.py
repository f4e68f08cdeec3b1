"""Resident ID numbers (居民身份证号码) per GB 11643-1999.

18 characters: 6-digit division code (GB/T 2260), 8-digit birth date, 3-digit sequence
(odd for men, even for women) and an ISO 7064 MOD 11-2 check character (0-9 or X).
Old 15-digit numbers (YYMMDD birth, no check digit) are upgraded by inserting "19" and
computing the check character.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# Province-level codes in GB/T 2260 (and 71/81/82 used for Taiwan, Hong Kong, Macao).
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)
_FULLWIDTH = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789XX")


class IdNumberError(ValueError):
    pass


@dataclass(frozen=True)
class IdNumberInfo:
    number: str
    birth_date: dt.date
    sex: str  # "M" or "F"
    region_code: str
    upgraded_from_15: bool = False
    warnings: tuple[str, ...] = field(default_factory=tuple)


def check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def normalise(raw: str) -> str:
    return re.sub(r"\s+", "", str(raw or "")).translate(_FULLWIDTH).upper()


def parse_id_number(
    raw: str,
    *,
    today: dt.date | None = None,
    region_known: Callable[[str], bool] | None = None,
) -> IdNumberInfo:
    """Validate and normalise an ID number; raise IdNumberError with a user message.

    `region_known(code)` may say whether a 6-digit division code exists; an unknown code
    only adds a warning, because codes are retired and re-used over the years.
    """
    value = normalise(raw)
    today = today or dt.date.today()
    upgraded = False
    if not value:
        raise IdNumberError(_("The ID number cannot be empty"))
    if len(value) == 15:
        if not value.isdigit():
            raise IdNumberError(_("A 15-character ID number can contain only digits"))
        body = value[:6] + "19" + value[6:]
        value = body + check_char(body)
        upgraded = True
    if len(value) != 18:
        raise IdNumberError(
            _("An ID number has 18 characters (or 15 for old numbers); this one has %(n)d") % {"n": len(value)}
        )
    if not value[:17].isdigit() or value[17] not in "0123456789X":
        raise IdNumberError(_("The first 17 characters of an ID number must be digits, and the last a digit or X"))
    expected = check_char(value[:17])
    if value[17] != expected:
        raise IdNumberError(_("The check character of the ID number is wrong (it should be %(c)s)") % {"c": expected})
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise IdNumberError(_("The date of birth in the ID number is not a valid date")) from None
    if birth > today:
        raise IdNumberError(_("The date of birth in the ID number is later than today"))
    if birth.year < 1900:
        raise IdNumberError(_("The date of birth in the ID number is before 1900"))
    sex = "M" if int(value[16]) % 2 == 1 else "F"
    region = value[:6]
    warnings: list[str] = []
    if region[:2] not in PROVINCE_CODES:
        warnings.append(_("Division code %(code)s does not start with a known province-level code") % {"code": region})
    elif region_known is not None and not region_known(region):
        warnings.append(_("Division code %(code)s is not in the table of divisions") % {"code": region})
    return IdNumberInfo(value, birth, sex, region, upgraded, tuple(warnings))


def make_id_number(region: str, birth: dt.date, sequence: int) -> str:
    """Build a valid 18-character number (for synthetic demo and test data)."""
    body = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return body + check_char(body)

"""Resident ID numbers (居民身份证号码) per GB 11643-1999.

18 characters: 6-digit division code (GB/T 2260), 8-digit birth date, 3-digit sequence
(odd for men, even for women) and an ISO 7064 MOD 11-2 check character (0-9 or X).
Old 15-digit numbers (YYMMDD birth, no check digit) are upgraded by inserting "19" and
computing the check character.

Input is normalised first (Unicode NFKC, so full-width, superscript or mathematical digits
become plain ones; blanks removed; x upper-cased); after that only the standard's characters,
ASCII 0–9 and X, are accepted, and only that normalised form is ever stored.

The division code is checked against the full table of divisions (`core.divisions`, no
database): a current code is clean; an abolished one is valid with a warning naming the old
division and the year it ceased (a number keeps the code of the place and year it was first
issued); a code that never existed is invalid. A code's years do not restrict the birth
year: a number is issued where a person lives when it is issued.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from deltaunion.core import divisions

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
DIGITS = frozenset("0123456789")


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
    """NFKC, no blanks, upper case: '１１０１０５ … ｘ' → '110105…X'. Characters outside the
    standard's may remain; `parse_id_number` refuses them."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(raw or ""))).upper()


def _only_standard_characters(value: str) -> None:
    """A character outside ASCII (an Arabic-Indic or Devanagari digit, a letter of another
    script) is named in the message; ASCII letters get the messages about the number's shape."""
    stray = next((c for c in value if not c.isascii()), None)
    if stray is not None:
        raise IdNumberError(
            _("An ID number may contain only the digits 0–9 and the letter X; “%(char)s” is not allowed")
            % {"char": stray}
        )


def region_warnings(region: str) -> list[str]:
    """Warnings about a division code (IdNumberError if it never existed)."""
    found = divisions.division(region)
    if found is None:
        raise IdNumberError(
            _("The division code %(code)s at the start of the ID number does not exist in GB/T 2260") % {"code": region}
        )
    if found.current:
        return []
    return [
        _(
            "Division code %(code)s (%(name)s) was abolished in %(year)d; the number keeps the code "
            "of the place where it was first issued"
        )
        % {"code": region, "name": found.full_name, "year": found.ceased}
    ]


def parse_id_number(raw: str, *, today: dt.date | None = None) -> IdNumberInfo:
    """Validate and normalise an ID number; raise IdNumberError with a user message."""
    value = normalise(raw)
    today = today or dt.date.today()
    upgraded = False
    if not value:
        raise IdNumberError(_("The ID number cannot be empty"))
    _only_standard_characters(value)
    if len(value) == 15:
        if not all(c in DIGITS for c in value):
            raise IdNumberError(_("A 15-character ID number can contain only digits"))
        body = value[:6] + "19" + value[6:]
        value = body + check_char(body)
        upgraded = True
    if len(value) != 18:
        raise IdNumberError(
            _("An ID number has 18 characters (or 15 for old numbers); this one has %(n)d") % {"n": len(value)}
        )
    if not all(c in DIGITS for c in value[:17]) or value[17] not in "0123456789X":
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
    warnings = region_warnings(region)
    return IdNumberInfo(value, birth, sex, region, upgraded, tuple(warnings))


def make_id_number(region: str, birth: dt.date, sequence: int) -> str:
    """Build a valid 18-character number (for synthetic demo and test data)."""
    body = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return body + check_char(body)

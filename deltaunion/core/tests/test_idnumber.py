"""Resident ID numbers (GB 11643-1999): parsing, check character, upgrade, masking."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deltaunion.core.idnumber import (
    CHECK_CHARS,
    PROVINCE_CODES,
    IdNumberError,
    check_char,
    make_id_number,
    normalise,
    parse_id_number,
)
from deltaunion.core.privacy import mask_id_number, mask_phone

CJK = re.compile(r"[\u4e00-\u9fff]")
TODAY = dt.date(2024, 6, 1)

regions = st.builds(
    lambda province, rest: province + rest,
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.from_regex(r"\A[0-9]{4}\Z"),
)
births = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)
sequences = st.integers(min_value=0, max_value=999)


@given(region=regions, birth=births, sequence=sequences)
def test_any_generated_number_parses_back(region, birth, sequence):
    number = make_id_number(region, birth, sequence)
    info = parse_id_number(number, today=TODAY)
    assert info.number == number
    assert info.birth_date == birth
    assert info.region_code == region
    # The 17th digit is the last digit of the sequence: odd for men, even for women.
    assert info.sex == ("M" if int(number[16]) % 2 == 1 else "F")
    assert info.sex == ("M" if sequence % 2 == 1 else "F")
    assert not info.upgraded_from_15


@given(
    region=regions,
    birth=births,
    sequence=sequences,
    position=st.integers(min_value=0, max_value=16),
    delta=st.integers(min_value=1, max_value=9),
)
def test_changing_any_one_of_the_first_17_digits_is_caught(region, birth, sequence, position, delta):
    number = make_id_number(region, birth, sequence)
    changed = str((int(number[position]) + delta) % 10)
    tampered = number[:position] + changed + number[position + 1 :]
    assert tampered != number
    with pytest.raises(IdNumberError):
        parse_id_number(tampered, today=TODAY)


@given(region=regions, birth=births, sequence=sequences, replacement=st.sampled_from(CHECK_CHARS))
def test_any_other_check_character_is_caught(region, birth, sequence, replacement):
    number = make_id_number(region, birth, sequence)
    if replacement == number[17]:
        replacement = CHECK_CHARS[(CHECK_CHARS.index(replacement) + 1) % len(CHECK_CHARS)]
    with pytest.raises(IdNumberError):
        parse_id_number(number[:17] + replacement, today=TODAY)


def test_standard_example_and_its_check_character():
    # The example in GB 11643-1999 itself.
    assert check_char("11010519491231002") == "X"
    info = parse_id_number("11010519491231002X")
    assert info.birth_date == dt.date(1949, 12, 31)
    assert info.sex == "F"
    assert info.region_code == "110105"


def test_fifteen_digit_number_is_upgraded():
    info = parse_id_number("110105491231002")
    assert info.number == "11010519491231002X"
    assert info.upgraded_from_15
    assert info.birth_date == dt.date(1949, 12, 31)
    assert info.sex == "F"


def test_fifteen_digit_upgrade_with_a_digit_check_character():
    info = parse_id_number("330106850314231")
    assert info.number == make_id_number("330106", dt.date(1985, 3, 14), 231)
    assert info.number[17] == check_char(info.number[:17])
    assert info.sex == "M"


def _with_check(body17: str) -> str:
    return body17 + check_char(body17)


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("110105194912310021", "校验位"),  # right shape, wrong check digit
        (_with_check("11010519900230001"), "出生日期无效"),  # 30 February
        (_with_check("11010519901301001"), "出生日期无效"),  # month 13
        (_with_check("11010518991231001"), "1900"),  # before 1900
        ("1101051949123100", "18位"),  # 16 characters
        ("11010519491231002X1", "18位"),  # 19 characters
        ("11010519491231A02X", "前17位须为数字"),  # a letter in the body
        ("11010519491231002Y", "前17位须为数字"),  # a letter other than X at the end
        ("11010549123100A", "15位"),  # 15 characters with a letter
        ("", "不能为空"),
        ("   ", "不能为空"),
    ],
)
def test_bad_numbers_are_refused_with_a_chinese_message(raw, fragment):
    with pytest.raises(IdNumberError) as exc:
        parse_id_number(raw, today=TODAY)
    message = str(exc.value)
    assert CJK.search(message), message
    assert fragment in message


def test_future_birth_date_is_refused():
    tomorrow = TODAY + dt.timedelta(days=1)
    number = make_id_number("330106", tomorrow, 1)
    with pytest.raises(IdNumberError, match="晚于今天"):
        parse_id_number(number, today=TODAY)
    # ... and the same number is fine once that day has come.
    assert parse_id_number(number, today=tomorrow).birth_date == tomorrow


def test_unknown_province_code_is_a_warning_not_an_error():
    number = make_id_number("990101", dt.date(1980, 1, 1), 11)
    info = parse_id_number(number, today=TODAY)
    assert info.number == number
    assert len(info.warnings) == 1
    assert "990101" in info.warnings[0]
    assert CJK.search(info.warnings[0])


def test_unknown_division_code_is_a_warning_not_an_error():
    number = make_id_number("330199", dt.date(1980, 1, 1), 11)
    seen = []

    def region_known(code: str) -> bool:
        seen.append(code)
        return code != "330199"

    info = parse_id_number(number, today=TODAY, region_known=region_known)
    assert seen == ["330199"]
    assert info.warnings and "330199" in info.warnings[0]
    # A known code gives no warning.
    assert parse_id_number(make_id_number("330106", dt.date(1980, 1, 1), 11), region_known=region_known).warnings == ()


def test_full_width_digits_spaces_and_lower_case_x_are_normalised():
    assert normalise("１１０１０５ １９４９１２３１ ００２ｘ") == "11010519491231002X"
    assert parse_id_number("１１０１０５１９４９１２３１００２Ｘ").number == "11010519491231002X"
    assert parse_id_number(" 11010519491231002x\n").number == "11010519491231002X"
    assert parse_id_number("１１０１０５４９１２３１００２").number == "11010519491231002X"


def test_masking():
    assert mask_id_number("11010519491231002X") == "1101**********002X"
    assert mask_id_number("110105491231002") == "1101*******1002"
    assert mask_id_number("1234567") == "*******"
    assert mask_id_number("") == ""
    assert mask_phone("13912345678") == "139****5678"
    assert mask_phone("123456") == "******"
    assert mask_phone("") == ""


@given(region=regions, birth=births, sequence=sequences)
def test_masked_number_never_shows_the_birth_date(region, birth, sequence):
    number = make_id_number(region, birth, sequence)
    masked = mask_id_number(number)
    assert len(masked) == 18
    assert masked[4:14] == "*" * 10
    assert masked[:4] == number[:4] and masked[-4:] == number[-4:]

"""Resident ID numbers (GB 11643-1999): parsing, check character, upgrade, masking."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deltaunion.core import divisions
from deltaunion.core.idnumber import (
    CHECK_CHARS,
    IdNumberError,
    check_char,
    make_id_number,
    normalise,
    parse_id_number,
)
from deltaunion.core.privacy import mask_id_number, mask_phone

CJK = re.compile(r"[\u4e00-\u9fff]")
TODAY = dt.date(2024, 6, 1)

# Division codes in use today, from the full table (every province of the country).
CURRENT_CODES = sorted(code for code, d in divisions.table().items() if d.current)
regions = st.sampled_from(CURRENT_CODES)
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


# --- the full table of divisions: no database, no caller-supplied lookup ------------------------
# (These tests have no `db` fixture: pytest-django refuses any query, so they prove the
# validator reads no table of the database.)


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("110101", "东城区"),  # Beijing: no organisation of the demo is there
        ("330424", "海盐县"),
        ("330106", "西湖区"),
        ("310151", "崇明区"),  # a county became a district in 2016
        ("320614", "海门区"),  # created in 2020
        ("330113", "临平区"),  # created in 2021, added to the package's table with its source
        ("330114", "钱塘区"),
        ("340281", "无为市"),
    ],
)
def test_a_current_division_code_is_clean(code, name):
    assert divisions.division(code).name == name
    info = parse_id_number(make_id_number(code, dt.date(1980, 1, 1), 11), today=TODAY)
    assert info.region_code == code
    assert info.warnings == ()


@pytest.mark.parametrize(
    ("code", "old_name", "year"),
    [
        ("330103", "浙江省杭州市下城区", 2021),
        ("330104", "浙江省杭州市江干区", 2021),
        ("310230", "上海市崇明县", 2016),
        ("341400", "安徽省巢湖市", 2011),
        ("110103", "北京市崇文区", 2010),
    ],
)
def test_an_abolished_code_is_valid_with_a_warning_naming_the_old_division_and_its_year(code, old_name, year):
    info = parse_id_number(make_id_number(code, dt.date(1975, 6, 1), 21), today=TODAY)
    assert info.region_code == code
    assert len(info.warnings) == 1
    warning = info.warnings[0]
    assert code in warning and old_name in warning and str(year) in warning
    assert CJK.search(warning)


@pytest.mark.parametrize("code", ["990101", "330199", "310199", "320099", "110199", "830101"])
def test_a_code_that_never_existed_is_invalid(code):
    assert divisions.division(code) is None
    with pytest.raises(IdNumberError, match="GB/T 2260") as exc:
        parse_id_number(make_id_number(code, dt.date(1980, 1, 1), 11), today=TODAY)
    assert code in str(exc.value) and CJK.search(str(exc.value))


def test_a_codes_years_do_not_restrict_the_birth_year():
    # 临平区 exists since 2021; someone born in 1960 who lives there today holds a number with it.
    assert parse_id_number(make_id_number("330113", dt.date(1960, 3, 1), 11), today=TODAY).warnings == ()
    # 下城区 ceased in 2021; a number first issued there before still carries it (a warning, not an error).
    late = parse_id_number(make_id_number("330103", dt.date(2023, 3, 1), 11), today=TODAY)
    assert late.birth_date == dt.date(2023, 3, 1) and len(late.warnings) == 1


def test_the_table_has_every_division_of_the_four_provinces():
    current = divisions.current_divisions(["31", "32", "33", "34"])
    counts: dict[tuple[str, str], int] = {}
    for d in current:
        counts[(d.code[:2], d.level)] = counts.get((d.code[:2], d.level), 0) + 1
    assert counts == {
        ("31", "province"): 1,
        ("31", "county"): 16,
        ("32", "province"): 1,
        ("32", "prefecture"): 13,
        ("32", "county"): 95,
        ("33", "province"): 1,
        ("33", "prefecture"): 11,
        ("33", "county"): 90,
        ("34", "province"): 1,
        ("34", "prefecture"): 16,
        ("34", "county"): 104,
    }
    hangzhou = {d.name for d in current if d.parent_code == "330100"}
    assert {
        "上城区",
        "拱墅区",
        "西湖区",
        "滨江区",
        "萧山区",
        "余杭区",
        "临平区",
        "钱塘区",
        "富阳区",
        "临安区",
    } <= hangzhou
    assert {"桐庐县", "淳安县", "建德市"} <= hangzhou and len(hangzhou) == 13
    assert {d.name for d in current if d.parent_code == "320500"} == {
        "虎丘区",
        "吴中区",
        "相城区",
        "姑苏区",
        "吴江区",
        "常熟市",
        "张家港市",
        "昆山市",
        "太仓市",
    }
    # Shanghai's districts sit directly under the municipality; groupings (市辖区) are not divisions.
    assert {d.parent_code for d in current if d.code.startswith("31") and d.level == "county"} == {"310000"}
    assert not any(d.name == "市辖区" for d in current)
    # The whole country's history is there too: abolished codes know the year they ceased.
    abolished = [d for d in divisions.table().values() if not d.current]
    assert len(abolished) > 1000 and all(d.ceased and 1980 <= d.ceased <= 2025 for d in abolished)


# --- only the standard's characters, and no crash ----------------------------------------------------

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
MATH_BOLD = str.maketrans("0123456789", "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")


def test_superscript_digits_are_normalised_not_a_crash():
    # The number of the report: a superscript 3 used to raise a bare ValueError.
    info = parse_id_number("³10107195603221300", today=TODAY)
    assert info.number == "310107195603221300" and info.number.isascii()


@pytest.mark.parametrize("table", [SUPERSCRIPT, MATH_BOLD], ids=["superscript", "mathematical bold"])
def test_compatibility_digits_are_stored_as_ascii(table):
    number = make_id_number("330106", dt.date(1985, 3, 14), 231)
    info = parse_id_number(number.translate(table), today=TODAY)
    assert info.number == number


@pytest.mark.parametrize("table", [ARABIC_INDIC, DEVANAGARI], ids=["arabic-indic", "devanagari"])
def test_digits_of_other_scripts_are_a_clear_error(table):
    number = make_id_number("330106", dt.date(1985, 3, 14), 231)
    written = number[:17].translate(table) + number[17]
    with pytest.raises(IdNumberError, match="0–9") as exc:
        parse_id_number(written, today=TODAY)
    assert written[0] in str(exc.value)
    # One such digit among ASCII ones is refused too.
    with pytest.raises(IdNumberError, match="0–9"):
        parse_id_number(number[:5] + number[5].translate(table) + number[6:], today=TODAY)


@given(raw=st.text(max_size=25))
def test_any_text_is_either_a_clean_ascii_number_or_an_id_number_error(raw):
    try:
        info = parse_id_number(raw, today=TODAY)
    except IdNumberError:
        return
    assert len(info.number) == 18 and set(info.number) <= set("0123456789X")


@given(
    region=regions,
    birth=births,
    sequence=sequences,
    spelling=st.lists(st.sampled_from(["ascii", "full", "super", "bold"]), min_size=18, max_size=18),
)
def test_any_compatibility_spelling_of_a_valid_number_is_the_same_ascii_number(region, birth, sequence, spelling):
    number = make_id_number(region, birth, sequence)
    tables = {
        "ascii": {},
        "full": str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"),
        "super": SUPERSCRIPT,
        "bold": MATH_BOLD,
    }
    written = "".join(c.translate(tables[how]) for c, how in zip(number, spelling, strict=True))
    assert parse_id_number(written, today=TODAY).number == number


def test_an_18_digit_number_is_not_marked_as_upgraded():
    info = parse_id_number("11010519491231002X")
    assert info.upgraded_from_15 is False

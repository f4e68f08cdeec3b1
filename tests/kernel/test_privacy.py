"""Masking of personal data (`core.privacy`): what stays, what is starred, and the edges."""

from __future__ import annotations

import pytest

from deltaunion.core.privacy import mask_id_number, mask_name, mask_phone, person_name, personal


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("330106198503142318", "3301**********2318"),
        ("11010519491231002X", "1101**********002X"),
        ("330106850314231", "3301*******4231"),  # the old 15-digit form
        ("1234567", "*******"),  # too short to keep anything
        ("12345678", "12345678"),  # eight: both ends, nothing between
        ("", ""),
    ],
)
def test_mask_id_number(value, masked):
    assert mask_id_number(value) == masked
    assert len(mask_id_number(value)) == len(value)


def test_a_masked_id_number_hides_the_birth_date():
    number = "330106198503142318"
    assert "19850314" not in mask_id_number(number)


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13912345678", "139****5678"),
        ("+8613912345678", "+86*******5678"),
        ("123456", "******"),
        ("1234567", "1234567"),
        ("", ""),
    ],
)
def test_mask_phone(value, masked):
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张三", "张*"), ("王建国", "王*国"), ("欧阳娜娜", "欧**娜"), ("李", "李"), ("", "*"), (None, "*")],
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked


def test_person_name_and_personal(users):
    users.hz_officer.full_name = "王建国"
    assert person_name(users.hz_officer, full=True) == "王建国"
    assert person_name(users.hz_officer, full=False) == "王*国"
    assert person_name(None, full=True) == ""
    assert personal("13912345678", "phone", full=False) == "139****5678"
    assert personal("13912345678", "phone", full=True) == "13912345678"
    assert personal("", "id_number", full=True) == ""
    with pytest.raises(KeyError):
        personal("x", "address", full=False)

"""ID numbers as the people services store them: only the normalised ASCII form (issue 10,
point 5), so one person written two ways is one worker, and no spelling crashes the service."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from deltaunion.core.idnumber import make_id_number
from deltaunion.people.models import Worker
from deltaunion.people.services import WorkerFieldError, worker_create, worker_identity

BOLD = str.maketrans("0123456789", "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗")
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def test_the_same_person_written_two_ways_is_one_worker(world):
    number = make_id_number("330106", dt.date(1988, 8, 8), 35)
    first = worker_create(
        organisation=world.hz_unit, name="李四", id_number=number.translate(BOLD), by=world.hz_officer
    )
    assert first.id_number == number and first.id_number.isascii()
    for spelling in (number, number.translate(SUPERSCRIPT), number[:6].translate(FULL_WIDTH) + number[6:]):
        with pytest.raises(ValidationError, match="已存在"):
            worker_create(organisation=world.hz_unit, name="李四", id_number=spelling, by=world.hz_officer)
    assert Worker.objects.filter(name="李四").count() == 1


def test_a_superscript_number_is_no_crash_and_other_scripts_are_a_field_error(world):
    fields, warnings = worker_identity(name="王五", id_number="³10107195603221300")
    assert fields["id_number"] == "310107195603221300" and warnings == []
    number = make_id_number("330106", dt.date(1985, 3, 14), 231)
    with pytest.raises(WorkerFieldError) as exc:
        worker_identity(name="王五", id_number=number.translate(ARABIC_INDIC))
    assert exc.value.field == "id_number" and "0–9" in exc.value.messages[0]


def test_division_codes_are_checked_without_the_database_rows(world):
    # The demo's regions are not loaded here: a live code outside them is clean, an abolished
    # one warns with its old name and year, one that never existed is refused.
    _fields, warnings = worker_identity(name="赵六", id_number=make_id_number("110101", dt.date(1980, 1, 1), 11))
    assert warnings == []
    _fields, warnings = worker_identity(name="赵六", id_number=make_id_number("330103", dt.date(1980, 1, 1), 11))
    assert len(warnings) == 1 and "下城区" in warnings[0] and "2021" in warnings[0]
    with pytest.raises(WorkerFieldError, match="330199"):
        worker_identity(name="赵六", id_number=make_id_number("330199", dt.date(1980, 1, 1), 11))

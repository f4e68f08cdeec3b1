"""The import framework (core.imports, core.excel): hostile files refused fast and cheaply, every error
of every row reported, nothing written unless every row is clean, nothing cut, the sample never imported."""

from __future__ import annotations

import time
import tracemalloc

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from deltaunion.core import testing
from deltaunion.core.imports import Column, Importer, run_import
from deltaunion.core.models import AuditEntry

HEADERS = ["姓名", "年龄", "队名"]


def _age(value):
    try:
        age = int(str(value))
    except ValueError:
        raise ValidationError("年龄应为整数") from None
    if not 16 <= age <= 70:
        raise ValidationError("年龄应在16到70之间")
    return age


class PeopleImport(Importer):
    key = "tests.people"
    title = "测试导入"
    columns = [
        Column("name", "姓名", "Name", required=True, max_length=10),
        Column("age", "年龄", "Age", required=True, parse=_age),
        Column("team", "队名", "Team", max_length=20),
    ]
    sample = {"name": "张三（示例）", "age": "30", "team": "示例队"}

    written: list[dict] = []

    def authorise(self, by):
        return None

    def clean_row(self, row):
        if row["name"] == row.get("team"):
            row.error("team", "队名不能与姓名相同")

    def clean_all(self, rows):
        seen = {}
        for row in rows:
            name = row.get("name")
            if name in seen:
                row.error("name", f"与第 {seen[name]} 行重名")
            elif name:
                seen[name] = row.number

    def write(self, rows, by):
        for row in rows:
            AuditEntry.objects.create(
                action="organisation.update", object_type="x", object_id="1", object_repr=row["name"]
            )
        if self.context.get("explode"):
            raise RuntimeError("boom")
        type(self).written = [dict(r.values) for r in rows]
        return {"created": len(rows)}


def _run(data, **context):
    return run_import(PeopleImport(**context), data, by=None)


def test_a_clean_file_is_written_whole(db):
    data = testing.make_xlsx([["王一", 30, "甲队"], ["李二", "45", ""]], HEADERS)
    result = _run(data)
    assert result.ok and result.counts == {"created": 2}
    assert PeopleImport.written == [
        {"name": "王一", "age": 30, "team": "甲队"},
        {"name": "李二", "age": 45, "team": ""},
    ]


def test_english_headers_are_accepted(db):
    result = _run(testing.make_xlsx([["王一", 30, ""]], ["Name", "Age", "Team"]))
    assert result.ok, result.errors


def test_every_error_of_every_row_is_reported_and_nothing_is_written(db):
    before = AuditEntry.objects.count()
    data = testing.make_xlsx(
        [
            ["王一", "abc", "王一"],  # bad age (the row rule waits for clean columns)
            ["", 12, "x" * 21],  # three errors in one row
            ["李二", 30, "李二"],  # a row rule
            ["李二", 31, ""],  # a file rule: the same name twice
        ],
        HEADERS,
    )
    result = _run(data)
    assert not result.ok
    got = {(e.row, e.column, e.message) for e in result.errors}
    assert (2, "年龄", "年龄应为整数") in got
    assert {(3, "姓名"), (3, "年龄"), (3, "队名")} <= {(r, c) for r, c, _m in got}
    assert (4, "队名", "队名不能与姓名相同") in got
    assert any(r == 5 and c == "姓名" and "第 4 行" in m for r, c, m in got)
    assert AuditEntry.objects.count() == before


def test_a_value_longer_than_its_column_is_an_error_not_cut(db):
    result = _run(testing.make_xlsx([["王" * 11, 30, ""]], HEADERS))
    assert [(e.row, e.column) for e in result.errors] == [(2, "姓名")]
    assert "10" in result.errors[0].message and "11" in result.errors[0].message


def test_the_sample_row_is_never_imported(db):
    result = _run(testing.make_xlsx([["张三（示例）", "30", "示例队"], ["王一", 30, ""]], HEADERS))
    assert [(e.row, e.column) for e in result.errors] == [(2, "")]
    assert "示例" in result.errors[0].message


def test_the_template_keeps_the_sample_off_the_data_sheet():
    sheets = [testing.read_xlsx(PeopleImport.__new__(PeopleImport).template(), i) for i in (0, 1)]
    assert sheets[0] == [HEADERS]
    assert ["姓名", "必填", 10] == sheets[1][1][:3]
    assert sheets[1][1][4] == "张三（示例）"


def test_a_failure_while_writing_rolls_everything_back(db):
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError):
        _run(testing.make_xlsx([["王一", 30, ""], ["李二", 31, ""]], HEADERS), explode=True)
    assert AuditEntry.objects.count() == before


def test_missing_duplicate_and_unknown_columns(db):
    result = _run(testing.make_xlsx([["王一", "x"]], ["姓名", "电话"]))
    messages = " ".join(e.message for e in result.errors)
    assert "年龄" in messages and "电话" in messages
    result = _run(testing.make_xlsx([["王一", 30, 31]], ["姓名", "年龄", "Age"]))
    assert any("两次" in e.message or "twice" in e.message for e in result.errors)


def test_a_formula_without_a_calculated_value_is_a_row_error(db):
    data = testing.formula_without_value(HEADERS, ["王一", "=20+10", "甲队"], formula_column=1)
    result = _run(data)
    assert [(e.row, e.column) for e in result.errors] == [(2, "年龄")]
    assert "公式" in result.errors[0].message


def _refused(data, **settings):
    """The refusal (message), its time and its peak traced memory."""
    tracemalloc.start()
    start = time.perf_counter()
    with override_settings(**settings) if settings else _noop():
        result = _run(data)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert not result.ok
    return result.errors[0].message, seconds, peak


class _noop:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


MB = 1024 * 1024


@pytest.mark.parametrize(
    ("name", "build", "expect"),
    [
        ("zip bomb (200 MB inflated)", lambda: testing.zip_bomb(HEADERS, 200), "数据量超过导入上限"),
        ("blank-row bomb (2 million rows)", lambda: testing.blank_row_bomb(HEADERS, 2_000_000), "20000"),
        ("giant cell (5 million characters)", lambda: testing.giant_cell(HEADERS, 5_000_000), "最多 10 个字符"),
    ],
)
def test_hostile_files_are_refused_cheaply(db, name, build, expect):
    """The time and memory of each refusal are measured by benchmarks/hostile_files.py; here the
    memory bound is asserted (it does not depend on how busy the machine is)."""
    message, _seconds, peak = _refused(build())
    assert expect in message, (name, message)
    assert peak < 80 * MB, (name, peak)


@pytest.mark.parametrize("kind", sorted(testing.not_xlsx()))
def test_files_that_are_not_xlsx_are_refused_with_a_message(db, kind):
    result = _run(testing.not_xlsx()[kind])
    assert not result.ok
    assert result.errors[0].row == 0
    assert "Excel" in result.errors[0].message or "空" in result.errors[0].message


def test_the_row_limit_comes_from_settings_and_counts_blank_rows(db):
    rows = [["王一", 30, ""], *[["", "", ""]] * 5, ["李二", 31, ""]]
    with override_settings(DELTAUNION={"IMPORT_MAX_ROWS": 5, "PAGE_SIZE": 20}):
        result = _run(testing.make_xlsx(rows, HEADERS))
    assert not result.ok and "5" in result.errors[0].message


def test_upload_size_limit(db):
    with override_settings(DELTAUNION={"IMPORT_MAX_BYTES": 1000, "PAGE_SIZE": 20}):
        result = _run(testing.make_xlsx([["王一", 30, "x" * 5000]], HEADERS))
    assert not result.ok and "MB" in result.errors[0].message


class ThoroughImport(PeopleImport):
    """Row rules run on rows whose cells had errors too (`clean_rows_with_cell_errors`)."""

    key = "tests.people_thorough"
    clean_rows_with_cell_errors = True
    cleaned: list[int] = []

    def clean_row(self, row):
        type(self).cleaned.append(row.number)
        if row.get("name") and row.get("name") == row.get("team"):
            row.error("team", "队名不能与姓名相同")


def test_row_rules_may_run_beside_cell_errors_but_never_on_the_sample_row(db):
    rows = [["王一", "abc", "王一"], ["张三（示例）", "30", "示例队"]]
    for importer, expected in [
        (PeopleImport(), {(2, "年龄"), (3, "")}),  # the row rule waits for clean columns
        (ThoroughImport(), {(2, "年龄"), (2, "队名"), (3, "")}),  # every error of the row at once
    ]:
        result = run_import(importer, testing.make_xlsx(rows, HEADERS), by=None)
        assert {(e.row, e.column) for e in result.errors} == expected
    assert ThoroughImport.cleaned == [2]  # not the sample row (3)

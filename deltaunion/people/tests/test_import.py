"""Bulk import of workers from Excel: all rows or none, with a row-by-row error report."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from deltaunion.core.idnumber import make_id_number
from deltaunion.core.models import AuditEntry
from deltaunion.core.permissions import Forbidden, refusal
from deltaunion.core.testing import without_csrf
from deltaunion.people.models import Employer, SkillLevelRecord, Worker
from deltaunion.people.services import workers_import
from deltaunion.people.tests.xlsx import COLUMNS, make_xlsx, read_xlsx

CJK = re.compile(r"[\u4e00-\u9fff]")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


def _birth(n: int) -> dt.date:
    return dt.date(1980, 1, 1) + dt.timedelta(days=97 * n)


def _id(n: int, female: bool = False) -> str:
    return make_id_number("330106", _birth(n), 2 * n + (0 if female else 1))


def good_rows() -> list[dict]:
    return [
        {
            "姓名": "张伟",
            "身份证号": _id(1),
            "性别": "男",
            "出生日期": _birth(1).isoformat(),
            "手机号": "13800001111",
            "用人单位": "杭州新导入科技有限公司",
            "所有制类型": "非公",
            "参加工作日期": "2001-07-01",
            "是否会员": "是",
            "入会日期": "2015-01-01",
            "工种": "焊工",
            "技能等级": "三级",
            "新就业形态": "否",
        },
        {
            "姓名": "刘芳",
            "身份证号": _id(2, female=True),
            "性别": "女",
            "出生日期": dt.datetime.combine(_birth(2), dt.time()),  # a real date cell
            "用人单位": "杭州新导入科技有限公司",
            "所有制类型": "非公",
            "技能等级": "4",
        },
        {
            "姓名": "赵强",
            "身份证号": _id(3),
            "用人单位": "杭州测试机械有限公司",  # already exists: no ownership needed
            "是否会员": "否",
            "新就业形态": "是",
        },
    ]


@pytest.fixture
def counts():
    def snapshot():
        return (
            Worker.objects.count(),
            Employer.objects.count(),
            SkillLevelRecord.objects.count(),
            AuditEntry.objects.count(),
        )

    return snapshot


def test_good_file_imports_every_row_with_skill_records_and_audit(world, counts):
    workers_before, employers_before, records_before, _audit = counts()
    employers_registered = AuditEntry.objects.filter(action="employer.create").count()
    result = workers_import(data=make_xlsx(good_rows()), organisation=world.hz_unit, by=world.hz_officer)

    assert result.ok, result.errors
    assert result.created == 3
    assert Worker.objects.count() == workers_before + 3
    assert Employer.objects.count() == employers_before + 1
    assert SkillLevelRecord.objects.count() == records_before + 2

    zhang = Worker.objects.get(name="张伟")
    assert zhang.id_number == _id(1)
    assert zhang.organisation == world.hz_unit
    assert zhang.sex == "M" and zhang.birth_date == _birth(1)
    assert zhang.skill_level == 3 and zhang.trade == "焊工"
    assert zhang.employer.name == "杭州新导入科技有限公司" and zhang.employer.ownership == "private"
    assert zhang.member_since == dt.date(2015, 1, 1)
    assert zhang.started_work_on == dt.date(2001, 7, 1)
    assert zhang.skill_levels.get().source == SkillLevelRecord.Source.IMPORT

    liu = Worker.objects.get(name="刘芳")
    assert liu.sex == "F" and liu.skill_level == 4 and liu.is_member
    zhao = Worker.objects.get(name="赵强")
    assert zhao.employer == world.hz_employer
    assert not zhao.is_member and zhao.is_gig_worker and zhao.skill_level is None

    imported = AuditEntry.objects.filter(action="worker.import", object_type="people.worker")
    assert imported.count() == 3
    assert set(imported.values_list("actor", flat=True)) == {world.hz_officer.pk}
    assert {e.after["id_number"] for e in imported} == {_id(1), _id(2, female=True), _id(3)}
    summary = AuditEntry.objects.filter(action="worker.import", object_type="orgs.organisation").get()
    assert summary.after == {"count": 3}
    assert AuditEntry.objects.filter(action="employer.create").count() == employers_registered + 1


def test_fifteen_digit_numbers_are_stored_upgraded(world):
    rows = [{"姓名": "老职工", "身份证号": "330106650101031"}]
    result = workers_import(data=make_xlsx(rows, ("姓名", "身份证号")), organisation=world.hz_unit, by=world.hz_officer)
    assert result.ok, result.errors
    assert Worker.objects.get(name="老职工").id_number == make_id_number("330106", dt.date(1965, 1, 1), 31)


def _bad(world, counts, data: bytes):
    before = counts()
    result = workers_import(data=data, organisation=world.hz_unit, by=world.hz_officer)
    assert not result.ok
    assert result.created == 0
    assert counts() == before, "a bad file must change nothing"
    for e in result.errors:
        assert CJK.search(e.message), e
    return result.errors


def _one_error(errors, row: int, column: str, fragment: str):
    matching = [e for e in errors if e.row == row and e.column == column]
    assert matching, errors
    assert any(fragment in e.message for e in matching), matching


@pytest.mark.parametrize(
    ("headers", "fragment"),
    [
        (("姓名", "性别", "手机号"), "身份证号"),  # a required column missing
        (("name", "id_number"), "姓名"),  # English headers: both required columns missing
        ((*COLUMNS, "备注"), "备注"),  # an unknown column
    ],
)
def test_wrong_columns_are_refused(world, counts, headers, fragment):
    rows = [{"姓名": "张伟", "身份证号": _id(1), "name": "张伟", "id_number": _id(1)}]
    errors = _bad(world, counts, make_xlsx(rows, headers))
    # Every problem of the header row at once (missing and unknown columns), as file-level errors.
    assert errors and all(e.row == 0 for e in errors)
    assert any(fragment in e.message for e in errors)


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "空"),  # 0 bytes
        (make_xlsx([]), "没有数据行"),  # only a header row
        ("姓名，身份证号\n张伟，11010519491231002X\n".encode(), "Excel"),  # a .csv
        (PNG, "Excel"),  # a PNG renamed .xlsx
        (b"PK\x03\x04not really a zip", "Excel"),  # a damaged file that looks like a zip
    ],
)
def test_unreadable_files_are_refused(world, counts, data, fragment):
    errors = _bad(world, counts, data)
    assert len(errors) == 1
    assert errors[0].row == 0
    assert fragment in errors[0].message


def test_bad_check_digit(world, counts):
    rows = good_rows()
    bad = rows[1]["身份证号"]
    rows[1]["身份证号"] = bad[:17] + ("0" if bad[17] != "0" else "1")
    errors = _bad(world, counts, make_xlsx(rows))
    assert len(errors) == 1
    _one_error(errors, 3, "身份证号", "校验")


def test_duplicate_ids_in_the_file_point_to_the_first_row(world, counts):
    rows = good_rows()
    rows.append({"姓名": "重复的人", "身份证号": rows[0]["身份证号"]})
    # The same number in its old 15-digit form is the same person too.
    old_form = rows[2]["身份证号"][:6] + rows[2]["身份证号"][8:17]
    rows.append({"姓名": "旧证号", "身份证号": old_form})
    errors = _bad(world, counts, make_xlsx(rows))
    assert [(e.row, e.column) for e in errors] == [(5, "身份证号"), (6, "身份证号")]
    assert "2" in errors[0].message and "重复" in errors[0].message
    assert "4" in errors[1].message and "重复" in errors[1].message


def test_id_already_in_the_database(world, counts):
    rows = good_rows()
    rows[0]["身份证号"] = world.hz_a.id_number
    rows[0]["出生日期"] = ""
    rows[2]["身份证号"] = world.sz_a.id_number  # registered in another province: still the same person
    errors = _bad(world, counts, make_xlsx(rows))
    assert [(e.row, e.column) for e in errors] == [(2, "身份证号"), (4, "身份证号")]
    assert all("已存在" in e.message for e in errors)


@pytest.mark.parametrize(
    ("change", "column", "fragment"),
    [
        ({"性别": "女"}, "性别", "性别"),  # the ID number says male
        ({"性别": "未知"}, "性别", "性别"),
        ({"出生日期": "1981-04-07"}, "出生日期", "出生日期"),  # the ID number says 1980-04-07
        ({"出生日期": "明年"}, "出生日期", "日期"),
        ({"手机号": "12345"}, "手机号", "手机号"),
        ({"手机号": "23800001111"}, "手机号", "手机号"),
        ({"技能等级": "六级"}, "技能等级", "技能等级"),
        ({"技能等级": "7"}, "技能等级", "技能等级"),
        ({"所有制类型": "", "用人单位": "从未登记过的单位"}, "所有制类型", "所有制类型"),
        ({"所有制类型": "集体"}, "所有制类型", "所有制类型"),
        ({"是否会员": "也许"}, "是否会员", "是"),
        ({"姓名": ""}, "姓名", "姓名"),
        ({"身份证号": ""}, "身份证号", "身份证号"),
    ],
)
def test_row_errors_name_row_and_column_and_import_nothing(world, counts, change, column, fragment):
    rows = good_rows()
    rows[0].update(change)
    errors = _bad(world, counts, make_xlsx(rows))
    _one_error(errors, 2, column, fragment)
    assert {e.row for e in errors} == {2}


def test_one_bad_row_among_many_good_ones_imports_nothing(world, counts):
    rows = [{"姓名": f"批量{i}", "身份证号": _id(10 + i), "手机号": f"1370000{i:04d}"} for i in range(40)]
    rows[27]["手机号"] = "1370000"  # too short
    errors = _bad(world, counts, make_xlsx(rows, ("姓名", "身份证号", "手机号")))
    assert [(e.row, e.column) for e in errors] == [(29, "手机号")]
    assert not Worker.objects.filter(name__startswith="批量").exists()


def test_every_error_in_the_file_is_reported(world, counts):
    rows = good_rows()
    rows[0]["手机号"] = "1"
    rows[1]["技能等级"] = "特级"
    rows[2]["身份证号"] = "123"
    errors = _bad(world, counts, make_xlsx(rows))
    assert [(e.row, e.column) for e in errors] == [(2, "手机号"), (3, "技能等级"), (4, "身份证号")]


def test_blank_rows_are_skipped_and_row_numbers_stay_true(world, counts):
    rows = good_rows()
    rows.insert(1, {})  # a blank line at sheet row 3
    rows[3]["手机号"] = "abc"  # sheet row 5
    errors = _bad(world, counts, make_xlsx(rows))
    assert [(e.row, e.column) for e in errors] == [(5, "手机号")]


def test_import_outside_the_officers_scope_is_refused(world, counts, english):
    # Unions are public: importing into one the user does not manage is a 403 with the reason.
    before = counts()
    for union, user in [
        (world.sz_unit, world.hz_officer),
        (world.hz_unit, world.nobody),
        (world.hz_unit, world.worker),
    ]:
        with pytest.raises(Forbidden) as exc:
            workers_import(data=make_xlsx(good_rows()), organisation=union, by=user)
        assert str(exc.value) == refusal("people.import_workers")
    assert counts() == before


# --- the page -------------------------------------------------------------------------------------


def _upload(client, org, data: bytes, name: str = "workers.xlsx"):
    return client.post("/people/import/", {"organisation": org.pk, "file": SimpleUploadedFile(name, data)})


def test_import_page_good_file(client, world):
    client.force_login(world.hz_officer)
    assert client.get("/people/import/").status_code == 200
    before = Worker.objects.count()
    response = _upload(client, world.hz_unit, make_xlsx(good_rows()))
    assert response.status_code == 302
    assert response["Location"] == "/people/"
    assert Worker.objects.count() == before + 3
    assert "导入完成：新增 3 条记录" in client.get(response["Location"]).content.decode()


def test_import_page_bad_file_shows_errors_and_a_downloadable_report(client, world):
    client.force_login(world.hz_officer)
    rows = good_rows()
    rows[0]["手机号"] = "1"
    rows.append({"姓名": "重复的人", "身份证号": rows[1]["身份证号"]})
    before = Worker.objects.count()
    response = _upload(client, world.hz_unit, make_xlsx(rows))
    assert response.status_code == 200
    assert Worker.objects.count() == before
    html = response.content.decode()
    assert 'data-testid="import-errors"' in html
    links = re.findall(r'href="(/imports/jobs/[0-9a-f-]+/report\.xlsx)"', html)
    assert len(links) == 1

    report = client.get(links[0])
    assert report.status_code == 200
    assert report["Content-Type"].startswith("application/vnd.openxmlformats")
    table = read_xlsx(report.content)
    assert len(table) == 1 + 2
    assert [(r[0], r[1]) for r in table[1:]] == [(2, "手机号"), (5, "身份证号")]
    assert "重复" in table[2][2] and "3" in table[2][2]

    # The report belongs to whoever uploaded the file.
    client.force_login(world.sz_officer)
    assert client.get(links[0]).status_code == 404


@pytest.mark.parametrize(("name", "data"), [("workers.csv", "姓名，身份证号\n".encode()), ("photo.xlsx", PNG)])
def test_import_page_non_excel_file(client, world, name, data):
    client.force_login(world.hz_officer)
    before = Worker.objects.count()
    response = _upload(client, world.hz_unit, data, name)
    assert response.status_code == 200
    assert 'data-testid="import-errors"' in response.content.decode()
    assert "Excel" in response.content.decode()
    assert Worker.objects.count() == before


def test_import_page_into_another_provinces_union_is_403_with_the_reason(client, world):
    client.force_login(world.hz_officer)
    before = Worker.objects.count()
    # Unions are public: one the officer does not manage is refused with the reason (403) …
    response = _upload(client, world.sz_unit, make_xlsx(good_rows()))
    assert response.status_code == 403
    assert "只有管理该工会的干部才能导入其职工" in response.content.decode()
    # … the same for one above the officer's own …
    above = _upload(client, world.zj, make_xlsx(good_rows()))
    assert above.status_code == 403
    assert without_csrf(above.content) == without_csrf(response.content)
    # … and a union that does not exist is not found.
    missing = type(world.sz_unit).objects.order_by("-pk").first().pk + 100
    assert (
        client.post("/people/import/", {"organisation": missing, "file": SimpleUploadedFile("a.xlsx", b"")}).status_code
        == 404
    )
    assert Worker.objects.count() == before
    # A federation admin above Hangzhou may import into it.
    client.force_login(world.zj_admin)
    assert _upload(client, world.hz_unit, make_xlsx(good_rows())).status_code == 302
    assert Worker.objects.count() == before + 3


def test_import_page_is_refused_to_users_who_manage_nothing(client, world):
    before = Worker.objects.count()
    for user in (world.nobody, world.worker, world.zj_judge):
        client.force_login(user)
        for response in (
            client.get("/people/import/"),
            _upload(client, world.hz_unit, make_xlsx(good_rows())),
        ):
            assert response.status_code == 403
            assert "只有管理该工会的干部才能导入其职工" in response.content.decode()
    assert Worker.objects.count() == before


def test_import_template_has_the_columns_and_its_example_is_never_imported(client, world):
    client.force_login(world.hz_officer)
    page = client.get("/people/import/").content.decode()
    response = client.get("/imports/template/people.workers.xlsx")
    assert response.status_code == 200
    assert 'href="/imports/template/people.workers.xlsx"' in page
    assert tuple(read_xlsx(response.content)[0]) == COLUMNS
    assert read_xlsx(response.content)[1:] == []  # the data sheet is empty: the example is on the guide sheet
    guide = read_xlsx(response.content, 1)
    assert guide[1][0] == "姓名" and guide[1][4] == "张三（示例）"
    # The example row, copied into the data sheet, is refused with a message.
    example = {"姓名": "张三（示例）", "身份证号": "11010519491231002X", "性别": "女", "出生日期": "1949-12-31"}
    result = workers_import(data=make_xlsx([example]), organisation=world.hz_unit, by=world.hz_officer)
    assert not result.ok
    assert "示例行" in result.errors[0].message


def test_new_employers_ownership_may_be_given_on_any_one_of_its_rows(world):
    rows = good_rows()[:2]
    rows[0]["所有制类型"] = ""  # only the second row of the new employer says 非公
    result = workers_import(data=make_xlsx(rows), organisation=world.hz_unit, by=world.hz_officer)
    assert result.ok, result.errors
    assert Employer.objects.get(name="杭州新导入科技有限公司").ownership == "private"


# --- plausible dates: the 16th birthday, today, starting work before joining ------------------------


def _sixteen(n: int) -> dt.date:
    return _birth(n).replace(year=_birth(n).year + 16)


def test_joining_on_the_16th_birthday_is_accepted(world):
    rows = good_rows()
    rows[0]["参加工作日期"] = _sixteen(1).isoformat()
    rows[0]["入会日期"] = _sixteen(1).isoformat()
    result = workers_import(data=make_xlsx(rows), organisation=world.hz_unit, by=world.hz_officer)
    assert result.ok, result.errors
    zhang = Worker.objects.get(name="张伟")
    assert zhang.member_since == zhang.started_work_on == _sixteen(1)


@pytest.mark.parametrize(
    ("change", "column", "fragment"),
    [
        # joined the union the day before the 16th birthday (no date of starting work given)
        ({"参加工作日期": "", "入会日期": "DAY_BEFORE_16"}, "入会日期", "年满16周岁"),
        ({"参加工作日期": "", "入会日期": "1990-01-01"}, "入会日期", "年满16周岁"),  # aged 9
        ({"入会日期": "2999-01-01"}, "入会日期", "晚于今天"),
        ({"入会日期": "TOMORROW"}, "入会日期", "晚于今天"),
        ({"参加工作日期": "DAY_BEFORE_16", "入会日期": "2015-01-01"}, "参加工作日期", "年满16周岁"),
        ({"参加工作日期": "TOMORROW"}, "参加工作日期", "晚于今天"),
        ({"参加工作日期": "2015-01-02", "入会日期": "2015-01-01"}, "入会日期", "参加工作日期"),
    ],
)
def test_implausible_dates_are_refused(world, counts, change, column, fragment):
    words = {
        "DAY_BEFORE_16": (_sixteen(1) - dt.timedelta(days=1)).isoformat(),
        "TOMORROW": (dt.date.today() + dt.timedelta(days=1)).isoformat(),
    }
    rows = good_rows()
    rows[0].update({k: words.get(v, v) for k, v in change.items()})
    errors = _bad(world, counts, make_xlsx(rows))
    assert [(e.row, e.column) for e in errors] == [(2, column)]
    assert fragment in errors[0].message
    if "年满16周岁" in fragment:
        assert _sixteen(1).isoformat() in errors[0].message  # says which day


def test_every_error_of_a_row_is_reported_at_once(world, counts):
    rows = good_rows()
    rows[0].update(
        {
            "性别": "女",  # the ID number says male
            "出生日期": "1981-04-07",  # the ID number says 1980-04-07
            "手机号": "12345",
            "参加工作日期": "1994-09-01",  # aged 14
            "入会日期": "1993-01-01",  # aged 12, and before starting work
            "技能等级": "六级",  # a cell that does not parse
            "是否会员": "也许",  # another one
        }
    )
    errors = _bad(world, counts, make_xlsx(rows))
    assert {e.row for e in errors} == {2}
    got = sorted((e.column, e.message) for e in errors)
    assert [c for c, _m in got] == sorted(
        ["性别", "出生日期", "手机号", "参加工作日期", "入会日期", "入会日期", "技能等级", "是否会员"]
    ), got
    joined = [m for c, m in got if c == "入会日期"]
    assert any("年满16周岁" in m for m in joined) and any("参加工作日期" in m for m in joined)


def test_a_bad_id_number_is_reported_beside_the_cells_that_did_not_parse(world, counts):
    rows = good_rows()
    bad = rows[1]["身份证号"]
    rows[1]["身份证号"] = bad[:17] + ("0" if bad[17] != "0" else "1")
    rows[1]["技能等级"] = "特级"
    rows[1]["入会日期"] = "明年"
    rows[1]["手机号"] = "1"
    errors = _bad(world, counts, make_xlsx(rows))
    assert sorted((e.row, e.column) for e in errors) == [
        (3, "入会日期"),
        (3, "手机号"),
        (3, "技能等级"),
        (3, "身份证号"),
    ]
    # A cell that did not parse is reported once, not again by the rules across the row.
    rows = good_rows()
    rows[0]["姓名"] = ""
    rows[0]["手机号"] = "1"
    errors = _bad(world, counts, make_xlsx(rows))
    assert sorted((e.row, e.column) for e in errors) == [(2, "姓名"), (2, "手机号")]

"""Small helpers to build and read .xlsx files in tests."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook, load_workbook

COLUMNS = (
    "姓名",
    "身份证号",
    "性别",
    "出生日期",
    "手机号",
    "用人单位",
    "所有制类型",
    "是否会员",
    "入会日期",
    "工种",
    "技能等级",
    "新就业形态",
)


def make_xlsx(rows: Sequence[dict[str, Any]], headers: Sequence[str] = COLUMNS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for row in rows:
        ws.append([row.get(h, "") for h in headers])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def read_xlsx(data: bytes) -> list[list[Any]]:
    wb = load_workbook(io.BytesIO(data), read_only=True)
    rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    wb.close()
    return rows

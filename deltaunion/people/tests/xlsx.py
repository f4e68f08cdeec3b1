"""Small helpers to build and read .xlsx files in tests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from deltaunion.core import testing

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
    return testing.make_xlsx(rows, headers)


read_xlsx = testing.read_xlsx

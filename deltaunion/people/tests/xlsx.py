"""Small helpers to build and read .xlsx files in tests (on `deltaunion.core.testing`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from deltaunion.core import testing
from deltaunion.people.imports import WorkerImport

# Every column of the workers' import, in the template's order.
COLUMNS = tuple(c.header for c in WorkerImport.columns)


def make_xlsx(rows: Sequence[dict[str, Any]], headers: Sequence[str] = COLUMNS) -> bytes:
    return testing.make_xlsx(rows, headers)


read_xlsx = testing.read_xlsx

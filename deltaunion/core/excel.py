"""Excel (.xlsx) reading and writing shared by every import and export."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExcelError(ValueError):
    """The file as a whole cannot be read (not Excel, empty, wrong columns)."""


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet row number, as the user sees it (header is row 1)
    column: str
    message: str


def list_join(items: Iterable[Any]) -> str:
    """Items as one string with the language's list separator ("、" in Chinese)."""
    return pgettext("list separator", ", ").join(str(i) for i in items)


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    if value is None:
        return ""
    if isinstance(value, (str, int, float, dt.date, dt.datetime, bool)):
        return value
    return str(value)


def _fill_sheet(ws, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    ws.append([str(h) for h in headers])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    widths = [max(8, len(str(h)) * 2 + 2) for h in headers]
    for row in rows:
        values = [_cell(v) for v in row]
        ws.append(values)
        for i, v in enumerate(values[: len(widths)]):
            widths[i] = min(60, max(widths[i], len(str(v)) + 2))
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"


def build_workbook_sheets(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """One .xlsx with a sheet per (title, headers, rows); titles are made valid and unique."""
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for title, headers, rows in sheets:
        name = str(title)[:31] or "Sheet"
        for ch in "[]:*?/\\":
            name = name.replace(ch, " ")
        base, n = name, 2
        while name in used:
            name = f"{base[:28]} {n}"
            n += 1
        used.add(name)
        _fill_sheet(wb.create_sheet(name), headers, rows)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def build_workbook(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str = "Sheet1") -> bytes:
    return build_workbook_sheets([(title, headers, rows)])


def xlsx_response(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str = "Sheet1"
) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(build_workbook(headers, rows, title=title), content_type=XLSX_MIME)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def read_table(
    data: bytes, *, required: Sequence[str], optional: Sequence[str] = (), max_rows: int = 20000
) -> list[dict[str, Any]]:
    """Read the first sheet into dicts keyed by header, with `_row` the sheet row number.

    Raises ExcelError for a file that is not .xlsx, has no data rows, or lacks a required
    column. Blank rows are skipped. Cell values are stripped strings (dates kept as dates).
    """
    if not data:
        raise ExcelError(_("The file is empty"))
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ExcelError(_("The file is not a valid Excel (.xlsx) file"))
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a damaged file
        raise ExcelError(_("The file is not a valid Excel (.xlsx) file")) from None
    ws = wb.worksheets[0] if wb.worksheets else None
    if ws is None:
        raise ExcelError(_("The file has no worksheet"))
    rows = ws.iter_rows(values_only=True)
    header_row = next(rows, None)
    if not header_row or not any(header_row):
        raise ExcelError(_("The file is empty: row 1 should hold the column headers"))
    headers = [str(h).strip() if h is not None else "" for h in header_row]
    missing = [h for h in required if h not in headers]
    if missing:
        raise ExcelError(
            _("Required columns are missing: %(cols)s. The columns are: %(all)s")
            % {"cols": list_join(missing), "all": list_join([*required, *optional])}
        )
    known = set(required) | set(optional)
    unknown = [h for h in headers if h and h not in known]
    if unknown:
        raise ExcelError(_("Unrecognised columns: %(cols)s") % {"cols": list_join(unknown)})
    out: list[dict[str, Any]] = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        record: dict[str, Any] = {"_row": number}
        for h, v in zip(headers, values, strict=False):
            if not h:
                continue
            if isinstance(v, (dt.date, dt.datetime)):
                record[h] = v.date() if isinstance(v, dt.datetime) else v
            elif v is None:
                record[h] = ""
            elif isinstance(v, float) and v.is_integer():
                record[h] = str(int(v))
            else:
                record[h] = str(v).strip()
        out.append(record)
        if len(out) > max_rows:
            raise ExcelError(
                _("The file has more than %(n)d data rows; import it in several batches") % {"n": max_rows}
            )
    wb.close()
    if not out:
        raise ExcelError(_("The file has no data rows"))
    return out


def error_report(errors: Sequence[RowError]) -> bytes:
    return build_workbook(
        [_("Row"), _("Column"), _("Error")], [(e.row, e.column, e.message) for e in errors], title=_("Error report")
    )


def xlsx_bytes_response(data: bytes, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(data, content_type=XLSX_MIME)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response

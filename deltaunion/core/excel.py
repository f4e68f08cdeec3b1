"""Excel (.xlsx) primitives under every import and export: hostile-file checks, reading, safe writing.

Reading refuses hostile files before parsing them, cheaply: a size limit on the upload, the
declared uncompressed size of every part (zipfile never inflates a part beyond its declared
size, so the declaration is binding), and a streamed count of the first sheet's `<row>`
elements that stops as soon as the row limit is passed — blank rows count. A formula cell
without a cached value is reported, never read as empty.

Writing neutralises spreadsheet formulas: text starting with `=`, `+`, `-`, `@`, a tab or a
carriage return is stored as a string cell with Excel's "quote prefix", so Excel and WPS show
it as typed and never evaluate it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_CELL_LIMIT = 32767  # Excel's own limit on the characters of one cell


class ExcelError(ValueError):
    """The file as a whole cannot be read (not Excel, empty, too large, wrong columns)."""


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet row number, as the user sees it (header is row 1); 0 = the file
    column: str
    message: str


def list_join(items: Iterable[Any]) -> str:
    """Items as one string with the language's list separator ("、" in Chinese)."""
    return pgettext("list separator", ", ").join(str(i) for i in items)


def limits() -> dict[str, int]:
    conf = settings.DELTAUNION
    return {
        "max_bytes": int(conf.get("IMPORT_MAX_BYTES", 10 * 1024 * 1024)),
        "max_uncompressed": int(conf.get("IMPORT_MAX_UNCOMPRESSED", 100 * 1024 * 1024)),
        "max_rows": int(conf.get("IMPORT_MAX_ROWS", 20000)),
    }


# --- reading -------------------------------------------------------------------------------------

_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_SHEET_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheet\b[^>]*?\br:id=\"([^\"]+)\"", re.S)
_SHEET_TAG_ANY = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheet\b[^>]*?\bid=\"([^\"]+)\"", re.S)
_REL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Relationship\b([^>]*)>", re.S)
_ATTR = re.compile(rb"(\w+)=\"([^\"]*)\"")
_CHUNK = 1 << 20


def _first_sheet_part(zf: zipfile.ZipFile) -> str:
    try:
        workbook = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        raise ExcelError(_("The file is not a valid Excel (.xlsx) file")) from None
    if b"<!DOCTYPE" in workbook or b"<!DOCTYPE" in rels:
        raise ExcelError(_("The file is not a valid Excel (.xlsx) file"))
    match = _SHEET_TAG.search(workbook) or _SHEET_TAG_ANY.search(workbook)
    if match is None:
        raise ExcelError(_("The file has no worksheet"))
    rid = match.group(1)
    for rel in _REL.finditer(rels):
        attrs = dict(_ATTR.findall(rel.group(1)))
        if attrs.get(b"Id") == rid:
            target = attrs.get(b"Target", b"").decode("utf-8", "replace").lstrip("/")
            return target if target.startswith("xl/") else f"xl/{target}"
    raise ExcelError(_("The file has no worksheet"))


def inspect_xlsx(data: bytes, *, max_rows: int | None = None) -> int:
    """Refuse a file that is not a sane .xlsx, cheaply, before it is parsed. Returns the number
    of `<row>` elements of the first sheet (the header and blank rows included)."""
    lim = limits()
    max_rows = lim["max_rows"] if max_rows is None else max_rows
    if not data:
        raise ExcelError(_("The file is empty"))
    if len(data) > lim["max_bytes"]:
        raise ExcelError(
            _("The file is larger than %(mb)s MB; split it into several files") % {"mb": lim["max_bytes"] // 2**20}
        )
    buffer = io.BytesIO(data)
    if not zipfile.is_zipfile(buffer):
        raise ExcelError(_("The file is not a valid Excel (.xlsx) file"))
    try:
        zf = zipfile.ZipFile(buffer)
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ExcelError(_("The file is not a valid Excel (.xlsx) file")) from None
    if len(infos) > 2000 or "[Content_Types].xml" not in {i.filename for i in infos}:
        raise ExcelError(_("The file is not a valid Excel (.xlsx) file"))
    if sum(i.file_size for i in infos) > lim["max_uncompressed"]:
        raise ExcelError(_("The file holds more data than an import may have; split it into several files"))
    sheet = _first_sheet_part(zf)
    rows = 0
    tail = b""
    try:
        with zf.open(sheet) as part:
            head = True
            while chunk := part.read(_CHUNK):
                if head and b"<!DOCTYPE" in chunk[:4096]:
                    raise ExcelError(_("The file is not a valid Excel (.xlsx) file"))
                head = False
                window = tail + chunk
                rows += len(_ROW_TAG.findall(window)) - len(_ROW_TAG.findall(tail))
                tail = window[-64:]
                if rows > max_rows + 1:
                    raise ExcelError(
                        _(
                            "The file has more than %(n)d rows (empty rows count too); "
                            "delete the empty rows or import it in several batches"
                        )
                        % {"n": max_rows}
                    )
    except ExcelError:
        raise
    except KeyError:
        raise ExcelError(_("The file has no worksheet")) from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):  # zlib errors are OSError subclasses
        raise ExcelError(_("The file is not a valid Excel (.xlsx) file")) from None
    return rows


@dataclass
class Sheet:
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (spreadsheet row number, values) of the non-blank data rows
    formula_cells: set[tuple[int, int]] = field(default_factory=set)  # (row, column index) without a value


def _clean(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_sheet(data: bytes, *, max_rows: int | None = None) -> Sheet:
    """The first sheet's header row and non-blank data rows, after `inspect_xlsx`.

    Cells come as stripped strings, dates as dates. A formula whose result was never
    calculated (a file written by a program, not saved by Excel or WPS) is listed in
    `formula_cells` and its value is "".
    """
    inspect_xlsx(data, max_rows=max_rows)
    try:
        values_wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas_wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many types for a damaged file
        raise ExcelError(_("The file is not a valid Excel (.xlsx) file")) from None
    try:
        if not values_wb.worksheets:
            raise ExcelError(_("The file has no worksheet"))
        values = values_wb.worksheets[0].iter_rows(values_only=True)
        formulas = formulas_wb.worksheets[0].iter_rows(values_only=True)
        header = next(values, None)
        next(formulas, None)
        if not header or not any(v not in (None, "") for v in header):
            raise ExcelError(_("The file is empty: row 1 should hold the column headers"))
        sheet = Sheet(headers=[str(h).strip() if h is not None else "" for h in header], rows=[])
        for number, (row, raw) in enumerate(zip(values, formulas, strict=False), start=2):
            row = row or ()
            cells = [_clean(v) for v in row]
            for i, (v, f) in enumerate(zip(row, raw or (), strict=False)):
                if v is None and isinstance(f, str) and f.startswith("="):
                    sheet.formula_cells.add((number, i))
            if all(c == "" for c in cells) and not any(r == number for r, _i in sheet.formula_cells):
                continue
            sheet.rows.append((number, cells))
    except ExcelError:
        raise
    except Exception:
        raise ExcelError(_("The file is not a valid Excel (.xlsx) file")) from None
    finally:
        values_wb.close()
        formulas_wb.close()
    return sheet


# --- writing -------------------------------------------------------------------------------------


def safe_text(value: str) -> tuple[str, bool]:
    """(text, whether it must be stored as quoted text rather than as it would be parsed)."""
    if len(value) > EXCEL_CELL_LIMIT:
        value = value[: EXCEL_CELL_LIMIT - 1] + "…"
    return value, value.startswith(FORMULA_TRIGGERS)


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
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
        _neutralise(cell)
    widths = [max(8, len(str(h)) * 2 + 2) for h in headers]
    for row in rows:
        values = [_cell(v) for v in row]
        ws.append(values)
        for cell in ws[ws.max_row]:
            _neutralise(cell)
        for i, v in enumerate(values[: len(widths)]):
            widths[i] = min(60, max(widths[i], len(str(v)) + 2))
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"


def _neutralise(cell) -> None:
    if isinstance(cell.value, str):
        text, quote = safe_text(cell.value)
        if text != cell.value:
            cell.value = text
        if quote or cell.data_type == "f":
            cell.data_type = "s"
            cell.quotePrefix = True


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


def xlsx_bytes_response(data: bytes, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(data, content_type=XLSX_MIME)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def xlsx_response(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str = "Sheet1"
) -> HttpResponse:
    return xlsx_bytes_response(build_workbook(headers, rows, title=title), filename)


def error_report(errors: Sequence[RowError]) -> bytes:
    return build_workbook(
        [_("Row"), _("Column"), _("Error")],
        [(e.row or "", e.column, e.message) for e in errors],
        title=_("Error report"),
    )

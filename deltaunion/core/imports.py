"""The Excel import framework: an import is declared once, and every app's imports run the same way.

    class WorkerImport(Importer):
        key = "people.workers"
        title = _("Workers")
        columns = [
            Column("name", "姓名", "Name", required=True, max_length=50),
            Column("id_number", "身份证号", "ID number", required=True, max_length=18, parse=parse_id),
            ...
        ]
        sample = {"name": "张三（示例）", ...}
        context_models = {"organisation": Organisation}

        def authorise(self, by): require(by, "people.import_workers", self.context["organisation"])
        def clean_row(self, row): ...            # rules across the columns of one row: row.error(key, msg)
        def clean_all(self, rows): ...           # rules across rows (the same ID number twice, already there)
        def write(self, rows, by) -> dict: ...   # one bulk write; the framework holds the transaction

`run_import(importer, data, by=…)` checks the file (core.excel: size, zip bomb, blank-row bomb),
reads it, parses every cell of every row with its column (required, max length — a value is
never cut —, parser), reports EVERY error of every row (not the first per row), refuses a row
equal to the template's sample, and writes only a clean file, inside one transaction: all rows
or none. `IMPORT_MAX_ROWS` (settings) bounds the rows, blank rows included.

Larger files (more than `IMPORT_BACKGROUND_ROWS` rows) run as a background task
(`start_import`): an `ImportJob` records progress, which the upload page shows as a bar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from deltaunion.core.excel import EXCEL_CELL_LIMIT, ExcelError, RowError, build_workbook_sheets, list_join, read_sheet


@dataclass(frozen=True)
class Column:
    """One column of an import. `header` is the Chinese header of the template; `header_en`
    is accepted too. `parse` turns the cell (a stripped string, or a date) into the value,
    raising ValidationError with a message for the user."""

    key: str
    header: str
    header_en: str = ""
    required: bool = False
    max_length: int | None = None
    parse: Callable[[Any], Any] | None = None
    default: Any = ""
    help: str | Promise = ""

    def headers(self) -> set[str]:
        return {h for h in (self.header, self.header_en) if h}


@dataclass
class Row:
    number: int  # the spreadsheet row as the user sees it (the header is row 1)
    raw: dict[str, Any]  # key → the cell as read
    values: dict[str, Any] = field(default_factory=dict)  # key → parsed value
    errors: list[RowError] = field(default_factory=list)
    importer: Importer | None = None
    is_example: bool = False  # the template's example row, refused as a whole

    def error(self, key: str, message: str | Promise) -> None:
        """Record an error on this row, under the column of `key` (or a header, or "")."""
        header = self.importer.header_of(key) if self.importer else key
        self.errors.append(RowError(self.number, header, str(message)))

    @property
    def ok(self) -> bool:
        return not self.errors

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


def refuse_repeats(
    rows: list[Row],
    *,
    key: Callable[[Row], Hashable | None],
    field: str,
    same_as: str | Promise,
    existing: Callable[[list[Hashable]], set[Hashable]] | None = None,
    already: str | Promise = "",
) -> dict[Hashable, int]:
    """Refuse a file's repeated records and those already stored, for `Importer.clean_all`.

    A row whose `key` repeats an earlier row's gets `same_as` (with `%(row)d`, the earlier
    row); `existing(keys)` returns the keys already stored, and the first row of each gets
    `already`. Rows whose key is None are skipped. Returns each key's first row number."""
    seen: dict[Hashable, int] = {}
    for row in rows:
        k = key(row)
        if k is None:
            continue
        if k in seen:
            row.error(field, str(same_as) % {"row": seen[k]})
        else:
            seen[k] = row.number
    if existing is not None and seen:
        stored = existing(list(seen))
        for row in rows:
            k = key(row)
            if k is not None and k in stored and seen.get(k) == row.number:
                row.error(field, already)
    return seen


def province_and_name(row: Row) -> tuple[str, str] | None:
    """A named place's key in a file (its province's code and its name), for `refuse_repeats`."""
    code = getattr(row.get("province"), "code", None)
    return (code, row["name"]) if code and row.get("name") else None


def stored_province_names(model: type[models.Model]) -> Callable[[list[Hashable]], set[Hashable]]:
    """The `existing` of `refuse_repeats` for a model with `province` and `name`."""

    def stored(keys: list[Hashable]) -> set[Hashable]:
        names = [name for _code, name in keys]
        return set(model.objects.filter(name__in=names).values_list("province_id", "name"))

    return stored


@dataclass
class ImportResult:
    counts: dict[str, int] = field(default_factory=dict)  # e.g. {"created": 12}
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def created(self) -> int:
        return self.counts.get("created", 0)


class Importer:
    key: ClassVar[str] = ""
    title: ClassVar[str | Promise] = ""
    columns: ClassVar[Sequence[Column]] = ()
    sample: ClassVar[dict[str, Any]] = {}
    # name → model of the objects an import runs in (for the background task, which gets their ids).
    context_models: ClassVar[dict[str, type[models.Model]]] = {}
    unknown_columns_allowed: ClassVar[bool] = False
    # True: `clean_row` runs on a row whose cells had errors too (their values are missing from
    # `row.values`: use `row.get`), so that every error of a row is reported at once.
    clean_rows_with_cell_errors: ClassVar[bool] = False

    def __init__(self, **context: Any):
        self.context = context
        self.warnings: list[RowError] = []

    # --- declared per import ------------------------------------------------------------------

    def authorise(self, by: Any) -> None:
        """Raise Http404 / Forbidden unless `by` may run this import in this context."""
        raise NotImplementedError

    def check_context(self) -> str | None:
        """A message when the import cannot run now at all (e.g. registration closed)."""
        return None

    def clean_row(self, row: Row) -> None:
        """Rules across the columns of one row (after each column parsed)."""

    def clean_all(self, rows: list[Row]) -> None:
        """Rules across rows (duplicates in the file, objects that already exist). Every row is
        passed, so that every error is reported at once: a value that did not parse is missing
        from `row.values` (use `row.get`)."""

    def write(self, rows: list[Row], by: Any) -> dict[str, int]:
        raise NotImplementedError

    # --- the framework --------------------------------------------------------------------------

    def header_of(self, key: str) -> str:
        for c in self.columns:
            if c.key == key:
                return c.header
        return key

    def template(self) -> bytes:
        """The downloadable template: the empty data sheet, then a sheet explaining each column
        with the sample row (never on the data sheet, so it is never imported)."""
        headers = [c.header for c in self.columns]
        guide = [
            [
                c.header,
                _("Required") if c.required else _("Optional"),
                c.max_length or "",
                str(c.help),
                self.sample.get(c.key, ""),
            ]
            for c in self.columns
        ]
        return build_workbook_sheets(
            [
                (str(self.title) or _("Data"), headers, []),
                (
                    _("How to fill it in"),
                    [_("Column"), _("Required?"), _("Max. characters"), _("What to write"), _("Example")],
                    guide,
                ),
            ]
        )

    def context_ids(self) -> dict[str, Any]:
        return {name: getattr(self.context[name], "pk", self.context[name]) for name in self.context}

    @classmethod
    def from_ids(cls, ids: dict[str, Any]) -> Importer:
        context = {}
        for name, value in ids.items():
            model = cls.context_models.get(name)
            context[name] = model._default_manager.get(pk=value) if model is not None else value
        return cls(**context)

    def _map_headers(self, headers: list[str]) -> tuple[dict[int, Column], list[RowError]]:
        by_header = {h: c for c in self.columns for h in c.headers()}
        mapping: dict[int, Column] = {}
        errors: list[RowError] = []
        unknown = []
        for i, h in enumerate(headers):
            if not h:
                continue
            col = by_header.get(h)
            if col is None:
                unknown.append(h)
            elif col in mapping.values():
                errors.append(RowError(1, h, _("The column appears twice")))
            else:
                mapping[i] = col
        present = set(mapping.values())
        missing = [c.header for c in self.columns if c.required and c not in present]
        if missing:
            errors.append(
                RowError(
                    0,
                    "",
                    _("Required columns are missing: %(cols)s. The columns are: %(all)s")
                    % {"cols": list_join(missing), "all": list_join(c.header for c in self.columns)},
                )
            )
        if unknown and not self.unknown_columns_allowed:
            errors.append(RowError(0, "", _("Unrecognised columns: %(cols)s") % {"cols": list_join(unknown)}))
        return mapping, errors

    def parse(
        self, sheet_rows: Iterable[tuple[int, list[Any]]], mapping: dict[int, Column], formula_cells
    ) -> list[Row]:
        rows = []
        sample = {k: str(v).strip() for k, v in self.sample.items()}
        for number, cells in sheet_rows:
            row = Row(number=number, raw={}, importer=self)
            for i, col in mapping.items():
                value = cells[i] if i < len(cells) else ""
                row.raw[col.key] = value
            for i, col in mapping.items():
                if (number, i) in formula_cells:
                    row.error(
                        col.key, _("This cell holds a formula without a calculated value: type the value instead")
                    )
                    continue
                self._parse_cell(row, col, row.raw[col.key])
            for col in self.columns:
                if col not in mapping.values():
                    row.values.setdefault(col.key, col.default)
            if sample and all(str(row.raw.get(k, "")).strip() == v for k, v in sample.items()):
                row.errors = [
                    RowError(number, "", _("This is the template's example row: delete it and enter your own data"))
                ]
                row.is_example = True
            rows.append(row)
        return rows

    def _parse_cell(self, row: Row, col: Column, value: Any) -> None:
        text = value if isinstance(value, dt.date) else str(value)
        if text == "":
            if col.required:
                row.error(col.key, _("“%(column)s” must be filled in") % {"column": col.header})
            else:
                row.values[col.key] = col.default
            return
        if isinstance(text, str):
            limit = min(col.max_length or EXCEL_CELL_LIMIT, EXCEL_CELL_LIMIT)
            if len(text) > limit:
                row.error(
                    col.key,
                    _("At most %(max)d characters (this one has %(n)d)") % {"max": limit, "n": len(text)},
                )
                return
            if "\x00" in text:
                row.error(col.key, _("The cell holds a character that cannot be stored"))
                return
        if col.parse is None:
            row.values[col.key] = text
            return
        try:
            row.values[col.key] = col.parse(value)
        except ValidationError as exc:
            for message in exc.messages:
                row.error(col.key, message)


def run_import(
    importer: Importer,
    data: bytes,
    *,
    by: Any,
    progress: Callable[[int, int], None] | None = None,
    check_permission: bool = True,
) -> ImportResult:
    """Check, read, validate every row and — only if no row has an error — write all of them."""
    if check_permission:
        importer.authorise(by)
    result = ImportResult()
    problem = importer.check_context()
    if problem:
        result.errors.append(RowError(0, "", str(problem)))
        return result
    max_rows = int(settings.DELTAUNION.get("IMPORT_MAX_ROWS", 20000))
    try:
        sheet = read_sheet(data, max_rows=max_rows)
    except ExcelError as exc:
        result.errors.append(RowError(0, "", str(exc)))
        return result
    mapping, header_errors = importer._map_headers(sheet.headers)
    if header_errors:
        result.errors.extend(header_errors)
        return result
    if not sheet.rows:
        result.errors.append(RowError(0, "", _("The file has no data rows")))
        return result
    rows = importer.parse(sheet.rows, mapping, sheet.formula_cells)
    result.rows = len(rows)
    total = len(rows)
    for i, row in enumerate(rows, start=1):
        if row.ok or (importer.clean_rows_with_cell_errors and not row.is_example):
            importer.clean_row(row)
        if progress is not None and (i % 500 == 0 or i == total):
            progress(i, total * 2)
    importer.clean_all(rows)
    for row in rows:
        result.errors.extend(row.errors)
    result.warnings = list(importer.warnings)
    if result.errors:
        result.errors.sort(key=lambda e: (e.row, e.column))
        return result
    try:
        with transaction.atomic():
            result.counts = dict(importer.write(rows, by))
    except ValidationError as exc:  # a rule that only the write can check (a quota filled meanwhile)
        result.errors.extend(RowError(0, "", m) for m in exc.messages)
        return result
    if progress is not None:
        progress(total * 2, total * 2)
    return result


# --- the import registry and background jobs --------------------------------------------------------

_IMPORTERS: dict[str, type[Importer]] = {}


def register(cls: type[Importer]) -> type[Importer]:
    """Class decorator: make an importer known by its key (for background jobs)."""
    if not cls.key:
        raise ValueError(f"{cls.__name__} has no key")
    _IMPORTERS[cls.key] = cls
    return cls


def importer_class(key: str) -> type[Importer]:
    return _IMPORTERS[key]


def importers() -> dict[str, type[Importer]]:
    return dict(_IMPORTERS)


def background_threshold() -> int:
    return int(settings.DELTAUNION.get("IMPORT_BACKGROUND_ROWS", 3000))


RESULT_LABELS: dict[str, Promise] = {
    "created": gettext_lazy("created"),
    "updated": gettext_lazy("updated"),
}


def start_import(importer: Importer, data: bytes, *, by: Any, filename: str = "") -> Any:
    """Queue a large import as a background task; the caller shows the job's progress page.

    Permission is checked now (and again by the task, as the same user)."""
    from deltaunion.core.models import ImportJob

    importer.authorise(by)
    job = ImportJob.objects.create(
        key=importer.key, context=importer.context_ids(), user=by, filename=filename[:255], data=data
    )
    transaction.on_commit(lambda: run_import_job.enqueue(str(job.pk)))
    return job


@task()
def run_import_job(job_id: str) -> None:
    """The background import (django-tasks; `manage.py db_worker` runs it)."""
    from django.utils import timezone

    from deltaunion.core.models import ImportJob

    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.status != ImportJob.Status.QUEUED:
        return
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(done=done, total=total)

    try:
        importer = importer_class(job.key).from_ids(job.context)
        result = run_import(importer, bytes(job.data or b""), by=job.user, progress=progress)
    except Exception as exc:  # the job must end, whatever happened; the log has the traceback
        import logging

        logging.getLogger(__name__).exception("import job %s failed", job.pk)
        result = ImportResult(errors=[RowError(0, "", _("The import stopped because of an error: %(e)s") % {"e": exc})])
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE if result.ok else ImportJob.Status.FAILED,
        counts=result.counts,
        errors=[[e.row, e.column, e.message] for e in result.errors],
        done=models.F("total"),
        data=None,
        finished_at=timezone.now(),
    )

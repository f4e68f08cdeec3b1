"""Test helpers of the kernel (generic: no domain app is imported here).

The 404 matrix. Every route of the URL conf that takes an object (a path parameter) is
requested, for a private object, by people who must not see it (an officer of another city,
a worker, a judge, anonymous); each must get the same answer as for an object that does not
exist: 404, or a refusal that comes before any lookup (a login redirect, 401, or a 405/422
that the missing object gets too). The object's owner must *not* get a 404 on a GET route, so
a builder that points at the wrong object fails.

Each app declares its objects in `<app>/tests/matrix.py`:

    def build(world) -> dict[str, Obj]:      # one entry per path parameter name of its routes
        contest = make_draft_contest(world)
        return {"contest_id": Obj(contest.pk, owner=world.hz_officer), ...}

    PUBLIC = {"orgs:detail": "the organisation tree is public"}   # routes outsiders may read
    ROUTES = {"practice:board": lambda objs, world: {...}}         # kwargs for odd routes

The project test (`tests/test_404_matrix.py`) walks the URL conf and fails on a route whose
parameters no app's `build` provides: a forgotten route fails the suite.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.module_loading import module_has_submodule

from deltaunion.core.registry import domain_apps

MISSING_ID = 987654321


@dataclass(frozen=True)
class Route:
    name: str  # "contests:stage" or "api:get_contest"
    pattern: str  # "contests/stages/<int:stage_id>/"
    params: tuple[str, ...]
    app: str  # the app label that owns it

    def path(self, kwargs: dict[str, Any]) -> str:
        out = "/" + self.pattern
        for name in self.params:
            for conv in ("int:", "str:", "slug:", "path:", "uuid:", ""):
                out = out.replace(f"<{conv}{name}>", str(kwargs[name]))
        return out


@dataclass(frozen=True)
class Obj:
    """A value for a path parameter and the user who may see the object (None: nobody logs in)."""

    value: Any
    owner: Any = None


@dataclass
class AppMatrix:
    label: str
    build: Callable[[Any], dict[str, Obj]]
    public: dict[str, str] = field(default_factory=dict)
    routes: dict[str, Callable[[dict[str, Obj], Any], dict[str, Any]]] = field(default_factory=dict)
    exempt: dict[str, str] = field(default_factory=dict)


def _walk(patterns: Iterable[Any], prefix: str = "", ns: str = "") -> Iterator[tuple[str, str, tuple[str, ...]]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = ns if not p.namespace else (f"{ns}:{p.namespace}" if ns else p.namespace)
            yield from _walk(p.url_patterns, prefix + str(p.pattern), inner)
        elif isinstance(p, URLPattern):
            name = f"{ns}:{p.name}" if ns else (p.name or "")
            yield prefix + str(p.pattern), name, tuple(p.pattern.converters)


def object_routes() -> list[Route]:
    """Every route with a path parameter, outside the Django admin, with its owning app."""
    apps = domain_apps()
    by_namespace: dict[str, str] = {}
    api_prefixes: list[tuple[str, str]] = []
    for app in apps:
        for _prefix, module in app.urls:
            ns = getattr(importlib.import_module(module), "app_name", None)
            if ns:
                by_namespace[ns] = app.label
        for prefix, _spec in app.api:
            api_prefixes.append(("api" + prefix.rstrip("/") + "/", app.label))
    api_prefixes.sort(key=lambda pa: -len(pa[0]))
    seen: set[tuple[str, str]] = set()
    out = []
    for pattern, name, params in _walk(get_resolver().url_patterns):
        if not params or pattern.startswith("admin/") or (pattern, name) in seen:
            continue
        seen.add((pattern, name))
        if pattern.startswith("api/"):
            app = next((label for prefix, label in api_prefixes if pattern.startswith(prefix)), "")
        else:
            app = by_namespace.get(name.split(":", 1)[0], "")
        out.append(Route(name=name, pattern=pattern, params=params, app=app))
    return out


def app_matrices() -> dict[str, AppMatrix]:
    out = {}
    for app in domain_apps():
        if not module_has_submodule(app.module, "tests"):
            continue
        tests = importlib.import_module(f"{app.name}.tests")
        if not module_has_submodule(tests, "matrix"):
            continue
        mod = importlib.import_module(f"{app.name}.tests.matrix")
        out[app.label] = AppMatrix(
            label=app.label,
            build=mod.build,
            public=getattr(mod, "PUBLIC", {}),
            routes=getattr(mod, "ROUTES", {}),
            exempt=getattr(mod, "EXEMPT", {}),
        )
    return out


def route_kwargs(route: Route, objs: dict[str, Obj], matrix: AppMatrix, world: Any) -> tuple[dict[str, Any], Any]:
    """The route's kwargs and the owner of its most specific object (its last parameter)."""
    if route.name in matrix.routes:
        kwargs = matrix.routes[route.name](objs, world)
        owner = next((objs[p].owner for p in reversed(route.params) if p in objs), None)
        return kwargs, owner
    missing = [p for p in route.params if p not in objs]
    if missing:
        raise LookupError(
            f"route {route.name} ({route.pattern}): {route.app or 'no app'}/tests/matrix.py builds no object for "
            f"{', '.join(missing)}"
        )
    return {p: objs[p].value for p in route.params}, objs[route.params[-1]].owner


def missing_kwargs(route: Route, kwargs: dict[str, Any]) -> dict[str, Any]:
    """The same kwargs with every id replaced by one that does not exist."""
    import uuid

    out = {}
    for k, v in kwargs.items():
        if isinstance(v, int):
            out[k] = MISSING_ID
        elif isinstance(v, uuid.UUID):
            out[k] = uuid.uuid4()
        else:
            out[k] = f"{v}x" if k in {"code", "key"} else v
    return out


NOT_REVEALING = {400, 405, 422}


def request(client: Any, route: Route, kwargs: dict[str, Any]) -> Any:
    """GET the route; a route that refuses GET (405) is POSTed (JSON for the API)."""
    url = route.path(kwargs)
    response = client.get(url)
    if response.status_code == 405:
        if route.pattern.startswith("api/"):
            response = client.post(url, data="{}", content_type="application/json")
            if response.status_code == 405:
                response = client.delete(url)
        else:
            response = client.post(url, {})
    return response


def refusal_ok(route: Route, response: Any, missing_response: Any, *, anonymous: bool) -> bool:
    status = response.status_code
    if status == 404:
        return True
    if anonymous and (status == 401 or (status == 302 and "login" in response.get("Location", ""))):
        return True
    return status in NOT_REVEALING and status == missing_response.status_code


# --- spreadsheets ---------------------------------------------------------------------------------


def make_xlsx(rows: Iterable[Any], headers: Iterable[str] | None = None) -> bytes:
    """An .xlsx with a header row: rows are dicts (keyed by header) or sequences."""
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    headers = list(headers) if headers is not None else None
    if headers is not None:
        ws.append(headers)
    for row in rows:
        ws.append([row.get(h, "") for h in headers] if isinstance(row, dict) and headers else list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def read_xlsx(data: bytes, sheet: int = 0) -> list[list[Any]]:
    """Every row of one sheet as lists of cell values."""
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True)
    rows = [list(r) for r in wb.worksheets[sheet].iter_rows(values_only=True)]
    wb.close()
    return rows


def without_csrf(content: bytes) -> bytes:
    """A page with its CSRF tokens blanked (they are masked afresh on every render)."""
    import re

    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b'name="csrfmiddlewaretoken" value=""', content)
    return re.sub(rb'"X-CSRFToken": "[^"]+"', b'"X-CSRFToken": ""', content)


def wsgi_call(app: Any, method: str, path: str, body: bytes = b"", **environ: Any) -> tuple[str, list, bytes]:
    """(status, headers, content) of one request to the WSGI callable `app` (Django's handler,
    config.wsgi's application), made as a server makes it: the body read and the response closed
    (which sends request_finished). `environ` adds or overrides keys (HTTP_HOST, HTTP_COOKIE, …);
    a body gets its CONTENT_LENGTH, none sends no length, as a bodiless POST may."""
    import io
    import sys

    full = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        **({"CONTENT_LENGTH": str(len(body))} if body else {}),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
        **environ,
    }
    seen: list = []
    result = app(full, lambda status, headers, exc_info=None: seen.append((status, headers)))
    try:
        content = b"".join(result)
    finally:
        result.close()
    [(status, headers)] = seen
    return status, headers, content


# --- hostile spreadsheets (tests and benchmarks/hostile_files.py) ---------------------------------------

_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    b'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    b'<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    b'Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<sheetData>"
)
_SHEET_TAIL = b"</sheetData></worksheet>"


def _inline_row(number: int, values: list[str]) -> bytes:
    from xml.sax.saxutils import escape

    cells = b"".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'.encode()
        for i, v in enumerate(values)
    )
    return f'<row r="{number}">'.encode() + cells + b"</row>"


def raw_xlsx(sheet_chunks: Iterable[bytes]) -> bytes:
    """A minimal .xlsx whose first sheet's XML is streamed from `sheet_chunks` (compressed as it goes)."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(_SHEET_HEAD)
            for chunk in sheet_chunks:
                part.write(chunk)
            part.write(_SHEET_TAIL)
    return buf.getvalue()


def zip_bomb(headers: list[str], megabytes: int = 200) -> bytes:
    """A small file whose sheet inflates to `megabytes` MB (of whitespace after the header row)."""
    block = b" " * (1 << 20)
    return raw_xlsx([_inline_row(1, headers), *(block for _ in range(megabytes))])


def blank_row_bomb(headers: list[str], rows: int = 2_000_000) -> bytes:
    """A header row, then `rows` empty `<row>` elements (Excel shows nothing, a parser walks them all)."""

    def chunks() -> Iterator[bytes]:
        yield _inline_row(1, headers)
        batch = 100_000
        for start in range(2, rows + 2, batch):
            yield b"".join(b'<row r="%d"/>' % n for n in range(start, min(start + batch, rows + 2)))

    return raw_xlsx(chunks())


def giant_cell(headers: list[str], chars: int = 5_000_000) -> bytes:
    """One data row whose first cell holds `chars` characters."""
    return raw_xlsx([_inline_row(1, headers), _inline_row(2, ["甲" * chars, *["x"] * (len(headers) - 1)])])


def formula_without_value(headers: list[str], values: list[str], formula_column: int = 0) -> bytes:
    """One data row whose cell `formula_column` is a formula that no spreadsheet program calculated."""
    from xml.sax.saxutils import escape

    cells = []
    for i, v in enumerate(values):
        ref = f"{chr(65 + i)}2"
        if i == formula_column:
            cells.append(f'<c r="{ref}"><f>{escape(v)}</f></c>'.encode())
        else:
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'.encode())
    return raw_xlsx([_inline_row(1, headers), b'<row r="2">' + b"".join(cells) + b"</row>"])


def not_xlsx() -> dict[str, bytes]:
    """Files that are not .xlsx but may be named so."""
    return {
        "csv": "姓名，身份证号\n张三，110101199003070011\n".encode(),
        "xls": bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504,
        "zip": raw_zip({"readme.txt": b"hello"}),
        "html": b"<html><body><table><tr><td>1</td></tr></table></body></html>",
        "empty": b"",
    }


def raw_zip(files: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()

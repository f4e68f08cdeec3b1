"""The kernel imports no domain app: `deltaunion/core` (its tests aside) stands on its own."""

from __future__ import annotations

import ast
from pathlib import Path

import deltaunion

ROOT = Path(deltaunion.__file__).parent
CORE = ROOT / "core"
DOMAIN = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists() and p.name != "core"}
IMPORTERS = {"import_module", "import_string"}


def _domain(module: str) -> bool:
    parts = module.split(".")
    return len(parts) > 1 and parts[0] == "deltaunion" and parts[1] in DOMAIN


def _imported(node: ast.AST) -> list[str]:
    """The modules a node imports: import statements, and import_module/import_string of a literal."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        return [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
    if (
        isinstance(node, ast.Call)
        and getattr(node.func, "attr", getattr(node.func, "id", None)) in IMPORTERS
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ):
        return [node.args[0].value.replace(":", ".")]
    return []


def violations(source: str, where: str) -> list[str]:
    return [
        f"{where}:{node.lineno} imports {name}"
        for node in ast.walk(ast.parse(source))
        for name in _imported(node)
        if _domain(name)
    ]


def _core_files() -> list[Path]:
    return [p for p in CORE.rglob("*.py") if "tests" not in p.relative_to(CORE).parts]


def test_there_are_domain_apps_and_core_files_to_check():
    assert {"orgs", "people", "accounts", "workplans"} <= DOMAIN
    assert len(_core_files()) > 10


def test_core_imports_no_domain_app():
    problems = [
        v for path in _core_files() for v in violations(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    ]
    assert not problems, "core must not import domain apps:\n" + "\n".join(problems)


def test_the_check_catches_every_form_of_import():
    source = (
        "import deltaunion.people.models\n"
        "from deltaunion.orgs import scoping\n"
        "from deltaunion.core import audit\n"
        "from . import local\n"
        "import_module('deltaunion.contests.urls')\n"
        "importlib.import_module('deltaunion.workplans.demo')\n"
        "import_string('deltaunion.accounts.demo:load')\n"
        "def f():\n"
        "    from deltaunion.people.services import worker_update\n"
    )
    assert [v.split(" imports ")[1] for v in violations(source, "x.py")] == [
        "deltaunion.people.models",
        "deltaunion.orgs",
        "deltaunion.orgs.scoping",
        "deltaunion.contests.urls",
        "deltaunion.workplans.demo",
        "deltaunion.accounts.demo.load",
        "deltaunion.people.services",
        "deltaunion.people.services.worker_update",
    ]

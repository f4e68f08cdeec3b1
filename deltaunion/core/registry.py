"""The app registry: what each domain app brings to the platform, declared on its AppConfig.

    class ContestsConfig(DomainApp):
        name = "deltaunion.contests"
        urls = [("contests/", "deltaunion.contests.urls")]
        api = [("/contests", "deltaunion.contests.api:router")]
        nav = [NavItem(_("Contests"), "contests:list", order=30)]
        demo = "deltaunion.contests.demo:load"
        demo_after = ["workplans", "people", "accounts"]
        audit_actions = {"contest.create": _("created the contest"), ...}

`config/urls.py` mounts every app's pages and API routers from here, `base.html` draws the
navigation from `nav_items(user)`, and `load_demo` runs the demo loaders in dependency order.
Each app's `permissions.py` is imported when the app is ready, so its permissions exist
before any request. Adding an app is creating its package and listing it in INSTALLED_APPS.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import AppConfig, apps
from django.utils.functional import Promise
from django.utils.module_loading import import_string, module_has_submodule

from deltaunion.core import permissions
from deltaunion.core.actions import register_actions


@dataclass(frozen=True)
class NavItem:
    """One link of the navigation. `permission` (tested with no object) decides who sees it;
    None shows it to everyone. `section` "main" is the top bar, "user" the signed-in user's menu."""

    label: str | Promise
    url_name: str
    permission: str | None = None
    order: int = 50
    section: str = "main"
    # URL names (or prefixes ending in ":") under which this item is the current page.
    active: Sequence[str] = field(default=())
    # "module:function" — count(user) -> int shown beside the label (e.g. unread messages); 0 hides it.
    count: str | None = None


@dataclass(frozen=True)
class Evidence:
    """What an app knows about a key task's fulfilment (see `DomainApp.key_task_evidence`):
    e.g. "24 of 30 visit routes published" (done=24, target=30) or "contest held" (done=1,
    target=None, complete=True)."""

    label: str | Promise
    done: Any = 0
    target: Any = None
    complete: bool = False
    url: str = ""


@dataclass(frozen=True)
class MeSection:
    """A part of the worker's own space (我的): e.g. "My trips", with the page that lists them
    and a function `count(user) -> int` (how many items need the worker's attention, or 0)."""

    label: str | Promise
    url_name: str
    count: str | None = None  # "module:function"
    order: int = 50


@dataclass
class DemoContext:
    """Shared by the demo loaders of one `load_demo` run."""

    values: dict[str, Any] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)


class DomainApp(AppConfig):
    """Base AppConfig of every deltaunion app."""

    # Django picks the one AppConfig of an apps.py whose `default` is true: not this base,
    # which every apps.py imports, but each subclass.
    default = False
    default_auto_field = "django.db.models.BigAutoField"
    urls: Sequence[tuple[str, str]] = ()
    api: Sequence[tuple[str, str]] = ()
    nav: Sequence[NavItem] = ()
    demo: str | None = None
    demo_after: Sequence[str] = ()
    audit_actions: dict[str, str | Promise] = {}
    # "module:function" taking a workplans KeyTask and returning a list of Evidence: how this
    # app's records fulfil it (contests held, routes published, workers sent…).
    key_task_evidence: str | None = None
    # The app's parts of the worker's own space (我的), drawn by the `me` app.
    me_sections: Sequence[MeSection] = ()
    # "module:function" taking a user and returning their organisation scope (what they may
    # see): the organisations app declares it; `core.viewer` caches its answer per viewer.
    viewer_scope: str | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "default" not in cls.__dict__:
            cls.default = True

    def ready(self) -> None:
        register_actions(self.audit_actions)
        if module_has_submodule(self.module, "permissions"):
            importlib.import_module(f"{self.name}.permissions")


def domain_apps() -> list[DomainApp]:
    return [a for a in apps.get_app_configs() if isinstance(a, DomainApp)]


def viewer_scope_function() -> Any:
    """The viewer-scope function an app declares (`DomainApp.viewer_scope`), or None."""
    specs = [a.viewer_scope for a in domain_apps() if a.viewer_scope]
    return _load(specs[0]) if specs else None


def _load(spec: str) -> Any:
    module, _sep, attr = spec.partition(":")
    return getattr(importlib.import_module(module), attr) if attr else importlib.import_module(module)


def url_includes() -> list[tuple[str, Any]]:
    """(prefix, urlconf module) of every app, in INSTALLED_APPS order; "" prefixes last so
    they do not shadow the others."""
    out = [(prefix, module) for app in domain_apps() for prefix, module in app.urls]
    return sorted(out, key=lambda pm: pm[0] == "")


def api_routers() -> list[tuple[str, Any]]:
    return [(prefix, _load(spec)) for app in domain_apps() for prefix, spec in app.api]


def nav_items(user: Any, section: str = "main") -> list[NavItem]:
    items = [item for app in domain_apps() for item in app.nav if item.section == section]
    return sorted(
        (i for i in items if i.permission is None or permissions.can(user, i.permission)),
        key=lambda i: (i.order, str(i.label)),
    )


def demo_loaders() -> list[tuple[str, Callable[[DemoContext], Any]]]:
    """The registered demo loaders, each after the apps it names in `demo_after`."""
    by_label = {a.label: a for a in domain_apps() if a.demo}
    done: list[str] = []
    visiting: set[str] = set()

    def visit(label: str) -> None:
        if label in done or label not in by_label:
            return
        if label in visiting:
            raise ValueError(f"demo loaders depend on each other in a cycle through {label}")
        visiting.add(label)
        for dep in by_label[label].demo_after:
            visit(dep)
        visiting.discard(label)
        done.append(label)

    for label in by_label:
        visit(label)
    return [(label, import_string(by_label[label].demo.replace(":", "."))) for label in done]


def key_task_evidence(task: Any) -> list[Evidence]:
    """Every app's evidence about one key task."""
    out: list[Evidence] = []
    for app in domain_apps():
        if app.key_task_evidence:
            out.extend(_load(app.key_task_evidence)(task))
    return out


def key_task_evidence_of(tasks: Iterable[Any]) -> dict[int, list[Evidence]]:
    """`key_task_evidence` of many tasks (task pk → its evidence, in the same order). An app's
    function with a `many` attribute (tasks → {pk: evidence}) reads all the tasks at once, so a
    year's report does not query per task; the others are asked task by task."""
    tasks = [t for t in tasks if getattr(t, "pk", None)]
    out: dict[int, list[Evidence]] = {t.pk: [] for t in tasks}
    for app in domain_apps():
        if not app.key_task_evidence:
            continue
        one = _load(app.key_task_evidence)
        many = getattr(one, "many", None)
        found = many(tasks) if many else {t.pk: one(t) for t in tasks}
        for t in tasks:
            out[t.pk].extend(found.get(t.pk, []))
    return out


def me_sections() -> list[MeSection]:
    return sorted((m for app in domain_apps() for m in app.me_sections), key=lambda m: (m.order, str(m.label)))


def me_count(section: MeSection, user: Any) -> int:
    return int(_load(section.count)(user)) if section.count else 0


def nav_count(item: NavItem, user: Any) -> int:
    return int(_load(item.count)(user)) if item.count and getattr(user, "is_authenticated", False) else 0

"""Load the demo data the labour-relations demo depends on, then its own (not the whole demo)."""

from __future__ import annotations

from django.utils.module_loading import import_string

from deltaunion.core.registry import DemoContext, domain_apps

ORDER = ("orgs", "workplans", "people", "accounts", "relations")


def load_relations_demo() -> DemoContext:
    ctx = DemoContext()
    apps = {a.label: a for a in domain_apps() if a.demo}
    for label in ORDER:
        if label in apps:
            import_string(apps[label].demo.replace(":", "."))(ctx)
    return ctx

"""The app registry: navigation by permission, demo loaders in dependency order, URLs and permissions of every app."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from deltaunion.core import permissions
from deltaunion.core.registry import DomainApp, demo_loaders, domain_apps, nav_items, url_includes

OFFICER_ITEMS = {"people:list", "accounts:tokens"}


def _urls(user) -> set[str]:
    return {i.url_name for section in ("main", "user") for i in nav_items(user, section)}


def test_an_officer_sees_the_officers_items(users):
    assert OFFICER_ITEMS <= _urls(users.hz_officer)
    assert OFFICER_ITEMS <= _urls(users.superuser)


@pytest.mark.parametrize("who", ["worker", "nobody", "zj_judge", "anonymous"])
def test_a_worker_and_the_others_see_no_officers_item(users, who):
    user = AnonymousUser() if who == "anonymous" else getattr(users, who)
    urls = _urls(user)
    assert not urls & OFFICER_ITEMS
    assert "orgs:tree" in urls  # the public items stay


def test_nav_is_ordered_and_sectioned(users):
    main = nav_items(users.hz_officer, "main")
    assert [i.order for i in main] == sorted(i.order for i in main)
    assert all(i.section == "main" for i in main)
    user_menu = nav_items(users.hz_officer, "user")
    assert "accounts:tokens" in [i.url_name for i in user_menu]
    assert all(i.section == "user" for i in user_menu)


def test_demo_loaders_run_after_what_they_name():
    order = [label for label, _load in demo_loaders()]
    assert len(order) == len(set(order))
    assert {"orgs", "people", "accounts", "workplans"} <= set(order)
    for app in domain_apps():
        if app.label not in order:
            continue
        for dep in app.demo_after:
            if dep in order:
                assert order.index(dep) < order.index(app.label), f"{app.label} runs before {dep}"
    assert all(callable(load) for _label, load in demo_loaders())


def test_demo_loaders_refuse_a_cycle(monkeypatch):
    monkeypatch.setattr(apps.get_app_config("orgs"), "demo_after", ["accounts"])
    with pytest.raises(ValueError, match="cycle"):
        demo_loaders()


def test_every_app_brings_its_urls_and_its_permissions():
    includes = url_includes()
    assert [prefix for prefix, _m in includes if prefix == ""] == [p for p, _m in includes[-2:] if p == ""]
    assert {"orgs/", "people/", "accounts/"} <= {prefix for prefix, _m in includes}
    for name in (
        "orgs.update_organisation",
        "people.see_personal_data",
        "accounts.use_api_tokens",
        "workplans.manage_task",
    ):
        assert permissions.defined(name), name
    assert all(isinstance(a, DomainApp) for a in domain_apps())

"""Permissions (`core.permissions`): declared once, refused with their message, unknown names are errors."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.template import Context, Template

from deltaunion.core import permissions
from deltaunion.core.permissions import Forbidden, always_allow, can, define, forget, memo, refusal, require
from deltaunion.workplans.tests.factories import KeyTaskFactory


def test_require_raises_forbidden_with_the_declared_message(tree, users, english):
    task = KeyTaskFactory(lead_org=tree.hz)
    require(users.hz_officer, "workplans.manage_task", task)  # allowed: nothing happens
    with pytest.raises(Forbidden) as exc:
        require(users.sz_officer, "workplans.manage_task", task)
    assert isinstance(exc.value, PermissionDenied)  # answered 403
    assert str(exc.value) == refusal("workplans.manage_task")
    assert str(exc.value).startswith("Only the lead organisation")


def test_the_message_is_in_the_users_language(tree, users):
    task = KeyTaskFactory(lead_org=tree.hz)
    with pytest.raises(Forbidden) as exc:
        require(users.sz_officer, "workplans.manage_task", task)
    assert "牵头单位" in str(exc.value)


def test_an_undeclared_permission_is_an_error(users):
    with pytest.raises(KeyError):
        can(users.hz_officer, "people.no_such_thing")
    with pytest.raises(KeyError):
        require(users.hz_officer, "no_app.no_verb")
    assert not permissions.defined("people.no_such_thing")


def test_a_permission_is_declared_once():
    with pytest.raises(KeyError, match="twice"):
        define("people.see_personal_data", always_allow)
    assert permissions.refusal("people.see_personal_data") != permissions.refusal("no.such")


def test_every_declared_name_has_its_apps_label():
    labels = {name.split(".", 1)[0] for name in permissions.names()}
    assert {"orgs", "people", "accounts", "workplans"} <= labels
    assert all("." in name for name in permissions.names())


def test_anonymous_and_none_are_refused(tree, users):
    from django.contrib.auth.models import AnonymousUser

    for user in (AnonymousUser(), None):
        assert not can(user, "people.view_worker_list")
        assert not can(user, "orgs.update_organisation", tree.hz)
        with pytest.raises(Forbidden):
            require(user, "accounts.use_api_tokens")


def test_the_template_tag_asks_the_same_rule(rf, tree, users):
    template = Template('{% load du %}{% can "orgs.update_organisation" org as ok %}{{ ok|yesno:"y,n" }}')
    for user, expected in [(users.hz_officer, "y"), (users.sz_officer, "n"), (users.worker, "n")]:
        request = rf.get("/")
        request.user = user
        assert template.render(Context({"request": request, "org": tree.hz})) == expected


def test_memo_keeps_a_value_for_the_users_request_until_forgotten(users):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    user = users.hz_officer
    assert memo(user, "kernel.test", compute) == 1
    assert memo(user, "kernel.test", compute) == 1
    forget(user)
    assert memo(user, "kernel.test", compute) == 2
    assert memo(None, "kernel.test", compute) == 3  # no user: nothing to keep it on

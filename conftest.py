"""Shared fixtures: a small organisation tree with its people, and test-wide settings.

The tree (built through the real services, so paths are right):

    中华全国总工会
    ├── 浙江省总工会 (admin: zj_admin)
    │   └── 杭州市总工会 (officer: hz_officer)
    │       └── 杭州测试机械有限公司工会 (grassroots: hz_worker_a, hz_worker_b, worker_self)
    └── 江苏省总工会
        └── 苏州市总工会 (officer: sz_officer)
            └── 苏州测试电梯有限公司工会 (grassroots: sz_worker)

plus a superuser, a judge of Zhejiang, a worker with a login (worker_self) and `nobody`: a
signed-in user with no role at all, who must see nothing that is not public.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from deltaunion.accounts.tests.factories import SuperuserFactory, UserFactory
from deltaunion.core.i18n import compile_all
from deltaunion.core.idnumber import make_id_number
from deltaunion.orgs.models import Organisation, Region, Role
from deltaunion.orgs.services import org_role_grant, organisation_create
from deltaunion.people.models import Ownership
from deltaunion.people.tests.factories import EmployerFactory, WorkerFactory

K = Organisation.Kind

# No example database in the working tree; no per-example deadline (a loaded CI machine is slow).
hypothesis_settings.register_profile("deltaunion", database=None, deadline=None)
hypothesis_settings.load_profile("deltaunion")


def pytest_configure(config):
    # WhiteNoise warns for every new handler that `collectstatic` has not been run; tests serve
    # static files through the finders and do not need it.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


@pytest.fixture(scope="session", autouse=True)
def _test_settings():
    """Fast password hashing (load_demo hashes eight passwords) and compiled catalogues.

    The .mo files are build products (git-ignored); the pages and messages the tests check
    are what users see, so compile the catalogues first, as `make test` does.
    """
    if compile_all():
        translation.trans_real._translations = {}
        translation.trans_real._default = None
        translation.trans_real._active = translation.trans_real.Local()
    # AUDIT_STRICT: an audit action without a registered label fails the test that writes it.
    # Background tasks run at once in tests (one test runs the database worker itself).
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        AUDIT_STRICT=True,
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    ):
        yield


@pytest.fixture
def english():
    """The domain tests match error messages by their English source text (the msgid);
    page tests check the Chinese a user sees."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_page_fragments():
    """Cached page parts (core.fragments) and the snapshots a process keeps (core.snapshots)
    outlive a test's rolled-back rows: each test gets its own."""
    from deltaunion.core import fragments, snapshots

    fragments.new_generation()
    snapshots.forget_local()


@pytest.fixture(autouse=True)
def _default_language():
    """LocaleMiddleware leaves the last request's language active in the thread: reset it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _region(code: str, name: str, level: str, parent: str | None = None) -> Region:
    return Region.objects.update_or_create(code=code, defaults={"name": name, "level": level, "parent_id": parent})[0]


@pytest.fixture
def tree(db) -> SimpleNamespace:
    P, C = Region.Level.PROVINCE, Region.Level.PREFECTURE
    zj_r = _region("330000", "浙江省", P)
    hz_r = _region("330100", "杭州市", C, "330000")
    js_r = _region("320000", "江苏省", P)
    sz_r = _region("320500", "苏州市", C, "320000")
    acftu = organisation_create(name="中华全国总工会", kind=K.ACFTU, parent=None, by=None)
    zj = organisation_create(name="浙江省总工会", kind=K.PROVINCIAL, parent=acftu, region=zj_r, by=None)
    hz = organisation_create(name="杭州市总工会", kind=K.CITY, parent=zj, region=hz_r, by=None)
    hz_unit = organisation_create(name="杭州测试机械有限公司工会", kind=K.GRASSROOTS, parent=hz, region=hz_r, by=None)
    js = organisation_create(name="江苏省总工会", kind=K.PROVINCIAL, parent=acftu, region=js_r, by=None)
    sz = organisation_create(name="苏州市总工会", kind=K.CITY, parent=js, region=sz_r, by=None)
    sz_unit = organisation_create(name="苏州测试电梯有限公司工会", kind=K.GRASSROOTS, parent=sz, region=sz_r, by=None)
    return SimpleNamespace(acftu=acftu, zj=zj, hz=hz, hz_unit=hz_unit, js=js, sz=sz, sz_unit=sz_unit)


def _with_role(user, org, role):
    org_role_grant(user=user, organisation=org, role=role, by=None)
    return user


@pytest.fixture
def users(tree) -> SimpleNamespace:
    return SimpleNamespace(
        hz_officer=_with_role(UserFactory(username="hz_officer"), tree.hz, Role.OFFICER),
        sz_officer=_with_role(UserFactory(username="sz_officer"), tree.sz, Role.OFFICER),
        zj_admin=_with_role(UserFactory(username="zj_admin"), tree.zj, Role.FEDERATION_ADMIN),
        zj_judge=_with_role(UserFactory(username="zj_judge"), tree.zj, Role.JUDGE),
        superuser=SuperuserFactory(username="root"),
        worker=_with_role(UserFactory(username="worker_login"), tree.hz_unit, Role.WORKER),
        nobody=UserFactory(username="nobody"),
    )


@pytest.fixture
def people(tree, users) -> SimpleNamespace:
    hz_employer = EmployerFactory(name="杭州测试机械有限公司", organisation=tree.hz_unit, ownership=Ownership.PRIVATE)
    sz_employer = EmployerFactory(name="苏州测试电梯有限公司", organisation=tree.sz_unit, ownership=Ownership.FOREIGN)
    hz_a = WorkerFactory(
        name="王建国",
        organisation=tree.hz_unit,
        employer=hz_employer,
        id_number=make_id_number("330106", dt.date(1985, 3, 14), 231),
        phone="13912345678",
        skill_level=3,
    )
    hz_b = WorkerFactory(
        name="李秀英",
        organisation=tree.hz_unit,
        employer=hz_employer,
        id_number=make_id_number("330106", dt.date(1990, 7, 2), 242),
        phone="13712340000",
        is_member=False,
        skill_level=4,
    )
    hz_self = WorkerFactory(
        name="陈小明",
        organisation=tree.hz_unit,
        employer=hz_employer,
        id_number=make_id_number("330106", dt.date(1995, 11, 30), 115),
        phone="13600001111",
        user=users.worker,
    )
    sz_a = WorkerFactory(
        name="周苏州",
        organisation=tree.sz_unit,
        employer=sz_employer,
        id_number=make_id_number("320505", dt.date(1988, 1, 20), 317),
        phone="13500002222",
        skill_level=3,
    )
    return SimpleNamespace(
        hz_employer=hz_employer, sz_employer=sz_employer, hz_a=hz_a, hz_b=hz_b, hz_self=hz_self, sz_a=sz_a
    )


@pytest.fixture
def world(tree, users, people) -> SimpleNamespace:
    """Everything above in one namespace."""
    return SimpleNamespace(**vars(tree), **vars(users), **vars(people))


_demo_rows = []  # the demo as rows, taken after this process's first load (tests/demo_snapshot.py)


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The real demo data (`manage.py load_demo`), in place for one test module.

    It is loaded inside a transaction that is rolled back after the module, so the rest of
    the suite never sees it; each test still runs in its own savepoint (request `db` too).
    The first module of a test process loads it; later modules get the same rows put back
    (every table emptied and refilled, which takes a second where loading takes a minute).
    """
    from django.contrib.contenttypes.models import ContentType

    from tests import demo_snapshot

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            if _demo_rows:
                demo_snapshot.put_back(_demo_rows[0])
            else:
                call_command("load_demo", quiet=True)
                _demo_rows.append(demo_snapshot.take())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            ContentType.objects.clear_cache()

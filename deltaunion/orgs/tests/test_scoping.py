"""Scoping: the one helper decides what each user may see, and 404s the same for 'missing' and 'not yours'."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from deltaunion.orgs.models import Organisation, OrgRole, Role
from deltaunion.orgs.scoping import get_for_user_or_404, require_manager, scope_for, scoped
from deltaunion.people.models import Employer, Worker
from deltaunion.people.tests.factories import WorkerFactory


def _names(qs):
    return set(qs.values_list("name", flat=True))


def _raises_404(user, **lookup):
    with pytest.raises(Http404) as exc:
        get_for_user_or_404(Worker, user, **lookup)
    return exc.value


def test_hangzhou_officer_sees_hangzhou_workers_only(world):
    assert _names(scoped(Worker.objects.all(), world.hz_officer)) == {"王建国", "李秀英", "陈小明"}
    assert get_for_user_or_404(Worker, world.hz_officer, pk=world.hz_a.pk) == world.hz_a


def test_other_region_and_missing_ids_give_the_same_404(world):
    missing_id = Worker.objects.order_by("-pk").first().pk + 1000
    foreign = _raises_404(world.hz_officer, pk=world.sz_a.pk)
    missing = _raises_404(world.hz_officer, pk=missing_id)
    assert type(foreign) is type(missing) is Http404
    assert str(foreign) == str(missing)


def test_federation_admin_sees_the_whole_province(world):
    assert _names(scoped(Worker.objects.all(), world.zj_admin)) == {"王建国", "李秀英", "陈小明"}
    assert get_for_user_or_404(Worker, world.zj_admin, pk=world.hz_b.pk) == world.hz_b
    _raises_404(world.zj_admin, pk=world.sz_a.pk)


def test_suzhou_officer_sees_suzhou_only(world):
    assert _names(scoped(Worker.objects.all(), world.sz_officer)) == {"周苏州"}
    _raises_404(world.sz_officer, pk=world.hz_a.pk)


def test_superuser_sees_everything(world):
    assert scoped(Worker.objects.all(), world.superuser).count() == Worker.objects.count() == 4
    assert get_for_user_or_404(Worker, world.superuser, pk=world.sz_a.pk) == world.sz_a


def test_user_without_roles_sees_nothing(world):
    assert scoped(Worker.objects.all(), world.nobody).count() == 0
    assert scoped(Employer.objects.all(), world.nobody).count() == 0
    for worker in Worker.objects.all():
        _raises_404(world.nobody, pk=worker.pk)
    scope = scope_for(world.nobody)
    assert scope.is_authenticated and not scope.is_manager
    for org in Organisation.objects.all():
        assert not scope.manages(org)
        assert not scope.sees_personal_data(org)
        with pytest.raises(Http404):
            require_manager(world.nobody, org)


def test_anonymous_sees_nothing(world):
    assert scoped(Worker.objects.all(), AnonymousUser()).count() == 0
    assert scoped(Worker.objects.all(), None).count() == 0
    _raises_404(AnonymousUser(), pk=world.hz_a.pk)


def test_judge_role_does_not_manage(world):
    # A judge of Zhejiang marks contests; it gives no view of the province's workers.
    assert scoped(Worker.objects.all(), world.zj_judge).count() == 0
    assert not scope_for(world.zj_judge).manages(world.hz)


def test_worker_sees_only_their_own_record(world):
    assert list(scoped(Worker.objects.all(), world.worker)) == [world.hz_self]
    assert get_for_user_or_404(Worker, world.worker, pk=world.hz_self.pk) == world.hz_self
    _raises_404(world.worker, pk=world.hz_a.pk)  # a colleague in the same union
    _raises_404(world.worker, pk=world.sz_a.pk)


def test_scope_follows_the_subtree_including_new_units(world):
    from deltaunion.orgs.services import organisation_create

    new_unit = organisation_create(
        name="杭州新成立的工会", kind=Organisation.Kind.GRASSROOTS, parent=world.hz, by=world.hz_officer
    )
    w = WorkerFactory(organisation=new_unit)
    assert w in scoped(Worker.objects.all(), world.hz_officer)
    assert w in scoped(Worker.objects.all(), world.zj_admin)
    assert w not in scoped(Worker.objects.all(), world.sz_officer)


def test_roles_in_two_places_add_up(world):
    OrgRole.objects.create(user=world.hz_officer, organisation=world.sz_unit, role=Role.OFFICER)
    fresh = type(world.hz_officer).objects.get(pk=world.hz_officer.pk)  # no cached scope
    assert _names(scoped(Worker.objects.all(), fresh)) == {"王建国", "李秀英", "陈小明", "周苏州"}


def test_scoped_querysets_do_not_duplicate_rows_for_nested_roles(world):
    # An officer of Hangzhou who is also admin of Zhejiang must not see Hangzhou rows twice.
    OrgRole.objects.create(user=world.hz_officer, organisation=world.zj, role=Role.FEDERATION_ADMIN)
    fresh = type(world.hz_officer).objects.get(pk=world.hz_officer.pk)
    qs = scoped(Worker.objects.all(), fresh)
    assert qs.count() == 3
    assert sorted(qs.values_list("pk", flat=True)) == sorted({w.pk for w in qs})

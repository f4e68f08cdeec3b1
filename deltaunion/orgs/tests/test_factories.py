"""The factories make valid objects through the real services."""

from __future__ import annotations

from deltaunion.core.idnumber import parse_id_number
from deltaunion.orgs.models import Organisation, Role
from deltaunion.orgs.scoping import scope_for
from deltaunion.orgs.tests.factories import OrganisationFactory, OrgRoleFactory, RegionFactory
from deltaunion.people.tests.factories import EmployerFactory, SkillLevelRecordFactory, WorkerFactory
from deltaunion.workplans.tests.factories import KeyTaskFactory


def test_organisation_factory_builds_a_chain_with_right_paths(db):
    root = OrganisationFactory()
    province = OrganisationFactory(parent=root, region=RegionFactory(code="330000", level="province"))
    city = OrganisationFactory(parent=province)
    unit = OrganisationFactory(parent=city)
    assert [o.kind for o in (root, province, city, unit)] == ["acftu", "provincial", "city", "grassroots"]
    assert unit.path == root.path + f"{province.pk:07d}{city.pk:07d}{unit.pk:07d}"
    assert unit.depth == 3
    assert Organisation.objects.filter(path__startswith=province.path).count() == 3


def test_org_role_factory_gives_a_scope(db):
    role = OrgRoleFactory(role=Role.OFFICER)
    assert scope_for(role.user).manages(role.organisation)


def test_worker_factory_makes_valid_distinct_id_numbers(db):
    unit = OrganisationFactory(parent=OrganisationFactory(parent=OrganisationFactory(parent=OrganisationFactory())))
    employer = EmployerFactory(organisation=unit)
    workers = WorkerFactory.create_batch(30, organisation=unit, employer=employer)
    assert len({w.id_number for w in workers}) == 30
    for w in workers:
        info = parse_id_number(w.id_number)
        assert (info.birth_date, info.sex) == (w.birth_date, w.sex)
    record = SkillLevelRecordFactory(worker=workers[0])
    assert record.worker.organisation == unit


def test_key_task_factory_chain(db):
    task = KeyTaskFactory()
    assert task.plan.meeting.year == task.plan.year == 2023
    assert task.plan.tasks.get() == task

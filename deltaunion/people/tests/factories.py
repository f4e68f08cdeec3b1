"""factory_boy factories for people, writing through the services (ID numbers are valid,
birth date and sex follow from them, each creation is audited as the system's)."""

from __future__ import annotations

import datetime as dt

import factory

from deltaunion.core.idnumber import make_id_number
from deltaunion.orgs.tests.factories import OrganisationFactory
from deltaunion.people.models import Employer, Ownership, SkillLevelRecord, Worker
from deltaunion.people.services import employer_get_or_create, skill_level_record_add, worker_create


def id_number_for(n: int, region: str = "330106") -> str:
    """A distinct valid ID number for every n: the birth date moves one day per n."""
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=n)
    return make_id_number(region, birth, n % 1000)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"测试单位{n}有限公司")
    ownership = Ownership.PRIVATE
    organisation = factory.SubFactory(OrganisationFactory)
    region = factory.LazyAttribute(lambda o: o.organisation.region)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        region = kwargs.pop("region", None)
        return employer_get_or_create(
            by=kwargs.pop("by", None), check_scope=False, region_code=region.code if region else "", **kwargs
        )


class WorkerFactory(factory.django.DjangoModelFactory):
    """`skill_level` sets the current level with no history behind it (as a migrated record
    has); `SkillLevelRecordFactory` adds history the way the platform does."""

    class Meta:
        model = Worker

    class Params:
        region_code = factory.LazyAttribute(lambda o: o.organisation.region_id or "330106")

    name = factory.Sequence(lambda n: f"职工{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    id_number = factory.LazyAttributeSequence(lambda o, n: id_number_for(n + 1, o.region_code))
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    employer = None
    is_member = True
    trade = "电工"
    skill_level = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        skill_level = kwargs.pop("skill_level", None)
        worker = worker_create(by=kwargs.pop("by", None), check_scope=False, **kwargs)
        if skill_level is not None:
            Worker.objects.filter(pk=worker.pk).update(skill_level=skill_level)
            worker.skill_level = skill_level
        return worker


class SkillLevelRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillLevelRecord

    worker = factory.SubFactory(WorkerFactory)
    level = 4
    obtained_on = dt.date(2020, 6, 1)
    trade = "电工"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return skill_level_record_add(by=kwargs.pop("by", None), check_scope=False, **kwargs)

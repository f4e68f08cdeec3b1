"""factory_boy factories for people. ID numbers are valid (check character included)."""

from __future__ import annotations

import datetime as dt

import factory

from deltaunion.core.idnumber import make_id_number
from deltaunion.orgs.tests.factories import OrganisationFactory
from deltaunion.people.models import Employer, Ownership, SkillLevelRecord, Worker


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


class WorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Worker

    class Params:
        region_code = factory.LazyAttribute(lambda o: o.organisation.region_id or "330106")

    name = factory.Sequence(lambda n: f"职工{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    id_number = factory.LazyAttributeSequence(lambda o, n: id_number_for(n + 1, o.region_code))
    birth_date = factory.LazyAttribute(
        lambda o: dt.date(int(o.id_number[6:10]), int(o.id_number[10:12]), int(o.id_number[12:14]))
    )
    sex = factory.LazyAttribute(lambda o: "M" if int(o.id_number[16]) % 2 else "F")
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    employer = None
    is_member = True
    trade = "电工"
    skill_level = None


class SkillLevelRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillLevelRecord

    worker = factory.SubFactory(WorkerFactory)
    level = 4
    obtained_on = dt.date(2020, 6, 1)
    trade = "电工"

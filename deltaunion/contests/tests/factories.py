"""Factories for contest tests, plus `ContestWorld`: a small contest set up end to end."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from deltaunion.accounts.models import User
from deltaunion.contests import services
from deltaunion.contests.models import Aspect, Contest, ContestRole, Module, Registration, Stage
from deltaunion.core.idnumber import make_id_number
from deltaunion.orgs.models import Organisation, Region, Role
from deltaunion.orgs.services import org_role_grant, organisation_create
from deltaunion.people.models import Employer, Worker
from deltaunion.people.services import employer_get_or_create, skill_level_record_add, worker_create

_seq = itertools.count(1)
K = Organisation.Kind


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "310000"
    name = factory.LazyAttribute(lambda o: f"区划{o.code}")
    level = Region.Level.PROVINCE


def _root() -> Organisation:
    """The national federation at the top of the tree (the `tree` fixture's, if it made one)."""
    root = Organisation.objects.filter(kind=K.ACFTU, parent__isnull=True).first()
    return root or organisation_create(name="测试全国总工会", kind=K.ACFTU, parent=None, by=None)


class OrganisationFactory(factory.django.DjangoModelFactory):
    """Through `organisation_create` (path and depth as the real code computes them); a
    provincial federation without a parent goes under the national federation."""

    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"工会{n}")
    kind = K.PROVINCIAL
    parent = None
    region_id = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        parent = kwargs["parent"]
        if parent is None and kwargs["kind"] != K.ACFTU:
            parent = _root()
        region = Region.objects.filter(code=kwargs["region_id"]).first() if kwargs["region_id"] else None
        name = kwargs["name"]
        if Organisation.objects.filter(parent=parent, name=name).exists():  # a second world in one test
            name = f"{name}{next(_seq)}"
        return organisation_create(name=name, kind=kwargs["kind"], parent=parent, region=region, by=None)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"单位{n}")
    ownership = "state"
    organisation = factory.SubFactory(OrganisationFactory)
    region_id = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return employer_get_or_create(
            name=kwargs["name"],
            organisation=kwargs["organisation"],
            ownership=kwargs["ownership"],
            region_code=kwargs["region_id"] or "",
            by=None,
            check_scope=False,
        )


class WorkerFactory(factory.django.DjangoModelFactory):
    """Through `worker_create`: the birth date is in the ID number; `skill_level` is the
    worker's current level, recorded as a certification of 2020."""

    class Meta:
        model = Worker

    class Params:
        birth_date = dt.date(1990, 5, 1)

    name = factory.Sequence(lambda n: f"选手{n:04d}")
    id_number = factory.LazyAttribute(lambda o: make_id_number("310101", o.birth_date, next(_seq) % 1000))
    organisation = factory.SubFactory(OrganisationFactory)
    employer = None
    is_member = True
    skill_level = 4
    user = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        level = kwargs.pop("skill_level")
        worker = worker_create(by=None, check_scope=False, **kwargs)
        if level is not None:
            skill_level_record_add(
                worker=worker, level=level, obtained_on=dt.date(2020, 6, 1), by=None, check_scope=False
            )
        return worker


def officer_for(org: Organisation) -> User:
    user = UserFactory()
    org_role_grant(user=user, organisation=org, role=Role.OFFICER, by=None)
    return user


@dataclass
class ContestWorld:
    """Province → two cities → grassroots unions with employers; an officer at the province;
    a judged contest with one stage open for registration; judges, chief judge, arbiter and
    decryptor; two modules (measurement + judgement)."""

    province: Organisation
    cities: list[Organisation]
    units: list[Organisation]
    employers: list[Employer]
    officer: User
    contest: Contest
    stage: Stage
    modules: list[Module] = field(default_factory=list)
    aspects: list[Aspect] = field(default_factory=list)
    judges: list[User] = field(default_factory=list)
    judge_roles: list[ContestRole] = field(default_factory=list)
    chief: User | None = None
    arbiter: User | None = None
    decryptor: User | None = None
    registrations: list[Registration] = field(default_factory=list)

    def worker(self, i: int = 0, **kwargs: Any) -> Worker:
        unit = self.units[i % len(self.units)]
        employer = self.employers[i % len(self.employers)]
        return WorkerFactory(organisation=unit, employer=employer, **kwargs)


def build_world(*, n_judges: int = 4, conflict_same_city: bool = False, **contest_settings: Any) -> ContestWorld:
    for code, level in (
        ("310000", "province"),
        ("320000", "province"),
        ("320500", "prefecture"),
        ("320100", "prefecture"),
    ):
        RegionFactory(code=code, level=level)
    province = OrganisationFactory(name="示例省总工会", kind=Organisation.Kind.PROVINCIAL, region_id="320000")
    cities = [
        OrganisationFactory(name="苏州市总工会", kind=Organisation.Kind.CITY, parent=province, region_id="320500"),
        OrganisationFactory(name="南京市总工会", kind=Organisation.Kind.CITY, parent=province, region_id="320100"),
    ]
    units = [
        OrganisationFactory(name=f"基层工会{i}", kind=Organisation.Kind.GRASSROOTS, parent=cities[i % 2])
        for i in range(2)
    ]
    employers = [
        EmployerFactory(name=f"企业{i}", organisation=units[i], region_id=cities[i].region_id) for i in range(2)
    ]
    officer = officer_for(province)
    contest = services.contest_create(
        title="工业机器人技能竞赛",
        lead_org=province,
        by=officer,
        conflict_same_city=conflict_same_city,
        **contest_settings,
    )
    now = timezone.now()
    stage = services.stage_create(
        contest=contest,
        name="决赛",
        by=officer,
        starts_at=now - dt.timedelta(hours=6),
        ends_at=now - dt.timedelta(hours=3),
    )
    services.stage_set_status(stage=stage, status=Stage.Status.REGISTRATION, by=officer)
    stage.refresh_from_db()
    world = ContestWorld(province, cities, units, employers, officer, contest, stage)
    m1 = services.module_add(stage=stage, name="装调", by=officer)
    m2 = services.module_add(stage=stage, name="编程", by=officer)
    world.modules = [m1, m2]
    world.aspects = [
        services.aspect_add(module=m1, code="A1", description="尺寸", kind="measurement", max_mark="20", by=officer),
        services.aspect_add(
            module=m1,
            code="A2",
            description="精度",
            kind="measurement",
            max_mark="10",
            target="5.00",
            bands=[{"tolerance": "0.05", "share": "1"}, {"tolerance": "0.10", "share": "0.5"}],
            by=officer,
        ),
        services.aspect_add(module=m2, code="B1", description="工艺", kind="judgement", max_mark="30", by=officer),
    ]
    # Judges: none from the competitors' employers unless a test links them.
    outside = EmployerFactory(name="外部单位", organisation=province, region_id="310000")
    for _i in range(n_judges):
        user = UserFactory()
        role = services.contest_role_grant(
            contest=contest, user=user, role=ContestRole.Kind.JUDGE, by=officer, employer=outside
        )
        world.judges.append(user)
        world.judge_roles.append(role)
        for module in world.modules:
            services.judge_assign(module=module, judge=role, by=officer)
    world.chief = UserFactory(username=f"chief{next(_seq)}")
    services.contest_role_grant(
        contest=contest, user=world.chief, role=ContestRole.Kind.CHIEF_JUDGE, by=officer, employer=outside
    )
    world.arbiter = UserFactory(username=f"arbiter{next(_seq)}")
    services.contest_role_grant(contest=contest, user=world.arbiter, role=ContestRole.Kind.ARBITER, by=officer)
    world.decryptor = UserFactory(username=f"decryptor{next(_seq)}")
    services.contest_role_grant(contest=contest, user=world.decryptor, role=ContestRole.Kind.DECRYPTOR, by=officer)
    return world


def register_and_draw(world: ContestWorld, n: int = 4, *, leader: User | None = None) -> list[str]:
    """Enter n workers, check them in, make both draws; returns the secret numbers."""
    for i in range(n):
        reg = services.registration_create(stage=world.stage, worker=world.worker(i), by=world.officer, leader=leader)
        world.registrations.append(reg)
    services.stage_set_status(stage=world.stage, status=Stage.Status.CHECKIN, by=world.officer)
    for reg in world.registrations:
        services.checkin_record(registration=reg, by=world.officer)
    services.draw_order(stage=world.stage, by=world.officer, seed="order-seed")
    services.draw_numbers(stage=world.stage, by=world.officer, seed="number-seed")
    world.stage.refresh_from_db()
    return sorted(world.stage.secret_numbers.values_list("number", flat=True))


def mark_everything(world: ContestWorld, scores: dict[str, tuple[int, int, list[int]]] | None = None) -> None:
    """Enter and confirm all marks: per number (A1 0|20, A2 measured value ×100, B1 scores)."""
    a1, a2, b1 = world.aspects
    j = world.judges
    for k, number in enumerate(sorted(world.stage.secret_numbers.values_list("number", flat=True))):
        s = (scores or {}).get(number, (20 if k % 2 == 0 else 0, 500, [2, 2, 3]))
        m = services.mark_enter(aspect=a1, number=number, value=s[0], by=j[0])
        services.mark_confirm(mark=m, by=j[1])
        m = services.mark_enter(aspect=a2, number=number, value=Decimal(s[1]) / 100, by=j[0])
        services.mark_confirm(mark=m, by=j[1])
        for judge_index, score in enumerate(s[2]):
            m = services.mark_enter(aspect=b1, number=number, value=score, by=j[judge_index])
            services.mark_confirm(mark=m, by=j[(judge_index + 1) % len(j)])


def sign_off_all(world: ContestWorld) -> None:
    for module in world.modules:
        services.module_sign_off(module=module, by=world.chief)

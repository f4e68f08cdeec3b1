"""factory_boy factories for workplans."""

from __future__ import annotations

import datetime as dt

import factory

from deltaunion.workplans.models import JointMeeting, KeyTask, WorkPlan


class JointMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JointMeeting

    slug = factory.Sequence(lambda n: f"meeting-{n}")
    year = 2023
    title = factory.Sequence(lambda n: f"测试联席会议{n}")
    held_on = dt.date(2023, 6, 1)


class WorkPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkPlan

    slug = factory.Sequence(lambda n: f"plan-{n}")
    meeting = factory.SubFactory(JointMeetingFactory)
    year = factory.SelfAttribute("meeting.year")
    title = factory.Sequence(lambda n: f"测试工作方案{n}")
    position = factory.Sequence(lambda n: n)


class KeyTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyTask

    plan = factory.SubFactory(WorkPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"测试重点任务{n}")
    kind = KeyTask.Kind.CONTEST
    tier = KeyTask.Tier.LED
    lead_org = None
    status = KeyTask.Status.PLANNED

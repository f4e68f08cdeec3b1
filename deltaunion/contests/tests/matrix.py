"""The contest engine in the 404 matrix: a DRAFT contest of Hangzhou, run to the end.

A draft contest is private: its stages, registrations, marks, result sets and certificates are
for the officers of the lead union (Hangzhou), the sending union and the people holding a
role on it. Everyone else gets the same 404 as for a missing object, on the pages and in the
API. The judges' pages open for a judge through an assignment, so the module's owner here is
the chief judge assigned to it (who also gets its score sheet).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from deltaunion.contests import services
from deltaunion.contests.models import Certificate, ContestRole, JudgeAssignment, Mark, Stage
from deltaunion.core.testing import Obj

from .factories import UserFactory

PUBLIC = {
    "contests:certificate_verify": "a certificate is verified by its code, by anyone who holds it (the QR code)",
    "api:verify_certificate": "a certificate is verified by its code, by anyone who holds it (the QR code)",
}


def hangzhou_contest(world: Any) -> SimpleNamespace:
    """A draft contest led by Hangzhou with one stage run to final results: venue, module,
    aspect, judges, two competitors of Hangzhou, marks, reveal, re-check, publication,
    finalisation, awards and certificates — all through the services."""
    officer = world.hz_officer
    now = timezone.now()
    contest = services.contest_create(
        title="杭州市电工技能竞赛（草稿）", lead_org=world.hz, by=officer, members_only=False
    )
    venue = services.venue_add(contest=contest, name="杭州赛点", by=officer)
    stage = services.stage_create(
        contest=contest,
        name="决赛",
        by=officer,
        venue=venue,
        starts_at=now - dt.timedelta(hours=6),
        ends_at=now - dt.timedelta(hours=3),
    )
    module = services.module_add(stage=stage, name="电气安装", by=officer)
    aspect = services.aspect_add(
        module=module, code="A1", description="接线", kind="measurement", max_mark="10", by=officer
    )
    people = {name: UserFactory() for name in ("chief", "judge1", "judge2", "decryptor")}
    kinds = {"chief": ContestRole.Kind.CHIEF_JUDGE, "decryptor": ContestRole.Kind.DECRYPTOR}
    roles = {
        name: services.contest_role_grant(
            contest=contest, user=user, role=kinds.get(name, ContestRole.Kind.JUDGE), by=officer
        )
        for name, user in people.items()
    }
    for name in ("chief", "judge1", "judge2"):
        services.judge_assign(module=module, judge=roles[name], by=officer)
    services.stage_set_status(stage=stage, status=Stage.Status.REGISTRATION, by=officer)
    registrations = [services.registration_create(stage=stage, worker=w, by=officer) for w in (world.hz_a, world.hz_b)]
    services.stage_set_status(stage=stage, status=Stage.Status.CHECKIN, by=officer)
    for reg in registrations:
        services.checkin_record(registration=reg, by=officer)
    services.draw_order(stage=stage, by=officer)
    services.draw_numbers(stage=stage, by=officer)
    for i, number in enumerate(stage.secret_numbers.order_by("number").values_list("number", flat=True)):
        mark = services.mark_enter(aspect=aspect, number=number, value=10 * (i % 2), by=people["judge1"])
        services.mark_confirm(mark=mark, by=people["judge2"])
    services.module_sign_off(module=module, by=people["chief"])
    services.stage_reveal(stage=stage, by=people["decryptor"])
    recheck = services.recheck_start(stage=stage, by=people["chief"], seed="matrix")
    for item in recheck.items.all():
        services.recheck_item_record(item=item, error_found=False, by=people["chief"])
    services.recheck_complete(recheck=recheck, by=people["chief"])
    services.prize_tier_add(contest=contest, kind="first", name="一等奖", rank_to=2, by=officer)
    result_set = services.result_set_publish(stage=stage, by=officer)
    services.result_set_finalise(
        result_set=result_set, by=officer, now=result_set.notice_until + dt.timedelta(seconds=1)
    )
    return SimpleNamespace(
        contest=contest,
        stage=stage,
        module=module,
        aspect=aspect,
        people=people,
        roles=roles,
        registrations=registrations,
        result_set=result_set,
    )


def build(world: Any) -> dict[str, Obj]:
    hz = hangzhou_contest(world)
    officer, chief = world.hz_officer, hz.people["chief"]
    certificate = Certificate.objects.filter(award__contest=hz.contest).first()
    return {
        "contest_id": Obj(hz.contest.pk, owner=officer),
        "stage_id": Obj(hz.stage.pk, owner=officer),
        "module_id": Obj(hz.module.pk, owner=chief),
        "mark_id": Obj(Mark.objects.filter(aspect=hz.aspect).first().pk, owner=chief),
        "registration_id": Obj(hz.registrations[0].pk, owner=officer),
        "result_set_id": Obj(hz.result_set.pk, owner=officer),
        "role_id": Obj(hz.roles["decryptor"].pk, owner=officer),
        "assignment_id": Obj(JudgeAssignment.objects.filter(module=hz.module).first().pk, owner=officer),
        "code": Obj(certificate.code, owner=officer),
    }

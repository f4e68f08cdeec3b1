"""The contest demo data: idempotent, the 16 contests of 2023, one finished two-stage contest
with a verifying hash chain and certificates, one contest in the middle of marking."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

from deltaunion.accounts.models import User
from deltaunion.contests import selectors
from deltaunion.contests.demo import NEV_TITLE, ROBOT_TITLE
from deltaunion.contests.models import Award, Certificate, Contest, ContestRole, Mark, Qualification, ResultSet
from deltaunion.core.models import AuditEntry
from deltaunion.core.privacy import mask_id_number
from deltaunion.workplans.models import KeyTask

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    models = [*apps.get_app_config("contests").get_models(), User, AuditEntry]
    return {m.__name__: m.objects.count() for m in models}


def test_load_demo_contests(client):
    call_command("load_demo", "--quiet")
    first = _counts()
    call_command("load_demo", "--quiet")
    assert _counts() == first  # idempotent

    # Every contest key task of 2021–2023 is a contest record linked to its task.
    tasks = KeyTask.objects.filter(kind="contest", plan__year__in=[2021, 2022, 2023])
    assert Contest.objects.filter(key_task__in=tasks).count() == tasks.count()

    body = client.get("/api/contests", {"year": 2023, "limit": 100}).json()
    assert body["count"] == 16
    assert Counter(c["tier"] for c in body["items"]) == {"led": 4, "co_organised": 5, "guided": 7}
    assert all(c["key_task"] and c["key_task"]["year"] == 2023 for c in body["items"])
    leads = {c["title"]: c["lead"] for c in body["items"]}
    assert leads[ROBOT_TITLE]["organisation"]["name"] == "浙江省总工会"
    assert leads[NEV_TITLE]["organisation"]["name"] == "安徽省总工会"
    assert leads["电梯维修技能邀请赛"]["organisation"] is None  # unknown lead stays empty
    assert leads["电梯维修技能邀请赛"]["note"] == "长三角环太湖城市"
    assert client.get("/api/contests", {"year": 2023, "tier": "guided"}).json()["count"] == 7

    # The finished two-stage contest.
    robot = Contest.objects.get(title=ROBOT_TITLE)
    assert robot.status == Contest.Status.FINISHED and robot.is_demo
    stages = list(robot.stages.order_by("order"))
    assert len(stages) == 2
    assert Qualification.objects.filter(from_stage=stages[0], to_stage=stages[1]).count() >= 8
    finals = ResultSet.objects.filter(contest=robot, status=ResultSet.Status.FINAL).order_by("chain_index")
    assert finals.count() == 2 and finals[1].previous_hash == finals[0].content_hash
    report = selectors.result_chain_verify(robot)
    assert report.ok and report.checked == 2, report.problems
    assert Mark.objects.filter(aspect__module__stage__contest=robot).exclude(status="confirmed").count() == 0
    assert {a.kind for a in robot.stages.first().modules.first().aspects.all()} == {"measurement", "judgement"}
    assert Award.objects.filter(contest=robot, promoted_to__isnull=False).exists()
    robot_stages = [str(pk) for pk in robot.stages.values_list("pk", flat=True)]
    assert AuditEntry.objects.filter(action="stage.reveal", object_id__in=robot_stages).count() == 2
    final = client.get(f"/api/contests/stages/{stages[1].pk}/results").json()
    assert final["status"] == "final" and final["chain_verified"] is True
    certs = Certificate.objects.filter(award__contest=robot)
    assert certs.count() >= 8
    for cert in certs:
        r = client.get(f"/api/contests/certificates/{cert.code}/verify")
        assert r.status_code == 200 and r.json()["valid"]
        assert r.json()["result_hash"] == finals[1].content_hash

    # The contest in the middle of marking, markable by the demo `judge` login.
    nev = Contest.objects.get(title=NEV_TITLE)
    judge = User.objects.get(username="judge")
    assert ContestRole.objects.filter(contest=nev, user=judge, role="judge").exists()
    marks = Mark.objects.filter(aspect__module__stage__contest=nev)
    assert marks.filter(status="entered").exists() and marks.filter(status="confirmed").exists()
    assert marks.filter(flagged=True, flag_resolved=False).exists()
    assert nev.stages.get().revealed_at is None
    assert not ResultSet.objects.filter(contest=nev).exists()
    assert client.get(f"/api/contests/stages/{nev.stages.get().pk}/results").status_code == 404

    # The demo `organiser` (a contest role, no organisation role) sees the entries masked.
    organiser = User.objects.get(username="organiser")
    assert ContestRole.objects.filter(contest=nev, user=organiser, role="organiser").exists()
    o = Client()
    o.force_login(organiser)
    nev_stage = nev.stages.get()
    page = o.get(f"/contests/stages/{nev_stage.pk}/registrations/").content.decode()
    regs = list(nev_stage.registrations.select_related("worker"))
    assert regs and all(mask_id_number(r.worker.id_number) in page for r in regs)
    assert not any(r.worker.id_number in page or (r.worker.phone and r.worker.phone in page) for r in regs)

    j = Client()
    assert judge.check_password("deltaunion-demo")
    j.force_login(judge)
    modules = j.get("/api/contests/judging/modules").json()
    assert modules and {m["contest"] for m in modules if not m["locked"]} == {NEV_TITLE}
    work = j.get(f"/api/contests/judging/modules/{modules[0]['id']}/worklist").json()
    assert work["competitors"] and work["to_confirm"]
    dump = json.dumps(work, ensure_ascii=False)
    for reg in nev.stages.get().registrations.select_related("worker"):
        assert reg.worker.name not in dump and reg.worker.id_number not in dump

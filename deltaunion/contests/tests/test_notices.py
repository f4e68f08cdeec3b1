"""Messages the contest services write (站内消息): results published, certificate issued,
appeal ruled, objection answered, and the check-in reminder the day before a stage, which is
sent once per entry however often the command runs."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from deltaunion.contests import services
from deltaunion.contests.models import Certificate, Registration, Stage
from deltaunion.core.models import Notification

from .factories import UserFactory, build_world, mark_everything, sign_off_all

pytestmark = pytest.mark.django_db


def _with_login(w, i):
    worker = w.worker(i)
    worker.user = UserFactory()
    worker.save(update_fields=["user"])
    return worker


def _notes(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind))


def _run_to_reveal(w, workers, *, leader=None):
    for worker in workers:
        w.registrations.append(services.registration_create(stage=w.stage, worker=worker, by=w.officer, leader=leader))
    services.stage_set_status(stage=w.stage, status=Stage.Status.CHECKIN, by=w.officer)
    for reg in w.registrations:
        services.checkin_record(registration=reg, by=w.officer)
    services.draw_order(stage=w.stage, by=w.officer, seed="o")
    services.draw_numbers(stage=w.stage, by=w.officer, seed="n")
    mark_everything(w)
    sign_off_all(w)
    services.stage_reveal(stage=w.stage, by=w.decryptor)
    w.stage.refresh_from_db()


def _recheck(w):
    recheck = services.recheck_start(stage=w.stage, by=w.chief, seed="s")
    for item in recheck.items.all():
        services.recheck_item_record(item=item, error_found=False, by=w.chief)
    services.recheck_complete(recheck=recheck, by=w.chief)


def test_results_and_certificates_reach_each_competitor_and_no_one_else(django_capture_on_commit_callbacks):
    w = build_world()
    workers = [_with_login(w, i) for i in range(3)] + [w.worker(3)]  # the last one has no login
    _run_to_reveal(w, workers)
    _recheck(w)
    services.prize_tier_add(contest=w.contest, kind="first", name="一等奖", rank_to=1, by=w.officer)
    with django_capture_on_commit_callbacks(execute=True):
        rs = services.result_set_publish(stage=w.stage, by=w.officer)
    url = reverse("contests:results", args=[w.stage.pk])
    for worker in workers[:3]:
        row = rs.rows.get(registration__worker=worker)
        [note] = _notes(worker.user, "contests.results_published")
        assert note.url == url and "工业机器人技能竞赛" in note.title
        assert f"第 {row.rank} 名" in note.body and str(row.total) in note.body
    assert not Notification.objects.filter(kind="contests.results_published").exclude(
        recipient__in=[x.user for x in workers[:3]]
    )
    # Final results: the winner's certificate, with where to download and verify it.
    with django_capture_on_commit_callbacks(execute=True):
        services.result_set_finalise(result_set=rs, by=w.officer, now=rs.notice_until + dt.timedelta(seconds=1))
    winners = set(Certificate.objects.values_list("award__worker_id", flat=True))
    assert winners  # rank 1 has a prize
    for worker in workers[:3]:
        notes = _notes(worker.user, "contests.certificate_issued")
        if worker.pk in winners:
            cert = Certificate.objects.get(award__worker=worker)
            [note] = notes
            assert note.url == reverse("me:certificates") + f"#certificate-{cert.code}"
            assert "一等奖" in note.body
        else:
            assert notes == []
    assert Notification.objects.filter(kind="contests.certificate_issued").count() == len(
        winners & {x.pk for x in workers[:3]}
    )


def test_a_rolled_back_publication_tells_no_one(django_capture_on_commit_callbacks):
    w = build_world()
    workers = [_with_login(w, i) for i in range(2)]
    _run_to_reveal(w, workers)  # no re-check: publication is refused
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.result_set_publish(stage=w.stage, by=w.officer)
    assert not Notification.objects.filter(kind="contests.results_published").exists()


def test_a_failure_while_composing_the_messages_does_not_break_the_publication(
    django_capture_on_commit_callbacks, monkeypatch
):
    from deltaunion.contests.models import ResultSet
    from deltaunion.contests.services import notices

    w = build_world()
    _run_to_reveal(w, [_with_login(w, i) for i in range(2)])
    _recheck(w)

    def broken(*args, **kwargs):
        raise RuntimeError("no route")

    monkeypatch.setattr(notices, "reverse", broken)
    with django_capture_on_commit_callbacks(execute=True):
        rs = services.result_set_publish(stage=w.stage, by=w.officer)
    assert ResultSet.objects.get(pk=rs.pk).status == ResultSet.Status.NOTICE and rs.rows.count() == 2
    assert not Notification.objects.filter(kind="contests.results_published").exists()


def test_the_appeal_ruling_goes_to_who_appealed(django_capture_on_commit_callbacks):
    leader = UserFactory()
    w = build_world()
    workers = [_with_login(w, i) for i in range(2)]
    _run_to_reveal(w, workers, leader=leader)
    appeal = services.appeal_file(registration=w.registrations[0], reason="评分有误", by=leader, now=w.stage.ends_at)
    with django_capture_on_commit_callbacks(execute=True):
        services.appeal_rule(appeal=appeal, upheld=False, ruling="经核查，评分无误", by=w.arbiter)
    [note] = _notes(leader, "contests.appeal_ruled")
    assert "驳回" in note.title and "经核查，评分无误" in note.body
    assert Notification.objects.filter(kind="contests.appeal_ruled").count() == 1


def test_an_objection_answer_goes_to_the_signed_in_objector(django_capture_on_commit_callbacks):
    w = build_world()
    _run_to_reveal(w, [_with_login(w, i) for i in range(2)])
    _recheck(w)
    rs = services.result_set_publish(stage=w.stage, by=w.officer)
    citizen = UserFactory()
    mine = services.objection_file(result_set=rs, text="名次有误", by=citizen)
    anonymous = services.objection_file(result_set=rs, text="分数有误", contact="13800000000")
    with django_capture_on_commit_callbacks(execute=True):
        services.objection_resolve(objection=mine, upheld=False, response="经核查无误", by=w.officer)
        services.objection_resolve(objection=anonymous, upheld=False, response="经核查无误", by=w.officer)
    [note] = _notes(citizen, "contests.objection_resolved")
    assert "经核查无误" in note.body and note.url == reverse("contests:results", args=[w.stage.pk])
    assert Notification.objects.filter(kind="contests.objection_resolved").count() == 1


def _stage_starting(w, name, days):
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=days), dt.time(9)))
    stage = services.stage_create(
        contest=w.contest, name=name, by=w.officer, starts_at=start, ends_at=start + dt.timedelta(hours=8)
    )
    services.stage_set_status(stage=stage, status=Stage.Status.REGISTRATION, by=w.officer)
    stage.refresh_from_db()
    return stage


def test_the_checkin_reminder_is_sent_once_per_entry_the_day_before(django_capture_on_commit_callbacks):
    w = build_world()
    tomorrow = _stage_starting(w, "复赛", 1)
    later = _stage_starting(w, "总决赛", 3)
    approved, pending, other_stage, refused = (_with_login(w, i) for i in range(4))
    services.registration_create(stage=tomorrow, worker=approved, by=w.officer)
    services.registration_sign_up(stage=tomorrow, by=pending.user)
    services.registration_create(stage=later, worker=other_stage, by=w.officer)
    entry = services.registration_sign_up(stage=tomorrow, by=refused.user)
    services.registration_decide(registration=entry, approve=False, reason="名额已满", by=w.officer)
    Notification.objects.all().delete()
    out = io.StringIO()
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("contests_checkin_reminders", stdout=out)
    assert out.getvalue().split("\n")[:2] == ["1 check-in reminder(s) sent", "0 check-in reminder(s) sent"]
    [note] = Notification.objects.filter(kind="contests.checkin_reminder")
    assert note.recipient == approved.user
    assert "复赛" in note.title and "明天" in note.title and "身份证" in note.body
    assert note.url == reverse("me:contests")
    # The reminder is in the entry's history; two days later the other stage's turn comes.
    reg = Registration.objects.get(stage=tomorrow, worker=approved)
    from deltaunion.core.audit import history

    assert [item.action for item in history(reg)].count("提醒选手检录") == 1
    with django_capture_on_commit_callbacks(execute=True):
        call_command("contests_checkin_reminders", today=str(timezone.localdate() + dt.timedelta(days=2)), stdout=out)
    assert Notification.objects.get(recipient=other_stage.user, kind="contests.checkin_reminder")
    assert not Notification.objects.filter(recipient__in=[pending.user, refused.user]).exists()

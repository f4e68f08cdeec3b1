"""Re-check, appeals, notice, final hash chain, awards/promotion, qualification, certificates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from deltaunion.contests import selectors, services
from deltaunion.contests.certificates import certificate_pdf
from deltaunion.contests.models import Appeal, Award, Certificate, Mark, Recheck, Registration, ResultSet, Stage
from deltaunion.people.models import SkillLevelRecord

from .factories import UserFactory, build_world, mark_everything, register_and_draw, sign_off_all

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _revealed(n=4, leader=None, **settings):
    w = build_world(**settings)
    register_and_draw(w, n, leader=leader)
    mark_everything(w)
    sign_off_all(w)
    services.stage_reveal(stage=w.stage, by=w.decryptor)
    w.stage.refresh_from_db()
    return w


def _recheck_pass(w, errors=0):
    recheck = services.recheck_start(stage=w.stage, by=w.chief, seed="seed-1")
    for i, item in enumerate(recheck.items.all()):
        services.recheck_item_record(item=item, error_found=i < errors, note="错" if i < errors else "", by=w.chief)
    return services.recheck_complete(recheck=recheck, by=w.chief)


def _published(n=4, **settings):
    w = _revealed(n, **settings)
    _recheck_pass(w)
    rs = services.result_set_publish(stage=w.stage, by=w.officer)
    return w, rs


def test_recheck_top_and_seeded_sample_and_full_on_high_error_rate():
    w = _revealed(4, recheck_top=1, recheck_share="0.5")
    recheck = services.recheck_start(stage=w.stage, by=w.chief, seed="abc")
    reasons = sorted(recheck.items.values_list("reason", flat=True))
    assert reasons == ["sample", "sample", "top"]  # top 1 + ceil(0.5 × 3)
    assert recheck.seed == "abc"
    with pytest.raises(ValidationError, match="still to be re-checked"):
        services.recheck_complete(recheck=recheck, by=w.chief)
    for i, item in enumerate(recheck.items.all()):
        services.recheck_item_record(item=item, error_found=i == 0, note="错" if i == 0 else "", by=w.chief)
    full = services.recheck_complete(recheck=recheck, by=w.chief)  # 1/3 > 5%
    assert full.full and full.items.count() == 4
    recheck.refresh_from_db()
    assert recheck.status == Recheck.Status.FAILED
    with pytest.raises(ValidationError, match="re-check"):
        services.result_set_publish(stage=w.stage, by=w.officer)


def test_appeal_window_and_leader_only():
    leader = UserFactory()
    w = _revealed(2, leader=leader)
    reg = w.registrations[0]
    deadline = selectors.appeal_deadline(w.stage)
    assert deadline == w.stage.ends_at + dt.timedelta(hours=2)
    with pytest.raises(PermissionDenied):
        services.appeal_file(registration=reg, reason="评分有误", by=w.officer, now=deadline)
    with pytest.raises(ValidationError, match="window closed"):
        services.appeal_file(registration=reg, reason="评分有误", by=leader, now=deadline + dt.timedelta(seconds=1))
    assert not Appeal.objects.exists()
    appeal = services.appeal_file(
        registration=reg, reason="评分有误", by=leader, now=deadline - dt.timedelta(minutes=1)
    )
    assert appeal.status == Appeal.Status.PENDING


def test_upheld_appeal_changes_marks_through_remark():
    leader = UserFactory()
    w = _revealed(2, leader=leader)
    reg = w.registrations[0]
    appeal = services.appeal_file(registration=reg, reason="A1 应得满分", by=leader, now=w.stage.ends_at)
    number = reg.sealed.secret_number.number
    mark = Mark.objects.get(aspect=w.aspects[0], secret_number__number=number)
    new = 0 if mark.mark else 20
    with pytest.raises(ValidationError):
        services.appeal_rule(appeal=appeal, upheld=False, ruling="驳回", by=w.arbiter, remarks=[(mark, new)])
    services.appeal_rule(appeal=appeal, upheld=True, ruling="经仲裁，改判", by=w.arbiter, remarks=[(mark, new)])
    mark.refresh_from_db()
    assert mark.mark == new and mark.remarked
    from deltaunion.core.models import AuditEntry

    assert AuditEntry.objects.filter(action="mark.remark", object_id=str(mark.pk), note__contains="经仲裁").exists()


def test_publish_needs_appeal_window_closed_and_notice_then_final():
    w = _revealed(3)
    _recheck_pass(w)
    with pytest.raises(ValidationError, match="appeal window"):
        services.result_set_publish(stage=w.stage, by=w.officer, now=w.stage.ends_at + dt.timedelta(minutes=30))
    rs = services.result_set_publish(stage=w.stage, by=w.officer)
    assert rs.status == ResultSet.Status.NOTICE and rs.rows.count() == 3
    with pytest.raises(ValidationError, match="notice period"):
        services.result_set_finalise(result_set=rs, by=w.officer)
    later = rs.notice_until + dt.timedelta(minutes=1)
    objection = services.objection_file(result_set=rs, text="名次有误", contact="13800000000")
    with pytest.raises(ValidationError, match="objection"):
        services.result_set_finalise(result_set=rs, by=w.officer, now=later)
    services.objection_resolve(objection=objection, upheld=False, response="经核查无误", by=w.officer)
    rs = services.result_set_finalise(result_set=rs, by=w.officer, now=later)
    assert rs.status == ResultSet.Status.FINAL and len(rs.content_hash) == 64 and rs.previous_hash == ""
    with pytest.raises(ValidationError, match="immutable"):
        services.result_set_withdraw(result_set=rs, reason="x", by=w.officer)
    with pytest.raises(ValidationError, match="published"):
        services.mark_remark(mark=Mark.objects.first(), value=0, reason="x", by=w.chief)


def _finalise(rs, w):
    return services.result_set_finalise(result_set=rs, by=w.officer, now=rs.notice_until + dt.timedelta(seconds=1))


def test_hash_chain_links_and_tampering_is_detected():
    w, rs1 = _published(4)
    rs1 = _finalise(rs1, w)
    # A second stage of the same contest, fed by qualification.
    stage2 = services.stage_create(
        contest=w.contest,
        name="总决赛",
        by=w.officer,
        starts_at=timezone.now() - dt.timedelta(hours=5),
        ends_at=timezone.now() - dt.timedelta(hours=4),
    )
    quals = services.stage_qualify(stage=w.stage, next_stage=stage2, rule={"mode": "overall", "top": 2}, by=w.officer)
    assert quals and all(q.registration.stage_id == stage2.pk for q in quals)
    assert all("overall" in q.reason for q in quals)
    assert Registration.objects.filter(stage=stage2, source="qualification").count() == len(quals)
    with pytest.raises(ValidationError, match="already"):
        services.stage_qualify(stage=w.stage, next_stage=stage2, rule={"mode": "overall", "top": 2}, by=w.officer)
    # Run stage 2 through to final.
    w.stage = stage2
    w.registrations = [q.registration for q in quals]
    m = services.module_add(stage=stage2, name="实操", by=w.officer)
    a = services.aspect_add(module=m, code="C1", description="操作", kind="measurement", max_mark="10", by=w.officer)
    for role in w.judge_roles:
        services.judge_assign(module=m, judge=role, by=w.officer)
    stage2.status = Stage.Status.CHECKIN
    stage2.save()
    for reg in w.registrations:
        services.checkin_record(registration=reg, by=w.officer)
    services.draw_order(stage=stage2, by=w.officer)
    services.draw_numbers(stage=stage2, by=w.officer)
    for k, number in enumerate(stage2.secret_numbers.values_list("number", flat=True)):
        mk = services.mark_enter(aspect=a, number=number, value=10 if k == 0 else 0, by=w.judges[0])
        services.mark_confirm(mark=mk, by=w.judges[1])
    services.module_sign_off(module=m, by=w.chief)
    services.stage_reveal(stage=stage2, by=w.decryptor)
    stage2.refresh_from_db()
    _recheck_pass(w)
    rs2 = _finalise(services.result_set_publish(stage=stage2, by=w.officer), w)
    assert rs2.chain_index == 2 and rs2.previous_hash == rs1.content_hash
    report = selectors.result_chain_verify(w.contest)
    assert report.ok and report.checked == 2
    # Tamper with a stored row of the first set: detected.
    row = rs1.rows.order_by("rank").first()
    row.rank = 99
    row.save()
    assert not selectors.result_chain_verify(w.contest).ok
    row.rank = rs1.content["rows"][0]["rank"]
    row.save()
    assert selectors.result_chain_verify(w.contest).ok
    # Tamper with the hashed content itself: detected.
    content = dict(rs1.content)
    content["rows"][0]["total"] = "100.00"
    ResultSet.objects.filter(pk=rs1.pk).update(content=content)
    report = selectors.result_chain_verify(w.contest)
    assert not report.ok and any("altered" in p for p in report.problems)


def test_promotion_applied_once_and_certificates():
    w, rs = _published(4)
    services.prize_tier_add(contest=w.contest, kind="first", name="一等奖", rank_to=1, by=w.officer)
    services.prize_tier_add(contest=w.contest, kind="second", name="二等奖", share="0.5", by=w.officer)
    services.title_rule_add(contest=w.contest, title="技术能手", rank_to=2, by=w.officer)
    services.promotion_rule_add(
        contest=w.contest, level=w.stage.level, rank_to=2, current_level=4, new_level=3, by=w.officer
    )
    with pytest.raises(ValidationError):
        services.promotion_rule_add(
            contest=w.contest, level=w.stage.level, rank_to=1, current_level=3, new_level=4, by=w.officer
        )
    rs = _finalise(rs, w)
    top = list(rs.rows.filter(rank__lte=2))
    promoted = Award.objects.filter(result_set=rs, promoted_to=3)
    assert promoted.count() == len(top)
    for award in promoted:
        award.worker.refresh_from_db()
        assert award.worker.skill_level == 3 and award.promoted_from == 4
    records = SkillLevelRecord.objects.filter(source=SkillLevelRecord.Source.CONTEST).count()
    # Applying again changes nothing.
    again = services.awards_apply(result_set=rs, by=w.officer)
    assert len(again) == Award.objects.filter(result_set=rs).count()
    assert SkillLevelRecord.objects.filter(source=SkillLevelRecord.Source.CONTEST).count() == records == len(top)
    first = Award.objects.get(result_set=rs, rank=1) if rs.rows.filter(rank=1).count() == 1 else None
    if first is not None:
        assert first.prize_name == "一等奖" and first.title == "技术能手"
    cert = Certificate.objects.filter(kind="prize").first()
    info = selectors.certificate_verify(cert.code)
    assert info["valid"] and info["result_hash"] == rs.content_hash
    assert selectors.certificate_verify("NOPE") is None
    pdf = certificate_pdf(cert, base_url="https://example.org")
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000


def test_per_organisation_qualification_rule_validation():
    w, rs = _published(4)
    rs = _finalise(rs, w)
    stage2 = services.stage_create(contest=w.contest, name="复赛", by=w.officer)
    with pytest.raises(ValidationError):
        services.stage_qualify(stage=w.stage, next_stage=stage2, rule={"mode": "lucky", "top": 1}, by=w.officer)
    quals = services.stage_qualify(
        stage=w.stage, next_stage=stage2, rule={"mode": "per_organisation", "top": 1}, by=w.officer
    )
    orgs = [q.source_registration.organisation_id for q in quals]
    assert len(quals) >= 1 and all("per organisation" in q.reason for q in quals)
    assert len(set(orgs)) == len(set(r.organisation_id for r in w.registrations)) or len(quals) > len(set(orgs))

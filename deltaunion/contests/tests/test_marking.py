"""Marking: judges, conflicts, confirmation, flags, sign-off lock, re-mark audit, anonymity."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from deltaunion.contests import selectors, services
from deltaunion.contests.models import ContestRole, Mark, SealedMapping
from deltaunion.core.models import AuditEntry
from deltaunion.core.permissions import Forbidden

from .factories import UserFactory, build_world, mark_everything, register_and_draw, sign_off_all

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_draw_is_reproducible_from_recorded_seeds():
    from deltaunion.contests.services.anonymisation import draw_round1_order, draw_round2_numbers

    w = build_world()
    register_and_draw(w, 5)
    d1, d2 = w.stage.draws.order_by("round")
    ids = sorted(r.pk for r in w.registrations)
    assert d1.order == draw_round1_order(ids, d1.seed)
    expected = draw_round2_numbers(d1.order, d2.seed)
    assert {
        m.registration_id: m.secret_number.number for m in SealedMapping.objects.select_related("secret_number")
    } == expected
    assert sorted(expected.values()) == ["001", "002", "003", "004", "005"]


def test_bad_marks_are_refused_and_change_nothing():
    w = build_world()
    numbers = register_and_draw(w, 2)
    a1, a2, b1 = w.aspects
    judge = w.judges[0]
    cases = [
        (a1, numbers[0], 7, "full or zero"),
        (a1, numbers[0], 25, "between 0 and"),
        (b1, numbers[0], 4, "whole number from 0 to 3"),
        (b1, numbers[0], "1.5", "whole number from 0 to 3"),
        (a1, "999", 20, "No competitor"),
        (a1, numbers[0], "abc", "Enter a number"),
    ]
    for aspect, number, value, fragment in cases:
        with pytest.raises(ValidationError) as exc:
            services.mark_enter(aspect=aspect, number=number, value=value, by=judge)
        assert fragment in exc.value.messages[0]
    assert not Mark.objects.exists()


def test_aspect_not_assigned_and_not_a_judge():
    w = build_world()
    numbers = register_and_draw(w, 2)
    a1, a2, b1 = w.aspects
    assignment = w.judge_roles[0].assignments.get(module=w.modules[0])
    assignment.aspects.set([a1])
    # Who may mark what is a permission: refused with its message (403), nothing entered.
    with pytest.raises(Forbidden, match="not assigned to this aspect"):
        services.mark_enter(aspect=a2, number=numbers[0], value="5", by=w.judges[0])
    with pytest.raises(Forbidden, match="assigned to this module"):
        services.mark_enter(aspect=a1, number=numbers[0], value=20, by=UserFactory())
    assert not Mark.objects.exists()
    services.mark_enter(aspect=a1, number=numbers[0], value=20, by=w.judges[0])
    assert Mark.objects.count() == 1


def test_conflicted_judge_is_excluded_same_employer_and_same_city():
    w = build_world(conflict_same_city=True)
    register_and_draw(w, 4)
    mapping = {
        m.secret_number.number: m.registration
        for m in SealedMapping.objects.select_related("secret_number", "registration__worker")
    }
    # Judge 0 now works at employer 0; judge 1 is in Nanjing (city of employer 1).
    role0 = w.judge_roles[0]
    role0.employer = w.employers[0]
    role0.save()
    role1 = w.judge_roles[1]
    role1.city_id = "320100"
    role1.save()
    a1 = w.aspects[0]
    for number, reg in mapping.items():
        same_employer = reg.worker.employer_id == w.employers[0].pk
        if same_employer:
            with pytest.raises(ValidationError, match="conflict of interest"):
                services.mark_enter(aspect=a1, number=number, value=20, by=w.judges[0])
        else:
            services.mark_enter(aspect=a1, number=number, value=20, by=w.judges[0])
    visible0 = {c["number"] for c in selectors.judge_worklist(module=w.modules[0], user=w.judges[0])["competitors"]}
    visible1 = {c["number"] for c in selectors.judge_worklist(module=w.modules[0], user=w.judges[1])["competitors"]}
    assert visible0 == {n for n, r in mapping.items() if r.worker.employer_id != w.employers[0].pk}
    assert visible1 == {n for n, r in mapping.items() if r.worker.employer.region_id != "320100"}
    # A conflicted judge cannot confirm either.
    nanjing = next(n for n, r in mapping.items() if r.worker.employer.region_id == "320100")
    mark = Mark.objects.get(secret_number__number=nanjing, aspect=a1)
    with pytest.raises(ValidationError, match="conflict of interest"):
        services.mark_confirm(mark=mark, by=w.judges[1])


def test_confirmation_by_a_second_judge_and_rejection():
    w = build_world()
    numbers = register_and_draw(w, 2)
    a1 = w.aspects[0]
    mark = services.mark_enter(aspect=a1, number=numbers[0], value=20, by=w.judges[0])
    with pytest.raises(ValidationError, match="another judge must confirm"):
        services.mark_confirm(mark=mark, by=w.judges[0])
    with pytest.raises(ValidationError, match="Another judge entered"):
        services.mark_enter(aspect=a1, number=numbers[0], value=0, by=w.judges[1])
    mark = services.mark_reject(mark=mark, reason="读数有误", by=w.judges[1])
    assert mark.status == Mark.Status.REJECTED
    mark = services.mark_enter(aspect=a1, number=numbers[0], value=0, by=w.judges[0])
    assert mark.status == Mark.Status.ENTERED and mark.mark == 0
    mark = services.mark_confirm(mark=mark, by=w.judges[1])
    assert mark.status == Mark.Status.CONFIRMED
    with pytest.raises(ValidationError, match="only a re-mark"):
        services.mark_enter(aspect=a1, number=numbers[0], value=20, by=w.judges[0])
    with pytest.raises(ValidationError):
        services.mark_confirm(mark=mark, by=w.judges[2])


def test_judgement_spread_flag_blocks_sign_off_until_resolved():
    w = build_world()
    numbers = register_and_draw(w, 1)
    b1 = w.aspects[2]
    for i, score in enumerate([0, 2, 2]):
        m = services.mark_enter(aspect=b1, number=numbers[0], value=score, by=w.judges[i])
        services.mark_confirm(mark=m, by=w.judges[3])
    assert Mark.objects.filter(aspect=b1, flagged=True).count() == 3
    with pytest.raises(ValidationError, match="flagged"):
        services.module_sign_off(module=w.modules[1], by=w.chief)
    services.mark_flag_resolve(aspect=b1, number=numbers[0], by=w.chief)
    services.module_sign_off(module=w.modules[1], by=w.chief)


def test_sign_off_requires_complete_confirmed_marks_and_locks():
    w = build_world()
    numbers = register_and_draw(w, 2)
    with pytest.raises(ValidationError, match="missing"):
        services.module_sign_off(module=w.modules[0], by=w.chief)
    with pytest.raises(PermissionDenied):
        services.module_sign_off(module=w.modules[0], by=w.judges[0])
    mark_everything(w)
    sign_off_all(w)
    a1 = w.aspects[0]
    mark = Mark.objects.get(aspect=a1, secret_number__number=numbers[0])
    before = (mark.value, mark.status)
    with pytest.raises(ValidationError, match="locked"):
        services.mark_enter(aspect=a1, number=numbers[0], value=0, by=w.judges[0])
    mark.refresh_from_db()
    assert (mark.value, mark.status) == before


def test_remark_after_sign_off_is_audited_with_reason():
    w = build_world()
    numbers = register_and_draw(w, 2)
    mark_everything(w)
    sign_off_all(w)
    mark = Mark.objects.get(aspect=w.aspects[0], secret_number__number=numbers[0])
    old = mark.mark
    with pytest.raises(ValidationError, match="reason"):
        services.mark_remark(mark=mark, value=0, reason=" ", by=w.chief)
    with pytest.raises(PermissionDenied):
        services.mark_remark(mark=mark, value=0, reason="复核", by=w.judges[0])
    new_value = 0 if old else 20
    services.mark_remark(mark=mark, value=new_value, reason="复核发现读数错误", by=w.chief)
    mark.refresh_from_db()
    assert mark.mark == new_value and mark.remarked
    entry = AuditEntry.objects.get(action="mark.remark", object_id=str(mark.pk))
    assert entry.note == "复核发现读数错误"
    assert Decimal(entry.before["mark"]) == old and Decimal(entry.after["mark"]) == new_value


def test_judge_selectors_never_leak_names_or_id_numbers():
    w = build_world()
    numbers = register_and_draw(w, 4)
    mark_everything(w)
    for judge in w.judges:
        payload = {
            "modules": [m.name for m in selectors.judge_modules(user=judge)],
            "worklists": [selectors.judge_worklist(module=m, user=judge) for m in w.modules],
            "queues": [selectors.judge_confirmation_queue(module=m, user=judge) for m in w.modules],
            "progress": selectors.stage_progress(w.stage),
            "board": selectors.stage_board(w.stage),
        }
        text = json.dumps(payload, default=str, ensure_ascii=False)
        assert any(n in text for n in numbers)
        for reg in w.registrations:
            assert reg.worker.name not in text
            assert reg.worker.id_number not in text
            assert str(reg.organisation) not in text
    with pytest.raises(ValidationError):
        selectors.stage_results(w.stage)


def test_reveal_only_by_decryptor_after_sign_off_and_audited():
    w = build_world()
    register_and_draw(w, 3)
    mark_everything(w)
    with pytest.raises(PermissionDenied):
        services.stage_reveal(stage=w.stage, by=w.chief)
    with pytest.raises(ValidationError, match="signed off"):
        services.stage_reveal(stage=w.stage, by=w.decryptor)
    sign_off_all(w)
    services.stage_reveal(stage=w.stage, by=w.decryptor)
    assert AuditEntry.objects.filter(action="stage.reveal", actor=w.decryptor).exists()
    w.stage.refresh_from_db()
    names = {r["name"] for r in selectors.stage_results(w.stage)}
    assert names == {r.worker.name for r in w.registrations}


def test_tampered_mapping_blocks_reveal():
    w = build_world()
    register_and_draw(w, 3)
    mark_everything(w)
    sign_off_all(w)
    a, b = SealedMapping.objects.order_by("id")[:2]
    ra = a.registration_id
    a.delete()
    b.registration_id = ra
    b.save()
    with pytest.raises(ValidationError, match="altered"):
        services.stage_reveal(stage=w.stage, by=w.decryptor)


def test_theory_score_range():
    w = build_world()
    numbers = register_and_draw(w, 1)
    with pytest.raises(ValidationError, match="between 0 and"):
        services.theory_score_set(stage=w.stage, number=numbers[0], score=101, by=w.chief)
    sn = services.theory_score_set(stage=w.stage, number=numbers[0], score="88.5", by=w.chief)
    assert sn.theory_score == Decimal("88.50")
    with pytest.raises(PermissionDenied):
        services.theory_score_set(stage=w.stage, number=numbers[0], score=1, by=w.judges[0])


def test_ranking_uses_weights_and_board_freezes():
    w = build_world()
    numbers = register_and_draw(w, 2)
    scores = {numbers[0]: (20, 500, [3, 3, 3]), numbers[1]: (0, 510, [1, 1, 1])}
    mark_everything(w, scores)
    services.theory_score_set(stage=w.stage, number=numbers[0], score=50, by=w.chief)
    services.theory_score_set(stage=w.stage, number=numbers[1], score=100, by=w.chief)
    ranked = {r.score.key: r for r in selectors.stage_ranking(w.stage)}
    # practical max 60: n0 = 20+10+30 = 60 → 100; total 0.3×50 + 0.7×100 = 85
    assert ranked[numbers[0]].score.total == Decimal("85.00") and ranked[numbers[0]].rank == 1
    # n1 = 0 + 5 (5.10 is 0.10 off: half-share band) + 10 = 15 → 25; total 30 + 0.7 × 25 = 47.5
    assert ranked[numbers[1]].score.total == Decimal("47.50")
    assert ranked[numbers[1]].score.modules == (Decimal("5.00"), Decimal("10.00"))
    sign_off_all(w)
    services.stage_reveal(stage=w.stage, by=w.decryptor)
    w.stage.refresh_from_db()
    assert selectors.stage_board(w.stage)["ranking"][0]["number"] == numbers[0]
    services.board_freeze(stage=w.stage, frozen=True, by=w.officer)
    w.stage.refresh_from_db()
    board = selectors.stage_board(w.stage)
    assert board["frozen"] and board["ranking"] is None and board["progress"]["modules_signed_off"] == 2


def test_contest_role_kinds():
    w = build_world()
    assert set(ContestRole.objects.filter(contest=w.contest).values_list("role", flat=True)) == {
        "judge",
        "chief_judge",
        "arbiter",
        "decryptor",
    }

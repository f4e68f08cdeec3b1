"""Results that hold up to an audit (issue 10): voiding a stray mark, a result chain that covers
every published field, totals that re-add from the printed components, the rules page and the
result sheets."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deltaunion.contests import scoring, selectors, services
from deltaunion.contests.models import Contest, ContestRole, Mark, ResultRow, ResultSet
from deltaunion.contests.services.marking import compute_mark, mark_void
from deltaunion.core.audit import history
from deltaunion.core.models import AuditEntry, Notification
from deltaunion.core.permissions import Forbidden
from deltaunion.core.statemachine import TransitionError
from deltaunion.core.testing import read_xlsx

from .factories import UserFactory, build_world, mark_everything, register_and_draw, sign_off_all

pytestmark = pytest.mark.django_db

BROKEN = "存证校验未通过"


def _open(w):
    services.contest_update(contest=w.contest, status=Contest.Status.OPEN, by=w.officer)
    w.contest.refresh_from_db()
    return w


def _read(items) -> str:
    """History items as the text a reader sees."""
    return " ".join(
        f"{i.actor} {i.action} {i.object} {i.note} " + " ".join(f"{c.field} {c.before} {c.after}" for c in i.changes)
        for i in items
    )


# --- 3. voiding a stray mark --------------------------------------------------------------------


def _stray_judgement(w, number):
    """A fourth judge marks B1 where three were meant to: the extra score drags the mark."""
    return services.mark_enter(aspect=w.aspects[2], number=number, value=0, by=w.judges[3])


def test_a_stray_mark_blocks_sign_off_until_the_chief_judge_voids_it(english):
    w = build_world()
    numbers = register_and_draw(w, 2)
    mark_everything(w)
    stray = _stray_judgement(w, numbers[0])
    b1_module = w.modules[1]
    with pytest.raises(ValidationError, match="not confirmed"):
        services.module_sign_off(module=b1_module, by=w.chief)
    voided = mark_void(mark=stray, reason="该裁判不负责B1", by=w.chief)
    assert voided.status == Mark.Status.VOIDED and voided.void_reason == "该裁判不负责B1"
    assert voided.voided_by == w.chief and voided.voided_at is not None
    services.module_sign_off(module=b1_module, by=w.chief)
    # It counts nowhere: the aspect mark is over the three judges (30 × 7 / 9 = 23.33).
    components = selectors.stage_components(w.stage)
    assert components[numbers[0]].aspects[w.aspects[2].pk] == Decimal("23.33")
    assert selectors.stage_progress(w.stage)["marks_entered"] == 2 * (2 + 3)
    assert selectors.module_missing_marks(b1_module) == []


def test_a_confirmed_stray_mark_counts_the_extra_judge_until_voided(english):
    w = build_world()
    numbers = register_and_draw(w, 2)
    mark_everything(w)
    stray = _stray_judgement(w, numbers[0])
    services.mark_confirm(mark=stray, by=w.judges[0])
    with_extra = selectors.stage_components(w.stage)[numbers[0]].aspects[w.aspects[2].pk]
    assert with_extra == Decimal("17.50")  # 30 × 7 / 12: the extra judge counted
    mark_void(mark=stray, reason="录入错误", by=w.chief)
    ranking = {r.score.key: r for r in selectors.stage_ranking(w.stage)}
    assert selectors.stage_components(w.stage)[numbers[0]].aspects[w.aspects[2].pk] == Decimal("23.33")
    assert ranking[numbers[0]].score.total == selectors.stage_components(w.stage)[numbers[0]].total


def test_an_entry_on_the_wrong_competitor_is_voided_and_the_right_one_entered(english):
    w = build_world()
    numbers = register_and_draw(w, 2)
    a1 = w.aspects[0]
    wrong = services.mark_enter(aspect=a1, number=numbers[1], value=20, by=w.judges[0])  # meant for numbers[0]
    with pytest.raises(ValidationError, match="Another judge"):
        services.mark_enter(aspect=a1, number=numbers[1], value=0, by=w.judges[1])
    mark_void(mark=wrong, reason="录到了另一名选手", by=w.chief)
    right = services.mark_enter(aspect=a1, number=numbers[1], value=0, by=w.judges[1])
    assert right.status == Mark.Status.ENTERED and right.pk != wrong.pk
    assert Mark.objects.filter(aspect=a1, secret_number__number=numbers[1]).count() == 2
    # The judge whose mark was voided may enter again on the aspect too (the voided row no longer holds the place).
    again = services.mark_enter(aspect=w.aspects[2], number=numbers[0], value=2, by=w.judges[3])
    mark_void(mark=again, reason="不负责", by=w.chief)
    assert services.mark_enter(aspect=w.aspects[2], number=numbers[0], value=3, by=w.judges[3]).mark == 3


def test_only_the_chief_judge_voids_and_never_their_own_mark(english):
    w = build_world()
    numbers = register_and_draw(w, 2)
    stray = _stray_judgement(w, numbers[0])
    for user in (w.judges[0], w.judges[3], w.officer, w.arbiter):
        with pytest.raises(Forbidden, match="chief judge"):
            mark_void(mark=stray, reason="x", by=user)
    # The chief judge who also judges cannot void a mark they entered; another chief judge can.
    chief_role = ContestRole.objects.get(contest=w.contest, user=w.chief)
    services.judge_assign(module=w.modules[1], judge=chief_role, by=w.officer)
    own = services.mark_enter(aspect=w.aspects[2], number=numbers[1], value=1, by=w.chief)
    with pytest.raises(Forbidden):
        mark_void(mark=own, reason="x", by=w.chief)
    second = UserFactory()
    services.contest_role_grant(contest=w.contest, user=second, role=ContestRole.Kind.CHIEF_JUDGE, by=w.officer)
    mark_void(mark=own, reason="主裁判误录", by=second)
    stray.refresh_from_db()
    assert stray.status == Mark.Status.ENTERED
    assert not AuditEntry.objects.filter(action="mark.void", object_id=str(stray.pk)).exists()
    with pytest.raises(ValidationError, match="reason"):
        mark_void(mark=stray, reason="  ", by=w.chief)
    stray.refresh_from_db()
    assert stray.status == Mark.Status.ENTERED


def test_after_sign_off_voiding_is_refused_and_a_voided_mark_goes_nowhere(english):
    w = build_world()
    numbers = register_and_draw(w, 2)
    mark_everything(w)
    stray = _stray_judgement(w, numbers[0])
    mark_void(mark=stray, reason="多余评分", by=w.chief)
    with pytest.raises(TransitionError):
        mark_void(mark=stray, reason="again", by=w.chief)
    with pytest.raises(TransitionError):
        services.mark_confirm(mark=stray, by=w.judges[0])
    with pytest.raises(ValidationError, match="voided"):
        services.mark_remark(mark=stray, value=3, reason="x", by=w.chief)
    stray.refresh_from_db()
    assert (stray.status, stray.mark) == (Mark.Status.VOIDED, Decimal("0.00"))
    sign_off_all(w)
    confirmed = Mark.objects.filter(aspect=w.aspects[0], secret_number__number=numbers[0]).get()
    with pytest.raises(ValidationError, match="signed off"):
        mark_void(mark=confirmed, reason="太晚了", by=w.chief)
    confirmed.refresh_from_db()
    assert confirmed.status == Mark.Status.CONFIRMED


def test_a_voided_mark_stays_in_the_history_with_its_reason(client):
    w = build_world()
    numbers = register_and_draw(w, 2)
    stray = _stray_judgement(w, numbers[0])
    mark_void(mark=stray, reason="该裁判不负责此项", by=w.chief)
    sentences = _read(history(stray))
    assert "作废" in sentences and "该裁判不负责此项" in sentences and "作废原因" in sentences
    assert "该裁判不负责此项" in _read(selectors.stage_history(w.stage))
    headers, rows = selectors.module_score_sheet(w.modules[1])
    assert any("该裁判不负责此项" in row and "已作废" in row for row in rows), rows
    # The module's marks page shows it struck out with its reason; the chief judge voids there.
    client.force_login(w.chief)
    page = client.get(reverse("contests:module_marks", args=[w.modules[1].pk])).content.decode()
    assert "该裁判不负责此项" in page and 'data-testid="void-reason"' in page
    other = services.mark_enter(aspect=w.aspects[2], number=numbers[1], value=1, by=w.judges[3])
    response = client.post(
        reverse("contests:module_marks", args=[w.modules[1].pk]), {"mark": other.pk, "reason": "不负责"}
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.status == Mark.Status.VOIDED
    # A judge may see the stage but not this page (403); no void button for the organisers.
    client.force_login(w.judges[0])
    assert client.get(reverse("contests:module_marks", args=[w.modules[1].pk])).status_code == 403
    client.force_login(w.officer)
    page = client.get(reverse("contests:module_marks", args=[w.modules[1].pk])).content.decode()
    assert 'data-testid="mark-row"' in page and 'data-testid="void"' not in page
    refused = client.post(reverse("contests:module_marks", args=[w.modules[1].pk]), {"mark": other.pk, "reason": "x"})
    assert refused.status_code == 403


# --- 2. a chain that covers everything it claims ----------------------------------------------------


def _final(n=4, **settings_):
    w = _open(build_world(**settings_))
    register_and_draw(w, n)
    mark_everything(w)
    for number in sorted(w.stage.secret_numbers.values_list("number", flat=True)):
        services.theory_score_set(stage=w.stage, number=number, score=60 + int(number) * 7, by=w.chief)
    sign_off_all(w)
    services.stage_reveal(stage=w.stage, by=w.decryptor)
    w.stage.refresh_from_db()
    recheck = services.recheck_start(stage=w.stage, by=w.chief, seed="audit")
    for item in recheck.items.all():
        services.recheck_item_record(item=item, error_found=False, by=w.chief)
    services.recheck_complete(recheck=recheck, by=w.chief)
    rs = services.result_set_publish(stage=w.stage, by=w.officer)
    return w, rs


def _finalise(w, rs):
    return services.result_set_finalise(result_set=rs, by=w.officer, now=rs.notice_until + dt.timedelta(seconds=1))


ROW_CHANGES = {
    "organisation_name": lambda r: {"organisation_name": "另一个工会"},
    "theory": lambda r: {"theory": r.theory + 1},
    "practical": lambda r: {"practical": r.practical + 1},
    "number": lambda r: {"number": "999"},
    "standardised": lambda r: {"standardised": r.standardised + 1},
    "total": lambda r: {"total": r.total + Decimal("0.01")},
    "rank": lambda r: {"rank": r.rank + 5},
    "name": lambda r: {"name": "某某"},
    "modules": lambda r: {"modules": [str(Decimal(m) + 1) for m in r.modules]},
    "theory_percent": lambda r: {"theory_percent": r.theory_percent + 1},
    "practical_percent": lambda r: {"practical_percent": r.practical_percent + 1},
}
SET_CHANGES = {
    "published_at": lambda s: {"published_at": s.published_at - dt.timedelta(days=1)},
    "notice_until": lambda s: {"notice_until": s.notice_until + dt.timedelta(days=1)},
    "finalised_at": lambda s: {"finalised_at": s.finalised_at + dt.timedelta(minutes=1)},
    "rules_version": lambda s: {"rules_version": "1999.1"},
    "content": lambda s: {"content": {**s.content, "weights": {"theory": "0.5", "practical": "0.5"}}},
}


def test_every_published_field_is_covered_by_the_chain(client, django_capture_on_commit_callbacks):
    w, rs = _final(4, standardise=True)
    rs = _finalise(w, rs)
    assert selectors.result_chain_verify(w.contest).ok
    url = reverse("contests:results", args=[w.stage.pk])
    assert BROKEN not in client.get(url).content.decode()
    row = rs.rows.order_by("rank", "number").first()
    assert row.standardised is not None and row.modules and row.theory_percent is not None
    for column, change in ROW_CHANGES.items():
        with transaction.atomic():
            ResultRow.objects.filter(pk=row.pk).update(**change(row))
            assert selectors.result_set_hash(ResultSet.objects.get(pk=rs.pk)) != rs.content_hash, column
            assert not selectors.result_chain_verify(w.contest).ok, column
            with django_capture_on_commit_callbacks(execute=True):
                page = client.get(url).content.decode()
            assert BROKEN in page, column
            transaction.set_rollback(True)
    for column, change in SET_CHANGES.items():
        with transaction.atomic():
            ResultSet.objects.filter(pk=rs.pk).update(**change(rs))
            assert selectors.result_set_hash(ResultSet.objects.get(pk=rs.pk)) != rs.content_hash, column
            assert not selectors.result_chain_verify(w.contest).ok, column
            assert BROKEN in client.get(url).content.decode(), column
            transaction.set_rollback(True)
    assert selectors.result_chain_verify(w.contest).ok
    assert BROKEN not in client.get(url).content.decode()


def test_the_hash_covers_the_sets_contest_and_stage():
    w, rs = _final(2)
    rs = _finalise(w, rs)
    sealed = selectors.result_set_hash(rs)
    assert sealed == rs.content_hash
    for field_name in ("contest_id", "stage_id"):
        moved = ResultSet.objects.get(pk=rs.pk)
        setattr(moved, field_name, getattr(moved, field_name) + 1000)
        assert selectors.result_set_hash(moved) != sealed, field_name


def test_a_row_rewritten_with_its_hash_is_caught_by_the_recomputation_from_the_marks(english):
    """A forger who changes a row, the content and the hash together (the last set of the chain
    has no successor to betray it) is caught by recomputing the scores from the confirmed marks."""
    w, rs = _final(3)
    rs = _finalise(w, rs)
    row = rs.rows.order_by("rank", "number").last()
    total = row.total + 5
    ResultRow.objects.filter(pk=row.pk).update(total=total)
    content = dict(rs.content)
    content["rows"] = [dict(r, total=str(total)) if r["number"] == row.number else r for r in content["rows"]]
    ResultSet.objects.filter(pk=rs.pk).update(content=content)
    rs.refresh_from_db()
    ResultSet.objects.filter(pk=rs.pk).update(content_hash=selectors.result_set_hash(rs))
    report = selectors.result_chain_verify(w.contest)
    assert not report.ok
    assert len(report.problems) == 1 and "recomputed from the confirmed marks" in report.problems[0]
    assert row.number in report.problems[0]


def test_results_on_notice_are_sealed_too_and_tampering_blocks_finalising(client, english):
    w, rs = _final(3)
    assert len(rs.content_hash) == 64 and rs.rules_version == scoring.RULES_VERSION
    assert selectors.result_set_verify(rs) == []
    row = rs.rows.first()
    ResultRow.objects.filter(pk=row.pk).update(organisation_name="改过的工会")
    assert selectors.result_set_verify(rs)
    with pytest.raises(ValidationError, match="do not verify"):
        _finalise(w, rs)
    rs.refresh_from_db()
    assert rs.status == ResultSet.Status.NOTICE


def test_the_managers_are_told_once_when_the_public_page_finds_a_break(client, django_capture_on_commit_callbacks):
    w, rs = _final(3)
    organiser = UserFactory()
    services.contest_role_grant(contest=w.contest, user=organiser, role=ContestRole.Kind.ORGANISER, by=w.officer)
    outsider = UserFactory()
    url = reverse("contests:results", args=[w.stage.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)
    assert not Notification.objects.filter(kind="contests.results_integrity").exists()
    ResultRow.objects.filter(pk=rs.rows.first().pk).update(practical=Decimal("99.99"))
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(url).content.decode()
    assert BROKEN in page and 'data-testid="integrity-failed"' in page
    told = Notification.objects.filter(kind="contests.results_integrity")
    assert set(told.values_list("recipient", flat=True)) == {w.officer.pk, organiser.pk}
    assert outsider.pk not in set(told.values_list("recipient", flat=True))
    assert all(n.url == reverse("contests:chain", args=[w.contest.pk]) for n in told)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)
    assert told.count() == 2  # the same problems are not told twice
    entry = AuditEntry.objects.get(action="result_set.integrity_alert")
    assert entry.actor is None and entry.object_id == str(rs.pk)


# --- 1. the published total re-adds from the published components ------------------------------------


@pytest.fixture
def marking_world():
    w = build_world(n_judges=6, tie_breaks=["modules", "practical", "theory"], standardise=True)
    numbers = register_and_draw(w, 5)
    return w, numbers


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_published_totals_follow_the_formula_whatever_the_marks_judges_weights_and_entry_order(marking_world, data):
    """For random marks, judge counts and weights (marks inserted in a random order, then in
    sorted order): the ranking the engine publishes equals the formula applied to the printed
    components of the result sheet, and ranks do not depend on the order of entry."""
    w, numbers = marking_world
    a1, a2, b1 = w.aspects
    theory_weight = Decimal(data.draw(st.integers(0, 1000), label="theory ‰")) / 1000
    plan = []
    for number in numbers:
        judges = data.draw(st.integers(3, 6), label="judges")
        plan.append(
            (
                number,
                data.draw(st.sampled_from([0, 20])),
                data.draw(st.integers(480, 520)) / Decimal(100),
                data.draw(st.lists(st.integers(0, 3), min_size=judges, max_size=judges)),
                Decimal(data.draw(st.integers(0, 10000))) / 100,
            )
        )
    order_seed = data.draw(st.integers(0, 2**32), label="entry order")
    with transaction.atomic():
        Contest.objects.filter(pk=w.contest.pk).update(theory_weight=theory_weight, practical_weight=1 - theory_weight)
        w.stage.refresh_from_db()
        ids = dict(w.stage.secret_numbers.values_list("number", "id"))
        marks = []
        for number, a1_value, a2_value, b1_scores, theory in plan:
            w.stage.secret_numbers.filter(number=number).update(theory_score=theory)
            _v, a2_mark = compute_mark(a2, a2_value)
            marks.append((a1, number, Decimal(a1_value), Decimal(a1_value), w.judges[0]))
            marks.append((a2, number, a2_value, a2_mark, w.judges[0]))
            marks += [(b1, number, Decimal(s), Decimal(s), w.judges[j]) for j, s in enumerate(b1_scores)]

        def insert(rows):
            Mark.objects.filter(aspect__module__stage=w.stage).delete()
            Mark.objects.bulk_create(
                [
                    Mark(
                        aspect=aspect,
                        secret_number_id=ids[number],
                        kind=aspect.kind,
                        entered_by=judge,
                        value=value,
                        mark=mark,
                        status=Mark.Status.CONFIRMED,
                        confirmed_by=w.chief,
                    )
                    for aspect, number, value, mark, judge in rows
                ]
            )
            return [(r.score.key, r.rank, r.score.total, r.standardised) for r in selectors.stage_ranking(w.stage)]

        shuffled = list(marks)
        random.Random(order_seed).shuffle(shuffled)
        first = insert(shuffled)
        _title, headers, rows = selectors.results_workbook(w.stage)[0]
        assert insert(marks) == first
        scheme = selectors.stage_scheme(w.stage)
        tw, pw = scheme.theory_weight, scheme.practical_weight
        n_modules = len(scheme.modules)
        components = selectors.stage_components(w.stage, scheme)
        for (key, rank, total, standardised), row in zip(first, rows, strict=True):
            number, theory, theory_pct, *rest = row[1:]
            modules, (practical, practical_pct, printed_total, printed_std) = rest[:n_modules], rest[n_modules:]
            assert (row[0], number, total, standardised) == (rank, key, printed_total, printed_std)
            assert practical == sum(modules, Decimal(0))
            assert practical_pct == scoring.q2(100 * practical / scheme.practical_max)
            assert theory_pct == scoring.q2(100 * theory / scheme.theory_max)
            assert printed_total == scoring.q2(tw * theory_pct + pw * practical_pct)
            c = components[number]
            assert list(c.modules) == modules
            for module_id, module_score in zip((m for m, _n in scheme.modules), modules, strict=True):
                aspects = [c.aspects.get(a["id"], 0) for a in scheme.aspects if a["module_id"] == module_id]
                assert module_score == sum(aspects, Decimal(0))
        transaction.set_rollback(True)


# --- the rules page and the result sheets ---------------------------------------------------------------


def test_the_rules_page_shows_the_rule_and_its_worked_example(client):
    w = _open(build_world(theory_weight="0.3", practical_weight="0.7"))
    page = client.get(reverse("contests:rules", args=[w.contest.pk])).content.decode()
    assert "评分规则" in page and "四舍五入" in page
    for figure in ("4.44", "4.4444", "13.32", "44.40", "55.08", "55.1111", "0.125 → 0.13", "0.135 → 0.14"):
        assert figure in page, figure
    assert "× 30%" in page and "× 70%" in page
    assert scoring.RULES_VERSION in page
    detail = client.get(reverse("contests:detail", args=[w.contest.pk])).content.decode()
    assert reverse("contests:rules", args=[w.contest.pk]) in detail


def test_result_sheets_print_every_component_and_the_rule(client):
    w, rs = _final(3)
    client.force_login(w.officer)
    data = client.get(reverse("contests:results_export", args=[w.stage.pk])).content
    ranking, aspects, rule = (read_xlsx(data, i) for i in range(3))
    header = ranking[0]
    assert header[:6] == ["名次", "加密号", "选手", "推荐工会", "理论", "理论（百分制）"]
    assert "实操（百分制）" in header and any("总成绩" in str(h) for h in header)
    assert len(ranking) == 4 and len(aspects) == 1 + 3 * 3
    assert any("四舍五入" in str(line) for line in rule)
    published = {r.number: r for r in rs.rows.all()}
    for line in ranking[1:]:
        row = published[line[1]]
        assert Decimal(str(line[-1])) == row.total and line[0] == row.rank
    pdf = client.get(reverse("contests:results_pdf", args=[w.stage.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and len(pdf.content) > 3000
    client.force_login(w.judges[0])
    assert client.get(reverse("contests:results_pdf", args=[w.stage.pk])).status_code == 403

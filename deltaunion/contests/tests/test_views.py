"""The contest web pages: scoping, anonymity of judges' pages, import, certificates, board."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import Workbook

from deltaunion.contests import services
from deltaunion.contests.models import Certificate, Contest, Registration, Stage
from deltaunion.core.testing import read_xlsx
from deltaunion.orgs.models import Organisation

from .factories import (
    OrganisationFactory,
    build_world,
    mark_everything,
    officer_for,
    register_and_draw,
    sign_off_all,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _public(w):
    services.contest_update(contest=w.contest, status=Contest.Status.OPEN, by=w.officer)
    w.contest.refresh_from_db()
    return w


def _xlsx(rows, headers=("身份证号", "姓名")) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for r in rows:
        ws.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "entries.xlsx"
    return buf


def _revealed(n=4):
    w = _public(build_world())
    register_and_draw(w, n)
    mark_everything(w)
    sign_off_all(w)
    services.stage_reveal(stage=w.stage, by=w.decryptor)
    w.stage.refresh_from_db()
    return w


def _final(w):
    services.prize_tier_add(contest=w.contest, kind="first", name="一等奖", rank_to=1, by=w.officer)
    services.prize_tier_add(contest=w.contest, kind="second", name="二等奖", share="1", by=w.officer)
    recheck = services.recheck_start(stage=w.stage, by=w.chief, seed="s")
    for item in recheck.items.all():
        services.recheck_item_record(item=item, error_found=False, by=w.chief)
    services.recheck_complete(recheck=recheck, by=w.chief)
    rs = services.result_set_publish(stage=w.stage, by=w.officer)
    return services.result_set_finalise(result_set=rs, by=w.officer, now=rs.notice_until + dt.timedelta(seconds=1))


# --- scoping -----------------------------------------------------------------------------------


def test_officer_of_another_province_is_refused_on_a_public_stage_and_gets_404_on_a_draft(client):
    w = _public(build_world())
    register_and_draw(w, 2)
    other_province = OrganisationFactory(name="另一省总工会", kind=Organisation.Kind.PROVINCIAL)
    stranger = officer_for(other_province)
    # The contest is public, so its stage is too: the officers' pages refuse with a message (403).
    officer_pages = [
        reverse("contests:registrations", args=[w.stage.pk]),
        reverse("contests:registrations_export", args=[w.stage.pk]),
        reverse("contests:import", args=[w.stage.pk]),
        reverse("contests:checkin_export", args=[w.stage.pk]),
        reverse("contests:stage", args=[w.stage.pk]),
        reverse("contests:scheme", args=[w.stage.pk]),
        reverse("contests:results_export", args=[w.stage.pk]),
        reverse("contests:score_sheet", args=[w.modules[0].pk]),
    ]
    client.force_login(stranger)
    for url in officer_pages:
        response = client.get(url)
        assert response.status_code == 403, url
        assert 'data-testid="error-403"' in response.content.decode(), url
    refused = client.post(reverse("contests:stage_action", args=[w.stage.pk]), {"action": "reveal"})
    assert refused.status_code == 403 and "本赛段的工作人员" in refused.content.decode()
    # A judge reaches a module only through an assignment, and a registration is its union's: 404.
    assert client.get(reverse("contests:judge_mark", args=[w.modules[0].pk])).status_code == 404
    reg = w.registrations[0]
    assert client.post(reverse("contests:checkin", args=[reg.pk])).status_code == 404
    w.stage.refresh_from_db()
    assert w.stage.revealed_at is None
    # The contest's own officer sees the page with the names.
    client.force_login(w.officer)
    response = client.get(officer_pages[0])
    assert response.status_code == 200
    assert reg.worker.name in response.content.decode()
    # A draft contest is not even public: the stranger gets 404 on the contest and all of it.
    # (Checked in, the contest is running and has no transition back to draft: set it here.)
    Contest.objects.filter(pk=w.contest.pk).update(status=Contest.Status.DRAFT)
    client.force_login(stranger)
    assert client.get(reverse("contests:detail", args=[w.contest.pk])).status_code == 404
    for url in officer_pages:
        assert client.get(url).status_code == 404, url


def test_contest_list_detail_and_export(client):
    w = _public(build_world())
    client.force_login(w.officer)
    response = client.get(reverse("contests:list"), {"status": "open", "level": "region"})
    assert response.status_code == 200 and w.contest.title in response.content.decode()
    assert client.get(reverse("contests:list"), {"status": "finished"}).content.decode().count(w.contest.title) == 0
    detail = client.get(reverse("contests:detail", args=[w.contest.pk]))
    assert detail.status_code == 200 and w.stage.name in detail.content.decode()
    assert 'id="history"' in detail.content.decode()  # managers see the audit history
    export = client.get(reverse("contests:export"))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    client.logout()
    anon = client.get(reverse("contests:detail", args=[w.contest.pk])).content.decode()
    assert 'id="history"' not in anon


# --- judges never see a name ------------------------------------------------------------------


def test_judge_pages_never_show_names_id_numbers_or_employers(client):
    w = _public(build_world())
    register_and_draw(w, 4)
    a1, a2, b1 = w.aspects
    numbers = sorted(w.stage.secret_numbers.values_list("number", flat=True))
    # Some marks in every state: entered, confirmed, rejected, flagged.
    services.mark_enter(aspect=a1, number=numbers[0], value=20, by=w.judges[0])
    m = services.mark_enter(aspect=a2, number=numbers[0], value="5.00", by=w.judges[1])
    services.mark_confirm(mark=m, by=w.judges[0])
    m = services.mark_enter(aspect=a1, number=numbers[1], value=0, by=w.judges[1])
    services.mark_reject(mark=m, reason="看错了", by=w.judges[0])
    services.mark_enter(aspect=b1, number=numbers[0], value=0, by=w.judges[0])
    services.mark_enter(aspect=b1, number=numbers[0], value=3, by=w.judges[1])

    secrets_ = []
    for reg in Registration.objects.filter(stage=w.stage).select_related("worker__employer"):
        secrets_ += [reg.worker.name, reg.worker.id_number, reg.worker.id_number[-6:], reg.worker.employer.name]
    for judge in [w.judges[0], w.judges[1], w.chief]:
        client.force_login(judge)
        pages = [reverse("contests:judge_home")]
        for module in w.modules:
            base = reverse("contests:judge_mark", args=[module.pk])
            pages += [base, *(f"{base}?number={n}" for n in numbers)]
            pages += [
                reverse("contests:judge_queue", args=[module.pk]),
                reverse("contests:judge_flagged", args=[module.pk]),
            ]
        for url in pages:
            response = client.get(url)
            if judge is w.chief and url != pages[0]:
                assert response.status_code == 404  # the chief is not assigned to the modules
                continue
            assert response.status_code == 200, url
            html = response.content.decode()
            for s in secrets_:
                assert s not in html, f"{s} leaked on {url}"
    # The judges' pages do show secret numbers.
    client.force_login(w.judges[0])
    html = client.get(reverse("contests:judge_mark", args=[w.modules[0].pk]) + f"?number={numbers[0]}").content
    assert numbers[0].encode() in html


def test_judge_marking_form_saves_all_or_nothing_and_confirm_queue(client):
    w = _public(build_world())
    register_and_draw(w, 2)
    a1, a2, _b1 = w.aspects
    number = sorted(w.stage.secret_numbers.values_list("number", flat=True))[0]
    url = reverse("contests:judge_mark", args=[w.modules[0].pk])
    client.force_login(w.judges[0])
    # A2 is out of range text: nothing is saved, A1 included.
    response = client.post(url, {"number": number, f"a{a1.pk}": "20", f"a{a2.pk}": "abc"}, follow=True)
    assert "A2" in response.content.decode()
    assert not a1.marks.exists()
    response = client.post(url, {"number": number, f"a{a1.pk}": "20", f"a{a2.pk}": "5.02", "go": "stay"})
    assert response.status_code == 302
    assert a1.marks.count() == 1 and a2.marks.count() == 1
    # The second judge confirms one and sends one back.
    client.force_login(w.judges[1])
    queue_url = reverse("contests:judge_queue", args=[w.modules[0].pk])
    assert number in client.get(queue_url).content.decode()
    client.post(queue_url, {"mark": a1.marks.get().pk, "decision": "confirm"})
    client.post(queue_url, {"mark": a2.marks.get().pk, "decision": "reject", "reason": "复测"})
    assert a1.marks.get().status == "confirmed" and a2.marks.get().status == "rejected"
    # The judge who entered a mark cannot confirm it.
    client.force_login(w.judges[0])
    m = services.mark_enter(aspect=a2, number=number, value="5.00", by=w.judges[0])
    response = client.post(queue_url, {"mark": m.pk, "decision": "confirm"}, follow=True)
    m.refresh_from_db()
    assert m.status == "entered"


# --- bulk registration -------------------------------------------------------------------------


def test_import_is_all_or_nothing_with_error_report(client):
    w = _public(build_world())
    good = [w.worker(i) for i in range(2)]
    url = reverse("contests:import", args=[w.stage.pk])
    client.force_login(w.officer)
    assert client.get(url).status_code == 200
    rows = [(good[0].id_number, good[0].name), (good[1].id_number, "不是这个名字"), ("123", "某人")]
    response = client.post(url, {"organisation": w.units[0].pk, "file": _xlsx(rows)})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="import-errors"' in html
    assert Registration.objects.filter(stage=w.stage).count() == 0
    job = response.context["job"]
    download = client.get(reverse("core:import_report", args=[job.pk]))
    assert download.status_code == 200 and download.content.startswith(b"PK")
    assert {(r[0], r[1]) for r in read_xlsx(download.content)[1:]} == {(3, "姓名"), (4, "身份证号")}
    # The corrected file goes in whole.
    rows = [(g.id_number, g.name) for g in good]
    response = client.post(url, {"organisation": w.province.pk, "file": _xlsx(rows)})
    assert response.status_code == 302, [e.message for e in response.context["result"].errors]
    assert Registration.objects.filter(stage=w.stage, status="approved").count() == 2


# --- stage actions -------------------------------------------------------------------------------


def test_stage_actions_give_messages_and_change_nothing_on_error(client):
    w = _public(build_world())
    register_and_draw(w, 2)
    action = reverse("contests:stage_action", args=[w.stage.pk])
    # The decryptor may not reveal before sign-off: a message, no change.
    client.force_login(w.decryptor)
    response = client.post(action, {"action": "reveal"}, follow=True)
    assert response.status_code == 200
    assert len(list(response.context["messages"])) == 1
    w.stage.refresh_from_db()
    assert w.stage.revealed_at is None
    # A judge may not sign a module off: 403 with the permission's message, nothing changed.
    client.force_login(w.judges[0])
    response = client.post(action, {"action": "sign_off", "module": w.modules[0].pk})
    assert response.status_code == 403
    assert "只有本竞赛的裁判长" in response.content.decode()
    w.modules[0].refresh_from_db()
    assert w.modules[0].signed_off_at is None
    # The manage page shows the draw is sealed but never the mapping.
    client.force_login(w.officer)
    html = client.get(reverse("contests:stage", args=[w.stage.pk])).content.decode()
    assert 'data-testid="sealed"' in html
    for reg in w.registrations:
        assert reg.worker.name not in html
    # Check-in sheet after the draw: secret numbers only.
    from openpyxl import load_workbook

    sheet = client.get(reverse("contests:checkin_export", args=[w.stage.pk]))
    values = [c for row in load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True) for c in row]
    assert all(reg.worker.name not in values for reg in w.registrations)
    assert w.stage.secret_numbers.first().number in values


def test_checkin_and_draw_through_the_pages(client):
    w = _public(build_world())
    for i in range(2):
        w.registrations.append(services.registration_create(stage=w.stage, worker=w.worker(i), by=w.officer))
    services.stage_set_status(stage=w.stage, status=Stage.Status.CHECKIN, by=w.officer)
    client.force_login(w.officer)
    for reg in w.registrations:
        assert client.post(reverse("contests:checkin", args=[reg.pk])).status_code == 302
    assert Registration.objects.filter(stage=w.stage, checked_in_at__isnull=False).count() == 2
    action = reverse("contests:stage_action", args=[w.stage.pk])
    client.post(action, {"action": "draw_order"})
    client.post(action, {"action": "draw_numbers"})
    w.stage.refresh_from_db()
    assert w.stage.sealed_at is not None and w.stage.secret_numbers.count() == 2


# --- certificates ----------------------------------------------------------------------------------


def test_certificate_verify_page(client):
    w = _revealed(3)
    _final(w)
    cert = Certificate.objects.select_related("award__worker").first()
    response = client.get(reverse("contests:certificate_verify", args=[cert.code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert cert.award.worker.name in html and 'data-testid="cert-valid"' in html
    unknown = client.get(reverse("contests:certificate_verify", args=["NOSUCHCODE"]))
    assert unknown.status_code == 404 and 'data-testid="cert-unknown"' in unknown.content.decode()
    # The PDF: officers yes, an unrelated user no.
    client.force_login(w.officer)
    pdf = client.get(reverse("contests:certificate_pdf", args=[cert.code]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    client.force_login(w.judges[0])
    assert client.get(reverse("contests:certificate_pdf", args=[cert.code])).status_code == 404
    # The chain page verifies and the public results page shows the final set.
    chain = client.get(reverse("contests:chain", args=[w.contest.pk])).content.decode()
    assert 'data-testid="chain-ok"' in chain
    results = client.get(reverse("contests:results", args=[w.stage.pk])).content.decode()
    assert 'data-testid="final"' in results and cert.award.worker.name in results


def test_objection_while_on_notice(client):
    w = _revealed(2)
    recheck = services.recheck_start(stage=w.stage, by=w.chief, seed="s")
    for item in recheck.items.all():
        services.recheck_item_record(item=item, error_found=False, by=w.chief)
    services.recheck_complete(recheck=recheck, by=w.chief)
    rs = services.result_set_publish(stage=w.stage, by=w.officer)
    url = reverse("contests:objection", args=[rs.pk])
    # Anonymous without a contact: a message, nothing recorded.
    response = client.post(url, {"text": "第二名分数有误"})
    assert response.status_code == 400 and rs.objections.count() == 0
    response = client.post(url, {"text": "第二名分数有误", "contact": "13800000000"})
    assert response.status_code == 302 and rs.objections.count() == 1
    page = client.get(reverse("contests:results", args=[w.stage.pk])).content.decode()
    assert 'data-testid="notice"' in page and 'id="objection"' in page


# --- live board -----------------------------------------------------------------------------------


def test_board_partial_shows_ranking_only_after_reveal_and_not_when_frozen(client):
    w = _public(build_world())
    register_and_draw(w, 3)
    mark_everything(w)
    names = [r.worker.name for r in w.registrations]
    partial = reverse("contests:board_partial", args=[w.stage.pk])
    for variant in ("big", "phone"):
        html = client.get(partial, {"v": variant}).content.decode()
        assert not any(n in html for n in names)
    sign_off_all(w)
    services.stage_reveal(stage=w.stage, by=w.decryptor)
    for variant in ("big", "phone"):
        html = client.get(partial, {"v": variant}).content.decode()
        assert all(n in html for n in names), variant
    services.board_freeze(stage=w.stage, frozen=True, by=w.officer)
    for variant in ("big", "phone"):
        html = client.get(partial, {"v": variant}).content.decode()
        assert 'data-testid="board-frozen"' in html
        assert not any(n in html for n in names)
    big = client.get(reverse("contests:board", args=[w.stage.pk])).content.decode()
    assert 'hx-trigger="every 3s [document.visibilityState' in big and 'data-testid="board-frozen"' in big
    assert client.get(reverse("contests:board_phone", args=[w.stage.pk])).status_code == 200

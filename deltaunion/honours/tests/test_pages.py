"""The honours pages as each role sees them: the public roll, notice and certificate pages; the
organisers' selection pages (setup, steps, objections); a union nominating; the experts' sheet
and the chair's panel; 403 with the permission's message for an action on something visible."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from deltaunion.core.testing import read_xlsx
from deltaunion.honours import services
from deltaunion.honours.models import Award, Nomination, Objection, Panel, PanelMember, Review, Selection

from .factories import accept, build_selection, named_award, nominate, score_all, to_review

N = Nomination.Status


def client(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def test_the_roll_is_public_and_lists_only_named_honours(world):
    built = named_award(world)
    other = build_selection(world)  # open: its nominations are on no roll
    nominate(world, other, world.sz_a)
    page = client().get(reverse("honours:roll"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "王建国" in text and "周苏州" not in text
    assert "测试大工匠" in text and "沪苏浙皖三省一市总工会" in text
    # Filter by honour and year.
    honour = built.award.honour_id
    assert "王建国" in client().get(reverse("honours:roll"), {"honour": honour, "year": 2023}).content.decode()
    assert "王建国" not in client().get(reverse("honours:roll"), {"year": 2022}).content.decode()
    # Workers do not get the officers' export; officers do.
    assert 'data-testid="export"' not in client(world.worker).get(reverse("honours:roll")).content.decode()
    assert client(world.worker).get(reverse("honours:roll") + "?export=xlsx").status_code == 403
    rows = read_xlsx(client(world.sz_officer).get(reverse("honours:roll") + "?export=xlsx").content)
    assert rows[1][2] == "王建国"


def test_certificate_verification_and_download(world):
    award = named_award(world).award
    page = client().get(reverse("honours:certificate_verify", args=[award.code]))
    assert page.status_code == 200 and 'data-testid="cert-valid"' in page.content.decode()
    assert client().get(reverse("honours:certificate_verify", args=["HRNOSUCHCODE"])).status_code == 404
    pdf = client(world.hz_officer).get(reverse("honours:certificate_pdf", args=[award.code]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client(world.sz_officer).get(reverse("honours:certificate_pdf", args=[award.code])).status_code == 404
    services.award_revoke(award=award, reason="经查，事迹不实", by=world.zj_admin)
    page = client().get(reverse("honours:certificate_verify", args=[award.code]))
    assert 'data-testid="cert-invalid"' in page.content.decode()
    assert "王建国" not in client().get(reverse("honours:roll")).content.decode()


def test_my_honours_shows_the_worker_their_certificate(world, django_capture_on_commit_callbacks):
    from deltaunion.people.services import worker_link_account

    built = build_selection(world)
    worker_link_account(worker=world.hz_a, user=world.nobody, by=None)
    nomination = accept(world, nominate(world, built, world.hz_a))
    to_review(world, built)
    score_all(built, nomination, [(9, 9), (9, 8), (8, 9)])
    services.panel_sign_off(panel=built.panel, by=built.chair)
    now = timezone.now()
    services.selection_notice(selection=built.selection, by=world.zj_admin, now=now)
    from deltaunion.honours.selectors import mine_count

    assert mine_count(world.nobody) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.selection_name(selection=built.selection, by=world.zj_admin, now=now + dt.timedelta(days=8))
    page = client(world.nobody).get(reverse("honours:mine"))
    text = page.content.decode()
    assert page.status_code == 200 and "测试大工匠" in text and 'data-testid="my-award"' in text
    award = Award.objects.get()
    assert client(world.nobody).get(reverse("honours:certificate_pdf", args=[award.code])).status_code == 200
    # The in-site message told them.
    from deltaunion.core.models import Notification

    assert Notification.objects.filter(recipient=world.nobody, kind="honours.named").exists()


def test_organisers_set_up_a_selection_through_the_pages(world):
    c = client(world.zj_admin)
    response = c.post(
        reverse("honours:selection_create"),
        {
            "lead_org": world.zj.pk,
            "title": "浙江工匠选树",
            "year": 2024,
            "issuing_body": "浙江省总工会",
            "notice_days": 7,
            "min_reviews": 3,
            "members_only": "on",
            "trades": "电工、焊工",
        },
    )
    selection = Selection.objects.get(title="浙江工匠选树")
    assert response.status_code == 302 and selection.trades == ["焊工", "电工"]
    setup = reverse("honours:selection_setup", args=[selection.pk])
    c.post(
        setup,
        {
            "action": "category",
            "honour_name": "浙江工匠",
            "recipient_kind": "person",
            "title_kind": "craftsman",
            "places": 2,
        },
    )
    c.post(setup, {"action": "quota", "organisation": world.hz.pk, "places": 3})
    c.post(setup, {"action": "material", "label": "事迹材料", "kind": "text", "required": "on"})
    category = selection.categories.get()
    c.post(setup, {"action": "criterion", "category": category.pk, "name": "技能", "weight": "100", "max_score": "10"})
    c.post(setup, {"action": "panel", "name": "一组", "categories": [category.pk]})
    panel = Panel.objects.get(selection=selection)
    c.post(
        setup,
        {
            "action": "member",
            "panel": panel.pk,
            "user": world.zj_judge.pk,
            "is_chair": "on",
            "employer_name": "某研究院",
        },
    )
    assert PanelMember.objects.get(panel=panel).is_chair
    page = c.get(setup)
    assert page.status_code == 200 and "浙江工匠" in page.content.decode()
    c.post(reverse("honours:selection_action", args=[selection.pk]), {"action": "open"})
    selection.refresh_from_db()
    assert selection.status == Selection.Status.OPEN
    # Hangzhou sees it and may nominate; Suzhou may not see it.
    page = client(world.hz_officer).get(reverse("honours:selection", args=[selection.pk]))
    assert page.status_code == 200 and 'data-testid="nominate"' in page.content.decode()
    assert client(world.sz_officer).get(reverse("honours:selection", args=[selection.pk])).status_code == 404
    # A union may not change the setup: 403 with the permission's message.
    refused = client(world.hz_officer).post(setup, {"action": "quota", "organisation": world.hz.pk, "places": 9})
    assert refused.status_code == 403
    assert "组织单位" in refused.content.decode()


def test_a_union_nominates_and_the_organisers_check_through_the_pages(world):
    built = build_selection(world, nominations_open_on=None, nominations_close_on=None)
    hz = client(world.hz_officer)
    response = hz.post(
        reverse("honours:nominate", args=[built.selection.pk]),
        {
            "organisation": world.hz.pk,
            "category": built.category.pk,
            "person": world.hz_a.id_number,
            "years_in_trade": 12,
            "statement": "十年如一日扎根一线",
        },
    )
    nomination = Nomination.objects.get()
    assert response.status_code == 302 and nomination.worker == world.hz_a
    url = reverse("honours:nomination", args=[nomination.pk])
    page = hz.get(url)
    assert page.status_code == 200 and "事迹材料" in page.content.decode()
    hz.post(url, {"action": "material", "material": built.material.pk, "text": "详细事迹"})
    hz.post(url, {"action": "submit"})
    nomination.refresh_from_db()
    assert nomination.status == N.SUBMITTED
    # The union may not check its own nomination (403 with the message); the organisers may.
    assert hz.post(url, {"action": "accept"}).status_code == 403
    zj = client(world.zj_admin)
    page = zj.get(url)
    assert 'data-testid="accept"' in page.content.decode()
    zj.post(url, {"action": "return", "reason": "请补充单位推荐意见"})
    nomination.refresh_from_db()
    assert nomination.status == N.RETURNED
    assert "请补充单位推荐意见" in hz.get(url).content.decode()
    # A nominee outside the union is refused with a message, nothing changes.
    page = hz.post(
        reverse("honours:nominate", args=[built.selection.pk]),
        {"organisation": world.hz.pk, "category": built.category.pk, "person": world.sz_a.id_number},
    )
    assert page.status_code == 200 and Nomination.objects.count() == 1
    # The nominations export of the organisers.
    rows = read_xlsx(zj.get(reverse("honours:selection", args=[built.selection.pk]) + "?export=xlsx").content)
    assert rows[1][1] == "王建国"


def test_files_as_materials_are_checked_and_downloaded_by_who_sees_the_nomination(world):
    from deltaunion.honours.models import RequiredMaterial

    built = build_selection(world)
    file_material = services.material_add(
        selection=built.selection, label="推荐表", kind=RequiredMaterial.Kind.FILE, by=world.zj_admin
    )
    nomination = nominate(world, built, world.hz_a, submit=False)
    url = reverse("honours:nomination", args=[nomination.pk])
    hz = client(world.hz_officer)
    bad = SimpleUploadedFile("x.pdf", b"MZ not a pdf", content_type="application/pdf")
    hz.post(url, {"action": "material", "material": file_material.pk, "file": bad})
    assert not nomination.answers.filter(material=file_material).exists()
    good = SimpleUploadedFile("推荐表.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    hz.post(url, {"action": "material", "material": file_material.pk, "file": good})
    answer = nomination.answers.get(material=file_material)
    download = hz.get(reverse("honours:material_file", args=[answer.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert client(world.sz_officer).get(reverse("honours:material_file", args=[answer.pk])).status_code == 404


def test_experts_score_and_the_chair_signs_off_through_the_pages(world):
    built = build_selection(world)
    nomination = accept(world, nominate(world, built, world.hz_a))
    to_review(world, built)
    criteria = list(built.category.criteria.order_by("order"))
    for user, (a, b) in zip(built.experts[:3], [(9, 9), (8, 8), (8.5, 9)], strict=True):
        c = client(user)
        assert 'data-testid="work-item"' in c.get(reverse("honours:review_home")).content.decode()
        page = c.get(reverse("honours:review_sheet", args=[nomination.pk]))
        assert page.status_code == 200 and "技能水平" in page.content.decode()
        c.post(
            reverse("honours:review_sheet", args=[nomination.pk]), {f"c{criteria[0].pk}": a, f"c{criteria[1].pk}": b}
        )
    assert Review.objects.filter(nomination=nomination).count() == 3
    # An expert sees only their own score before the sign-off.
    sheet = client(built.experts[1]).get(reverse("honours:review_sheet", args=[nomination.pk])).content.decode()
    assert "80.00" in sheet and "90.00" not in sheet
    # An organiser is not an expert: 403 on the sheet.
    assert client(world.zj_admin).get(reverse("honours:review_sheet", args=[nomination.pk])).status_code == 403
    panel_url = reverse("honours:panel", args=[built.panel.pk])
    assert client(built.experts[1]).post(panel_url, {"action": "sign_off"}).status_code == 403
    page = client(built.chair).get(panel_url)
    assert page.status_code == 200 and 'data-testid="sign-off"' in page.content.decode()
    client(built.chair).post(panel_url, {"action": "sign_off"})
    built.panel.refresh_from_db()
    assert built.panel.signed_off_at is not None
    board = client(world.zj_admin).get(panel_url).content.decode()
    assert "85.67" in board


def test_the_chair_decides_a_flagged_outlier_on_the_panel_page(world):
    built = build_selection(world)
    nomination = accept(world, nominate(world, built, world.hz_a))
    to_review(world, built)
    score_all(built, nomination, [(9, 9), (9, 8.5), (8.5, 9.5), (4, 4)])
    panel_url = reverse("honours:panel", args=[built.panel.pk])
    page = client(built.chair).get(panel_url).content.decode()
    assert 'data-testid="outlier-flag"' in page and "0.960" in page
    client(built.chair).post(
        panel_url, {"action": "resolve", "nomination": nomination.pk, "exclude": "1", "note": "偏离过大"}
    )
    nomination.refresh_from_db()
    assert nomination.outlier_resolved and Review.objects.get(pk=nomination.outlier_review_id).excluded


def test_public_notice_and_objections(world):
    built = build_selection(world)
    nomination = accept(world, nominate(world, built, world.hz_a))
    to_review(world, built)
    score_all(built, nomination, [(9, 9), (9, 9), (9, 9)])
    services.panel_sign_off(panel=built.panel, by=built.chair)
    zj = client(world.zj_admin)
    zj.post(reverse("honours:selection_action", args=[built.selection.pk]), {"action": "notice"})
    built.selection.refresh_from_db()
    assert built.selection.status == Selection.Status.NOTICE
    page = client().get(reverse("honours:notice", args=[built.selection.pk]))
    assert page.status_code == 200 and "王建国" in page.content.decode()
    client().post(reverse("honours:objection_file", args=[nomination.pk]), {"text": "不实", "contact": "13800000000"})
    objection = Objection.objects.get()
    page = zj.get(reverse("honours:selection", args=[built.selection.pk]))
    assert 'data-testid="objection"' in page.content.decode()
    zj.post(
        reverse("honours:selection_action", args=[built.selection.pk]),
        {"action": "answer", "objection": objection.pk, "upheld": "0", "response": "经核实，材料属实"},
    )
    objection.refresh_from_db()
    assert objection.status == Objection.Status.DISMISSED
    # Naming waits for the end of the notice: a message, nothing changes.
    zj.post(reverse("honours:selection_action", args=[built.selection.pk]), {"action": "name"})
    assert not Award.objects.exists()


def test_every_page_renders_for_its_people(world):
    built = named_award(world)
    pages = [
        (None, "honours:roll", []),
        (None, "honours:exhibitions", []),
        (None, "honours:alliance", []),
        (world.worker, "honours:mine", []),
        (world.zj_admin, "honours:selections", []),
        (world.zj_admin, "honours:selection_create", []),
        (world.zj_admin, "honours:selection", [built.selection.pk]),
        (world.zj_admin, "honours:selection_edit", [built.selection.pk]),
        (world.zj_admin, "honours:selection_setup", [built.selection.pk]),
        (world.zj_admin, "honours:nomination", [built.nomination.pk]),
        (None, "honours:notice", [built.selection.pk]),
        (built.chair, "honours:review_home", []),
        (built.chair, "honours:panel", [built.panel.pk]),
        (built.experts[1], "honours:review_sheet", [built.nomination.pk]),
        (world.hz_officer, "honours:studios", []),
        (world.hz_officer, "honours:studio_create", []),
        (world.hz_officer, "honours:report_import", []),
        (world.hz_officer, "honours:results", []),
        (world.hz_officer, "honours:result_create", []),
        (world.hz_officer, "honours:exhibition_create", []),
    ]
    for user, name, args in pages:
        response = client(user).get(reverse(name, args=args))
        assert response.status_code == 200, (name, response.status_code)
    # Workers see no officer tools in the app's navigation.
    nav = client(world.worker).get(reverse("honours:roll")).content.decode()
    assert 'data-testid="nav-selections"' not in nav and 'data-testid="nav-studios"' not in nav
    assert client(world.worker).get(reverse("honours:selections")).status_code == 403

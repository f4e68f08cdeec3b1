"""Innovation results and exhibitions: the registry's rules, photos, a curated exhibition shown
as a public gallery once published, and awards of a contest decided from its results."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from deltaunion.core.permissions import Forbidden
from deltaunion.core.testing import read_xlsx
from deltaunion.honours import services
from deltaunion.honours.models import RecipientKind

from .factories import TODAY, png_bytes, result, studio

pytestmark = pytest.mark.usefixtures("english")


def test_the_registry_rules(world):
    workshop = studio(world)
    item = result(
        world,
        studio=workshop,
        patent_number="ZL202320000001.X",
        benefit_yuan=Decimal("1200000"),
        benefit_certified_by="杭州市财政局",
    )
    assert item.studio == workshop and list(item.owners.all()) == [world.hz_a]
    with pytest.raises(ValidationError, match="certified the economic benefit"):
        result(world, "无认定单位", benefit_yuan=Decimal("10"))
    with pytest.raises(ValidationError, match="owners must be workers"):
        result(world, "外单位成果", owners=[world.sz_a])
    with pytest.raises(Forbidden):
        result(world, "越权", union=world.hz_unit, by=world.sz_officer)
    services.result_update(result=item, application_status="promoted", by=world.hz_officer)
    item.refresh_from_db()
    assert item.application_status == "promoted"


def test_photos_are_real_images(world):
    item = result(world)
    with pytest.raises(ValidationError, match="not a photo"):
        services.result_photo_add(
            result=item,
            upload=SimpleUploadedFile("x.png", b"not an image"),
            caption="",
            credit="测试",
            by=world.hz_officer,
        )
    photo = services.result_photo_add(
        result=item, upload=SimpleUploadedFile("x.png", png_bytes()), caption="样机", credit="测试", by=world.hz_officer
    )
    assert photo.content_type == "image/png"


def test_an_exhibition_is_a_public_gallery_once_published(world):
    first = result(world, "甲成果")
    second = result(world, "乙成果", kind="technique")
    services.result_photo_add(
        result=first,
        upload=SimpleUploadedFile("x.png", png_bytes()),
        caption="样机",
        credit="测试",
        by=world.hz_officer,
    )
    exhibition = services.exhibition_create(organisation=world.hz, title="杭州职工创新成果展", by=world.hz_officer)
    anonymous = Client()
    assert anonymous.get(reverse("honours:exhibition", args=[exhibition.pk])).status_code == 404
    assert anonymous.get(reverse("honours:result", args=[first.pk])).status_code == 404
    officer = Client()
    officer.force_login(world.hz_officer)
    manage = reverse("honours:exhibition_manage", args=[exhibition.pk])
    officer.post(manage, {"action": "add", "result": first.pk, "note": "节约成本"})
    officer.post(manage, {"action": "add", "result": second.pk})
    officer.post(manage, {"action": "publish"})
    exhibition.refresh_from_db()
    assert exhibition.status == "published" and exhibition.items.count() == 2
    gallery = anonymous.get(reverse("honours:exhibition", args=[exhibition.pk]))
    text = gallery.content.decode()
    assert gallery.status_code == 200 and text.count('data-testid="gallery-item"') == 2 and "节约成本" in text
    assert "杭州职工创新成果展" in anonymous.get(reverse("honours:exhibitions")).content.decode()
    # The results and their photos are public now; a result outside the exhibition is not.
    assert anonymous.get(reverse("honours:result", args=[first.pk])).status_code == 200
    photo = first.photos.get()
    assert anonymous.get(reverse("honours:photo", args=[photo.pk])).status_code == 200
    hidden = result(world, "未展出成果")
    assert anonymous.get(reverse("honours:result", args=[hidden.pk])).status_code == 404
    # Only results of the organiser's units are curated.
    other = result(world, "苏州成果", union=world.sz_unit, by=world.sz_officer, owners=[world.sz_a])
    # (the requests above left the page's language active: the refusal is read in Chinese)
    with pytest.raises(ValidationError, match="只能展出组织单位所属单位或您所管理工会的成果"):
        services.exhibition_item_add(exhibition=exhibition, result=other, by=world.hz_officer)


def test_results_list_and_export_for_officers(world):
    result(world, "甲成果")
    c = Client()
    c.force_login(world.hz_officer)
    page = c.get(reverse("honours:results"), {"kind": "utility_model"})
    assert page.status_code == 200 and "甲成果" in page.content.decode()
    rows = read_xlsx(c.get(reverse("honours:results") + "?export=xlsx").content)
    assert rows[1][0] == "甲成果" and rows[1][2] == "王建国"
    worker = Client()
    worker.force_login(world.worker)
    assert worker.get(reverse("honours:results")).status_code == 403


def test_the_awards_of_a_contest_are_decided_from_its_results(world):
    from deltaunion.contests import services as contest_services

    contest = contest_services.contest_create(title="网上劳动竞赛（测试）", lead_org=world.zj, by=world.zj_admin)
    selection = services.selection_create(
        lead_org=world.zj,
        title="网上劳动竞赛表彰",
        year=2023,
        issuing_body="浙江省总工会",
        contest=contest,
        by=world.zj_admin,
    )
    best = services.category_add(
        selection=selection,
        honour_name="十佳职工创新成果",
        recipient_kind=RecipientKind.RESULT,
        places=10,
        by=world.zj_admin,
    )
    team = services.category_add(
        selection=selection, honour_name="金牌班组", recipient_kind=RecipientKind.TEAM, places=50, by=world.zj_admin
    )
    services.quota_set(selection=selection, organisation=world.hz, places=5, by=world.zj_admin)
    services.selection_transition(selection=selection, name="open", by=world.zj_admin)
    from_contest = result(world, "竞赛成果", contest=contest)
    elsewhere = result(world, "其他成果")
    nomination = services.nomination_create(
        selection=selection, category=best, organisation=world.hz, result=from_contest, by=world.hz_officer, today=TODAY
    )
    assert nomination.kind == RecipientKind.RESULT
    with pytest.raises(ValidationError, match="results of the selection's contest"):
        services.nomination_create(
            selection=selection,
            category=best,
            organisation=world.hz,
            result=elsewhere,
            by=world.hz_officer,
            today=TODAY,
        )
    crew = services.nomination_create(
        selection=selection,
        category=team,
        organisation=world.hz,
        team_name="数控车间一班",
        team_employer=world.hz_employer,
        by=world.hz_officer,
        today=TODAY,
    )
    assert crew.nominee_name == "数控车间一班" and crew.nominee_employer() == world.hz_employer

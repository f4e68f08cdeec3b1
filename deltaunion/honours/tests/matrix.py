"""Honours in the 404 matrix: a selection of Hangzhou open for nominations (its pages, a draft
nomination with a file, the panel), a studio, a result with a photo and an exhibition — none
public — and a named honour's certificate. Outsiders (a Suzhou officer, a worker, a judge,
anonymous) must get the same answer as for an object that does not exist."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from deltaunion.accounts.tests.factories import UserFactory
from deltaunion.core.testing import Obj
from deltaunion.honours import services
from deltaunion.honours.models import RecipientKind, RequiredMaterial
from deltaunion.honours.tests.factories import named_award, png_bytes, result, studio

PUBLIC = {
    "honours:certificate_verify": "a certificate is verified by its code, by anyone who holds it (the QR code)",
    "api:honours_certificate": "a certificate is verified by its code, by anyone who holds it (the QR code)",
}

PDF = b"%PDF-1.4\n% test\n"


def build(world):
    officer = world.hz_officer
    selection = services.selection_create(
        lead_org=world.hz, title="杭州市工匠选树（筹备）", year=2024, issuing_body="杭州市总工会", by=officer
    )
    category = services.category_add(
        selection=selection, honour_name="杭州工匠（测试）", recipient_kind=RecipientKind.PERSON, places=1, by=officer
    )
    material = services.material_add(selection=selection, label="推荐表", kind=RequiredMaterial.Kind.FILE, by=officer)
    services.quota_set(selection=selection, organisation=world.hz, places=3, by=officer)
    panel = services.panel_add(selection=selection, name="评审组", categories=[category], by=officer)
    chair = UserFactory(username="matrix_chair")
    services.panel_member_add(panel=panel, user=chair, is_chair=True, by=officer)
    services.selection_transition(selection=selection, name="open", by=officer)
    nomination = services.nomination_create(
        selection=selection,
        category=category,
        organisation=world.hz,
        worker=world.hz_a,
        years_in_trade=10,
        statement="事迹",
        by=officer,
        today=dt.date.today(),
    )
    answer = services.material_give(
        nomination=nomination,
        material=material,
        upload=SimpleUploadedFile("推荐表.pdf", PDF, content_type="application/pdf"),
        by=officer,
    )
    workshop = studio(world)
    item = result(world, studio=workshop)
    photo = services.result_photo_add(
        result=item,
        upload=SimpleUploadedFile("p.png", png_bytes(), content_type="image/png"),
        caption="样机",
        credit="测试",
        by=officer,
    )
    exhibition = services.exhibition_create(organisation=world.hz, title="杭州职工创新成果展（筹备）", by=officer)
    award = named_award(world).award
    return {
        "selection_id": Obj(selection.pk, owner=officer),
        "nomination_id": Obj(nomination.pk, owner=officer),
        "answer_id": Obj(answer.pk, owner=officer),
        "panel_id": Obj(panel.pk, owner=chair),
        "studio_id": Obj(workshop.pk, owner=officer),
        "result_id": Obj(item.pk, owner=officer),
        "photo_id": Obj(photo.pk, owner=officer),
        "exhibition_id": Obj(exhibition.pk, owner=officer),
        "code": Obj(award.code, owner=officer),
    }

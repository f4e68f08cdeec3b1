"""Builders for the labour-relations tests (through the real services)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from deltaunion.core.idnumber import make_id_number
from deltaunion.orgs.models import Organisation, Region, Role
from deltaunion.orgs.services import org_role_grant, organisation_create
from deltaunion.relations import services
from deltaunion.relations.models import CaseKind, Industry

K = Organisation.Kind


def anhui(world):
    """安徽省总工会 with an administrator (ah_admin), and a Hefei union with one member."""
    from deltaunion.accounts.tests.factories import UserFactory
    from deltaunion.people.tests.factories import WorkerFactory

    Region.objects.update_or_create(code="340000", defaults={"name": "安徽省", "level": Region.Level.PROVINCE})
    Region.objects.update_or_create(
        code="340100", defaults={"name": "合肥市", "level": Region.Level.PREFECTURE, "parent_id": "340000"}
    )
    ah = organisation_create(
        name="安徽省总工会", kind=K.PROVINCIAL, parent=world.acftu, region=Region.objects.get(code="340000"), by=None
    )
    hf = organisation_create(
        name="合肥市总工会", kind=K.CITY, parent=ah, region=Region.objects.get(code="340100"), by=None
    )
    unit = organisation_create(name="合肥测试汽车有限公司工会", kind=K.GRASSROOTS, parent=hf, by=None)
    admin = UserFactory(username="ah_admin")
    org_role_grant(user=admin, organisation=ah, role=Role.FEDERATION_ADMIN, by=None)
    member = WorkerFactory(
        name="皖籍会员",
        organisation=unit,
        id_number=make_id_number("341221", dt.date(1986, 4, 5), 313),
    )
    return ah, hf, admin, member


def party(name: str = "王建国", region: str = "330106", seq: int = 231, owed: str = "0", birth=None) -> dict:
    return {
        "name": name,
        "id_number": make_id_number(region, birth or dt.date(1985, 3, 14), seq),
        "phone": "13912345678",
        "amount_owed": Decimal(owed),
    }


def hz_city() -> Region:
    return Region.objects.get(code="330100")


def sz_city() -> Region:
    return Region.objects.get(code="320500")


def open_case(world, *, kind: str = CaseKind.UNPAID_WAGES, parties=None, opened_on=None, org=None, by=None):
    return services.case_open(
        organisation=org or world.hz,
        by=by or world.hz_officer,
        kind=kind,
        summary="两个月工资没有发",
        city=hz_city(),
        employer_name="杭州测试建筑劳务有限公司",
        industry=Industry.CONSTRUCTION,
        parties=parties if parties is not None else [party(owed="8000")],
        opened_on=opened_on,
    )


def png_bytes(size=(20, 10)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, "red").save(buf, format="PNG")
    return buf.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def pdf_bytes() -> bytes:
    from deltaunion.core.pdf import table_pdf

    return table_pdf(title="工资条", sections=[("11月", ["项目", "金额"], [["应发", "6800"]])])

"""The pages and the API: the officers' lists and exports, opening a case from the form, a
worker asking for help from a phone with evidence, 我的, signals, projects and measures, the
situation report (page, Excel, PDF, API); workers never see officer tools; refusals are 403/404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from deltaunion.core.idnumber import make_id_number
from deltaunion.core.models import Notification
from deltaunion.core.registry import me_count, me_sections, nav_items
from deltaunion.core.testing import read_xlsx
from deltaunion.relations import report, services
from deltaunion.relations.models import Case, CaseKind, CaseStatus, Evidence, Project, Signal, SituationReport
from deltaunion.relations.tests.factories import hz_city, open_case, party, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db
A = make_id_number("330106", dt.date(1985, 3, 14), 231)
B = make_id_number("330106", dt.date(1990, 7, 2), 242)


def test_officer_pages_are_refused_to_workers_and_hidden_from_their_menu(world, client):
    labels = [str(i.label) for i in nav_items(world.worker)]
    assert "劳动关系" not in labels
    assert "劳动关系" in [str(i.label) for i in nav_items(world.hz_officer)]
    assert "求助" in [str(i.label) for i in nav_items(world.worker, "user")]
    client.force_login(world.worker)
    for url in (
        "/relations/",
        "/relations/signals/",
        "/relations/projects/",
        "/relations/report/",
        "/relations/cases.xlsx",
        "/relations/report.pdf",
        "/relations/cases/new/",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
    page = client.get("/relations/mine/").content.decode()
    assert 'data-testid="relations-nav"' not in page


def test_opening_a_case_from_the_form(world, client):
    client.force_login(world.hz_officer)
    data = {
        "organisation": world.hz.pk,
        "kind": CaseKind.UNPAID_WAGES,
        "employer_name": "杭州测试建筑劳务有限公司",
        "city": "330100",
        "industry": "construction",
        "ownership": "private",
        "opened_on": "2023-12-20",
        "summary": "两个月工资没有发",
        "parties": f"王建国，{A}，13912345678，8000\n李秀英,{B},,5000.50",
    }
    response = client.post("/relations/cases/new/", data)
    assert response.status_code == 302, response.content.decode()[response.content.decode().find("alert") :][:600]
    case = Case.objects.get()
    assert case.number.startswith("浙2023-") and case.status == CaseStatus.RECEIVED
    assert [p.amount_owed for p in case.parties.all()] == [Decimal("8000.00"), Decimal("5000.50")]
    # A bad ID number is a message on the form, nothing saved.
    data["parties"] = "张三，" + A[:17] + ("1" if A[17] != "1" else "2")
    page = client.post("/relations/cases/new/", data).content.decode()
    assert Case.objects.count() == 1 and "校验位错误" in page


def test_a_worker_asks_for_help_from_a_phone_with_evidence(world, client, django_capture_on_commit_callbacks):
    client.force_login(world.worker)
    page = client.get("/relations/help/").content.decode()
    assert 'name="viewport"' in page and 'type="file"' in page and "multiple" in page
    assert 'name="id_number"' not in page  # the worker has a record: no need to type the number
    data = {
        "kind": CaseKind.UNPAID_WAGES,
        "city": "330100",
        "union": "work",
        "employer_name": "杭州测试机械有限公司",
        "summary": "11月和12月工资没有发",
        "workers_count": "3",
        "amount_owed": "13600",
        "phone": "13600001111",
        "evidence_kind": "pay_slip",
        "files": [upload("工资条.pdf", pdf_bytes()), upload("工地.png", png_bytes())],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/relations/help/", data)
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/relations/cases/{case.pk}/"
    assert case.applicant == world.worker and case.organisation == world.hz and case.channel == "online"
    assert case.summary.startswith("（代表 3 名职工）")
    party = case.parties.get()
    assert party.worker == world.hz_self and party.id_number == world.hz_self.id_number
    assert party.amount_owed == Decimal("13600")
    assert Evidence.objects.filter(case=case).count() == 2
    assert Notification.objects.filter(recipient=world.worker, kind="relations.case_step").exists()
    assert Notification.objects.filter(recipient=world.hz_officer, kind="relations.case_received").exists()
    # 我的: the case, who handles it and what happens next.
    page = client.get("/relations/mine/").content.decode()
    assert case.number in page and "3 个工作日" in page and "杭州市总工会" in page
    assert [str(s.label) for s in me_sections()].count("我的求助") == 1
    section = next(s for s in me_sections() if s.url_name == "relations:mine")
    assert me_count(section, world.worker) == 1


def test_a_script_disguised_as_a_photo_is_refused_on_the_help_form(world, client):
    client.force_login(world.worker)
    data = {
        "kind": CaseKind.DISPUTE,
        "city": "330100",
        "union": "work",
        "employer_name": "杭州测试机械有限公司",
        "summary": "被无故辞退",
        "workers_count": "1",
        "phone": "13600001111",
        "evidence_kind": "photo",
        "files": [upload("photo.jpg", b"<?php echo 1; ?>", "image/jpeg")],
    }
    page = client.post("/relations/help/", data).content.decode()
    assert not Case.objects.exists()
    assert "文件类型不在允许范围内" in page


def test_the_home_province_union(world, client):
    from deltaunion.relations.tests.factories import anhui

    ah, _hf, _admin, _member = anhui(world)
    # A worker without a record, from Anhui, working in Hangzhou, asks the Anhui federation.
    from deltaunion.core.idnumber import make_id_number

    client.force_login(world.nobody)
    number = make_id_number("341221", dt.date(1988, 8, 8), 331)
    response = client.post(
        "/relations/help/",
        {
            "kind": CaseKind.LEGAL_AID,
            "city": "330100",
            "union": "home",
            "employer_name": "杭州测试建筑劳务有限公司",
            "summary": "工伤后被辞退",
            "workers_count": "1",
            "phone": "13700000000",
            "id_number": number,
            "evidence_kind": "photo",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.organisation == ah and case.city_id == "330100" and case.parties.get().home_province == "340000"


def test_officer_list_export_and_amounts(world, client):
    case = open_case(world, parties=[party(owed="8000")])
    services.case_assign(case=case, assignee=world.hz_officer, by=world.hz_officer)
    client.force_login(world.hz_officer)
    p = case.parties.get()
    client.post(f"/relations/workers/{p.pk}/amounts/", {"amount_owed": "8000", "amount_recovered": "9000"})
    p.refresh_from_db()
    assert p.amount_recovered == 0  # more than owed: refused
    client.post(f"/relations/workers/{p.pk}/amounts/", {"amount_owed": "8000", "amount_recovered": "5000"})
    p.refresh_from_db()
    assert (p.amount_recovered, p.amount_outstanding) == (Decimal("5000"), Decimal("3000"))
    response = client.get("/relations/cases.xlsx")
    rows = read_xlsx(response.content)
    assert rows[0][0] == "案件编号" and rows[1][0] == case.number
    assert rows[1][9:12] == [8000, 5000, 3000]
    assert p.id_number not in repr(rows) and p.name not in repr(rows)  # no personal data in the export
    client.force_login(world.sz_officer)
    assert (
        client.post(f"/relations/workers/{p.pk}/amounts/", {"amount_owed": "1", "amount_recovered": "0"}).status_code
        == 404
    )


def test_signals_pages(world, client):
    client.force_login(world.hz_officer)
    data = {
        "organisation": world.hz.pk,
        "kind": "wage_arrears",
        "severity": "serious",
        "employer_name": "杭州测试建筑劳务有限公司",
        "city": "330100",
        "industry": "construction",
        "ownership": "private",
        "workers_affected": "40",
        "occurred_on": "2023-12-05",
        "description": "年底欠薪苗头",
        "origin_330000": "20",
        "origin_320000": "15",
        "site_provinces": ["310000"],
    }
    response = client.post("/relations/signals/new/", data)
    signal = Signal.objects.get()
    assert response.status_code == 302
    assert signal.origins == {"330000": 20, "320000": 15}
    assert sorted(s.federation.name for s in signal.shares.all()) == ["江苏省总工会"]  # no Shanghai federation here
    page = client.get(f"/relations/signals/{signal.pk}/").content.decode()
    assert "江苏 15" in page and "江苏省总工会" in page
    rows = read_xlsx(client.get("/relations/signals.xlsx").content)
    assert rows[1][3] == "杭州测试建筑劳务有限公司"
    assert "杭州测试建筑劳务有限公司" in client.get("/relations/signals/?scope=ours").content.decode()
    response = client.post(f"/relations/signals/{signal.pk}/status/", {"status": "handling"})
    signal.refresh_from_db()
    assert signal.status == "handling"
    client.force_login(world.sz_officer)  # a city officer of Jiangsu: the province federation sees it, not the city
    assert client.get(f"/relations/signals/{signal.pk}/").status_code == 404


def test_projects_and_prevention_measures(world, client):
    client.force_login(world.hz_officer)
    response = client.post(
        "/relations/projects/new/",
        {
            "organisation": world.hz.pk,
            "name": "杭州测试安置房项目",
            "city": "330100",
            "contractor": "分包公司",
            "main_contractor": "总包公司",
            "project_manager": "张经理",
        },
    )
    project = Project.objects.get()
    assert response.status_code == 302
    response = client.post(
        f"/relations/projects/{project.pk}/measures/",
        {
            "kind": "commitment_letter",
            "done_on": "2023-03-10",
            "note": "签订承诺书",
            "files": [upload("承诺书.pdf", pdf_bytes())],
        },
    )
    measure = project.measures.get()
    [item] = measure.files.all()
    page = client.get(f"/relations/projects/{project.pk}/").content.decode()
    assert "2023-03-10" in page and "未落实" in page  # the other three measures
    assert client.get(f"/relations/evidence/{item.key}/").status_code == 200
    client.force_login(world.sz_officer)
    assert client.get(f"/relations/projects/{project.pk}/").status_code == 404
    assert client.get(f"/relations/evidence/{item.key}/").status_code == 404


def _data(world):
    c1 = open_case(world, opened_on=dt.date(2023, 1, 10), parties=[party(owed="8000")])
    c2 = open_case(world, kind=CaseKind.DISPUTE, opened_on=dt.date(2023, 6, 1), parties=[party("李秀英", seq=242)])
    services.case_assign(case=c1, assignee=world.hz_officer, by=world.hz_officer)
    services.case_step(case=c1, step="close", by=world.hz_officer, outcome="wages_paid", on=dt.date(2023, 3, 1))
    services.party_set_amounts(party=c1.parties.get(), by=world.hz_officer, amount_owed="8000", amount_recovered="8000")
    open_case(world, opened_on=dt.date(2022, 12, 20), parties=[party(owed="1000")])
    services.signal_create(
        organisation=world.sz,
        by=world.sz_officer,
        kind="layoffs",
        severity="general",
        workers_affected=50,
        origins={"320000": 50},
        site_provinces=[],
        occurred_on=dt.date(2023, 1, 5),
        description="裁员",
        city=__import__("deltaunion.relations.tests.factories", fromlist=["sz_city"]).sz_city(),
        employer_name="苏州测试企业",
        industry="manufacturing",
        ownership="foreign",
    )
    return c1, c2


def test_the_report_figures(world):
    _data(world)
    rows = {r["key"]: r for r in report.rows(2023, "province")}
    assert set(rows) == {"320000", "330000"}
    zj = rows["330000"]
    assert (zj["cases"], zj["unpaid_wages"], zj["disputes"], zj["closed"]) == (2, 1, 1, 1)
    assert (zj["owed"], zj["recovered"], zj["outstanding"]) == (8000.0, 8000.0, 0.0)
    assert rows["320000"]["signals"] == 1 and rows["320000"]["workers_affected"] == 50
    months = {r["key"]: r for r in report.rows(2023, "month")}
    assert months["1"]["cases"] == 1 and months["1"]["signals"] == 1 and months["6"]["cases"] == 1
    assert months["1"]["label"] == "1月"
    trend = report.trend(2023)
    assert trend["this"]["cases"][0] == 1 and trend["previous"]["cases"][11] == 1
    assert [r["label"] for r in report.rows(2023, "ownership")] == ["非公", "外商投资"]
    outcomes = {o["key"]: o["count"] for o in report.outcomes(2023)}
    assert outcomes["wages_paid"] == 1 and outcomes["open"] == 1


def test_the_report_page_excel_pdf_and_api(world, client):
    c1, _c2 = _data(world)
    client.force_login(world.zj_admin)
    page = client.get("/relations/report/?year=2023&by=province").content.decode()
    assert "vendor/charts/charts.min.js" in page and 'data-testid="report-table"' in page and "浙江" in page
    assert c1.parties.get().name not in page
    assert "8,000.00" in page and "8000.0<" not in page  # amounts printed as money
    book = client.get("/relations/report.xlsx?year=2023").content
    sheet = read_xlsx(book)
    assert sheet[0][0] == "省" and any(row[0] == "浙江" for row in sheet)
    pdf = client.get("/relations/report.pdf?year=2023")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-") and pdf["Content-Type"] == "application/pdf"
    api = client.get("/api/relations/report", {"year": 2023, "by": "province"})
    assert api.status_code == 200
    body = api.json()
    assert body["rows"] == report.rows(2023, "province") and body["total"]["cases"] == 2
    assert c1.parties.get().id_number not in api.content.decode()
    for bad in ({"year": 1800}, {"by": "name"}, {"year": "abc"}):
        assert client.get("/api/relations/report", bad).status_code == 422
    client.force_login(world.worker)
    refused = client.get("/api/relations/report", {"year": 2023})
    assert refused.status_code == 403 and refused.json()["detail"]
    client.logout()
    assert client.get("/api/relations/report").status_code == 401


def test_recording_the_report_for_the_joint_meeting(world, client):
    _data(world)
    client.force_login(world.zj_admin)
    response = client.post("/relations/report/record/", {"organisation": world.zj.pk, "year": 2023, "title": ""})
    assert response.status_code == 302
    item = SituationReport.objects.get()
    assert item.organisation == world.zj and {r["key"] for r in item.figures["by"]["province"]} == {"320000", "330000"}
    assert item.title == "2023年劳动关系状况会商研判报告"
    client.force_login(world.hz_officer)  # may not record for a union it does not manage
    client.post("/relations/report/record/", {"organisation": world.zj.pk, "year": 2023})
    assert SituationReport.objects.count() == 1


def test_the_case_page_never_shows_codes(world, client):
    case = open_case(world)
    services.case_assign(case=case, assignee=world.hz_officer, by=world.hz_officer)
    services.evidence_add(case=case, upload=upload("工资条.png", png_bytes()), kind="pay_slip", by=world.hz_officer)
    services.case_add_party(case=case, by=world.hz_officer, name="赵演示", amount_owed="100")
    services.case_refer(case=case, to_organisation=world.sz, mode="transfer", by=world.hz_officer)
    client.force_login(world.sz_officer)  # deciding on the transfer: no names, not even in file names
    page = client.get(f"/relations/cases/{case.pk}/").content.decode()
    assert "赵演示" not in page and "工资条.png" not in page and "材料类型：工资条" in page
    client.force_login(world.hz_officer)
    page = client.get(f"/relations/cases/{case.pk}/").content.decode()
    for code in ("relations_case", 'unpaid_wages"', "parties_text", "parties text", "referred<", "transfer<"):
        assert code not in page, code
    for code in ("：pay_slip", ">pay_slip", "evidence：", "kind："):
        assert code not in page, code
    assert "材料类型：工资条" in page
    assert "转办了案件" in page and "移交" in page
    assert hz_city().name in page

"""Innovation studios: the 七有 standard decides at which level a studio may be nominated;
recognitions set the level; yearly reports (one by one, or many studios at once from Excel);
the alliance view's figures, tables, charts and Excel."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from deltaunion.core.audit import history
from deltaunion.core.imports import run_import
from deltaunion.core.permissions import Forbidden
from deltaunion.core.testing import make_xlsx, read_xlsx
from deltaunion.honours import selectors, services
from deltaunion.honours.imports import StudioReportImport
from deltaunion.honours.models import RecipientKind, StudioReport
from deltaunion.honours.standard import SevenHaves, StudioLevel

from .factories import TODAY, studio

pytestmark = pytest.mark.usefixtures("english")


def _regional_selection(world):
    selection = services.selection_create(
        lead_org=world.zj, title="测试工作室选树", year=2023, issuing_body="江苏省总工会", by=world.zj_admin
    )
    category = services.category_add(
        selection=selection,
        honour_name="测试区域创新工作室",
        recipient_kind=RecipientKind.STUDIO,
        studio_level=StudioLevel.REGIONAL,
        places=5,
        by=world.zj_admin,
    )
    services.quota_set(selection=selection, organisation=world.hz, places=5, by=world.zj_admin)
    services.selection_transition(selection=selection, name="open", by=world.zj_admin)
    return selection, category


def test_a_studio_lacking_an_item_cannot_be_nominated_at_a_level_that_requires_it(world):
    workshop = studio(world)
    selection, category = _regional_selection(world)
    for item in ("lead", "team", "site", "equipment", "rules", "funding"):
        services.studio_check_set(studio=workshop, item=item, evidence="见附件", by=world.hz_officer)

    def nominate():
        return services.nomination_create(
            selection=selection,
            category=category,
            organisation=world.hz,
            studio=workshop,
            statement="x",
            by=world.hz_officer,
            today=TODAY,
        )

    with pytest.raises(ValidationError, match="missing: Has innovation results"):
        nominate()
    services.studio_check_set(studio=workshop, item=SevenHaves.RESULTS, evidence="", by=world.hz_officer)
    with pytest.raises(ValidationError):
        nominate()
    services.studio_check_set(studio=workshop, item=SevenHaves.RESULTS, evidence="专利3项", by=world.hz_officer)
    assert nominate().studio == workshop
    # An enterprise-level studio needs only the lead, the team and the site.
    assert selectors.studio_checklist(workshop)[6].required_for[0] == str(StudioLevel.PROVINCIAL.label)


def test_recognitions_set_the_level_and_make_the_studio_public(world):
    workshop = studio(world)
    anonymous = Client()
    assert anonymous.get(reverse("honours:studio", args=[workshop.pk])).status_code == 404
    services.studio_recognise(
        studio=workshop,
        level=StudioLevel.CITY,
        recognised_on=dt.date(2021, 5, 1),
        body="杭州市总工会",
        by=world.hz_officer,
    )
    services.studio_recognise(
        studio=workshop,
        level=StudioLevel.PROVINCIAL,
        recognised_on=dt.date(2022, 5, 1),
        body="浙江省总工会",
        by=world.hz_officer,
    )
    workshop.refresh_from_db()
    assert workshop.level == StudioLevel.PROVINCIAL
    page = anonymous.get(reverse("honours:studio", args=[workshop.pk]))
    assert page.status_code == 200 and "浙江省总工会" in page.content.decode()
    # Officer tools are for the studio's union only.
    assert 'data-testid="edit"' not in page.content.decode()
    with pytest.raises(Forbidden):
        services.studio_recognise(
            studio=workshop, level=StudioLevel.CITY, recognised_on=dt.date(2022, 1, 1), body="x", by=world.sz_officer
        )
    with translation.override("en"):
        actions = [item.action for item in history(workshop)]
    assert "recorded a recognition of the studio" in actions


def test_yearly_reports_and_their_rules(world):
    workshop = studio(world)
    services.studio_report_save(
        studio=workshop,
        year=2022,
        topics=5,
        projects=3,
        results=4,
        applied_results=2,
        patents=1,
        savings_yuan="120000",
        by=world.hz_officer,
    )
    with pytest.raises(ValidationError, match="cannot be more than the results"):
        services.studio_report_save(studio=workshop, year=2023, results=1, applied_results=2, by=world.hz_officer)
    services.studio_report_save(studio=workshop, year=2022, topics=6, by=world.hz_officer)
    report = StudioReport.objects.get(studio=workshop, year=2022)
    assert (report.topics, report.projects, report.savings_yuan) == (6, 3, Decimal("120000"))


def test_many_studios_reports_imported_at_once(world):
    a = studio(world, "甲工作室")
    b = studio(world, "乙工作室", lead=world.hz_b)
    headers = ["工作室名称", "年度", "创新课题", "攻关项目", "创新成果", "推广应用成果", "专利", "创造经济效益（元）"]
    importer = StudioReportImport(organisation=world.hz)
    bad = make_xlsx(
        [
            ["甲工作室", "2023", "3", "2", "1", "5", "0", "100"],
            ["丙工作室", "2023", "1", "1", "1", "1", "0", "0"],
            ["乙工作室", "1900", "1", "1", "1", "1", "0", "-5"],
        ],
        headers,
    )
    result = run_import(importer, bad, by=world.hz_officer)
    messages = " ".join(e.message for e in result.errors)
    assert not result.ok and "cannot be more than the results" in messages and "No studio of this union" in messages
    assert "from 1949 to 2100" in messages and "amount in yuan" in messages
    assert not StudioReport.objects.exists()
    good = make_xlsx(
        [
            ["甲工作室", "2022", "3", "2", "2", "1", "1", "250000.5"],
            ["甲工作室", "2023", "4", "2", "3", "2", "0", "0"],
            ["乙工作室", "2023", "1", "1", "1", "1", "0", "0"],
        ],
        headers,
    )
    result = run_import(StudioReportImport(organisation=world.hz), good, by=world.hz_officer)
    assert result.ok and result.counts == {"created": 3, "updated": 0}
    assert StudioReport.objects.get(studio=a, year=2022).savings_yuan == Decimal("250000.50")
    again = run_import(StudioReportImport(organisation=world.hz), good, by=world.hz_officer)
    assert again.counts == {"created": 0, "updated": 3}
    assert StudioReport.objects.filter(studio=b).count() == 1
    # Suzhou may not import into Hangzhou.
    with pytest.raises(Forbidden):
        StudioReportImport(organisation=world.hz).authorise(world.sz_officer)


def test_the_alliance_view_counts_recognised_studios_and_their_reports(world):
    a = studio(world, "甲工作室")
    b = studio(world, "乙工作室", lead=world.hz_b, industry="energy")
    studio(world, "未认定工作室", lead=world.hz_self)
    for s, level in ((a, StudioLevel.NATIONAL_DEMO), (b, StudioLevel.PROVINCIAL)):
        services.studio_recognise(
            studio=s, level=level, recognised_on=dt.date(2022, 1, 1), body="x", by=world.hz_officer
        )
    for s, year, figures in ((a, 2022, (10, 5, 8, 4, 3)), (a, 2023, (12, 6, 9, 5, 2)), (b, 2023, (2, 1, 1, 1, 0))):
        topics, projects, results, applied, patents = figures
        services.studio_report_save(
            studio=s,
            year=year,
            topics=topics,
            projects=projects,
            results=results,
            applied_results=applied,
            patents=patents,
            by=world.hz_officer,
        )
    stats = selectors.alliance_stats()
    assert stats.studios == 2
    assert [(y["year"], y["studios"], y["topics"], y["results"], y["applied_results"]) for y in stats.years] == [
        (2022, 1, 10, 8, 4),
        (2023, 2, 14, 10, 6),
    ]
    assert stats.totals["topics"] == 24 and stats.totals["applied_share"] == Decimal("55.6")
    levels = {r["code"]: r["studios"] for r in stats.by_level}
    assert levels[StudioLevel.NATIONAL_DEMO] == 1 and levels[StudioLevel.PROVINCIAL] == 1
    assert [r["studios"] for r in stats.by_province] == [2]
    page = Client().get(reverse("honours:alliance"))
    text = page.content.decode()
    assert page.status_code == 200 and "vendor/charts/charts.min.js" in text and 'data-testid="year-table"' in text
    assert "未认定工作室" not in text
    # The seeds' Inner Mongolia figures, in the same shape, for comparison.
    reference = text[text.index('data-testid="reference"') :]
    assert all(str(n) in reference for n in (3054, 1277, 2271, 1348, 198)) and "59.4%" in reference
    sheets = Client().get(reverse("honours:alliance") + "?export=xlsx").content
    rows = read_xlsx(sheets)
    assert rows[1][:3] == [2022, 1, 10] and rows[2][:3] == [2023, 2, 14]
    filtered = selectors.alliance_stats(selectors.StudioFilters(industry="energy"))
    assert filtered.studios == 1 and filtered.totals["topics"] == 2


def test_studio_pages_for_the_officers(world):
    c = Client()
    c.force_login(world.hz_officer)
    response = c.post(
        reverse("honours:studio_create"),
        {
            "organisation": world.hz_unit.pk,
            "name": "新工作室",
            "lead": world.hz_a.name,
            "members": world.hz_b.id_number,
            "industry": "manufacturing",
        },
    )
    assert response.status_code == 302
    workshop = world.hz_a.led_studios.get()
    assert list(workshop.members.all()) == [world.hz_b]
    url = reverse("honours:studio", args=[workshop.pk])
    c.post(url, {"action": "check", "item": "site", "evidence": "二号厂房120平方米"})
    c.post(
        url,
        {
            "action": "report",
            "year": 2023,
            "topics": 3,
            "projects": 1,
            "results": 2,
            "applied_results": 1,
            "patents": 0,
            "savings_yuan": "5000",
        },
    )
    page = c.get(url).content.decode()
    assert "二号厂房120平方米" in page and 'data-testid="reports"' in page
    rows = read_xlsx(c.get(reverse("honours:studios") + "?export=xlsx").content)
    assert rows[1][0] == "新工作室"
    other = Client()
    other.force_login(world.sz_officer)
    assert other.get(url).status_code == 404

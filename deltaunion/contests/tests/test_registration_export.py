"""The registration export (Excel): sending union, the worker's own union, employer, ID number
and phone, masked by role (core.privacy) — an officer of the lead organisation sees them in
full, a contest organiser without an organisation role sees them masked."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from deltaunion.contests import services
from deltaunion.contests.models import Contest, ContestRole
from deltaunion.core.privacy import mask_id_number, mask_name, mask_phone

from .factories import UserFactory, build_world

pytestmark = pytest.mark.django_db


def _rows(response) -> list[dict]:
    assert response.status_code == 200, response.status_code
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    headers = rows[0]
    return [dict(zip(headers, row, strict=True)) for row in rows[1:]]


@pytest.fixture
def entered():
    w = build_world()
    services.contest_update(contest=w.contest, status=Contest.Status.OPEN, by=w.officer)
    workers = [w.worker(i, phone=f"1381234567{i}") for i in range(2)]
    # The first is sent by their city federation, the second by their own grassroots union.
    w.registrations = [
        services.registration_create(stage=w.stage, worker=workers[0], organisation=w.cities[0], by=w.officer),
        services.registration_create(stage=w.stage, worker=workers[1], by=w.officer),
    ]
    organiser = UserFactory()
    services.contest_role_grant(contest=w.contest, user=organiser, role=ContestRole.Kind.ORGANISER, by=w.officer)
    return w, workers, organiser


def test_the_officer_gets_every_column_in_full(client, entered):
    w, workers, _organiser = entered
    client.force_login(w.officer)
    rows = _rows(client.get(reverse("contests:registrations_export", args=[w.stage.pk])))
    assert len(rows) == 2
    by_id = {r["身份证号"]: r for r in rows}
    for x, reg in zip(workers, w.registrations, strict=True):
        row = by_id[x.id_number]
        assert row["选手"] == x.name
        assert row["手机号"] == x.phone
        assert row["用人单位"] == x.employer.name
        assert row["所在工会"] == x.organisation.name
        assert row["推荐工会"] == reg.organisation.name
    # The first worker's union is not the union that sent them: both are in the sheet.
    first = by_id[workers[0].id_number]
    assert first["推荐工会"] == w.cities[0].name and first["所在工会"] == workers[0].organisation.name


def test_the_organiser_gets_them_masked(client, entered):
    w, workers, organiser = entered
    client.force_login(organiser)
    rows = _rows(client.get(reverse("contests:registrations_export", args=[w.stage.pk])))
    by_id = {r["身份证号"]: r for r in rows}
    for x in workers:
        row = by_id[mask_id_number(x.id_number)]
        assert row["选手"] == mask_name(x.name) and row["手机号"] == mask_phone(x.phone)
        assert row["用人单位"] == x.employer.name and row["所在工会"] == x.organisation.name
    cells = [v for r in rows for v in r.values()]
    assert not any(x.id_number in cells or x.phone in cells or x.name in cells for x in workers)

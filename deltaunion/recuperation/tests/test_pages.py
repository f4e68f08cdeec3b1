"""The recuperation pages: browsing on a phone with filters, the refusal rule (404 for what one
may not see, 403 with the permission's message for what one may see but not change), the
reasons a worker may not apply, applying and approving, the published draw and its re-run,
the exchange matrix with charts, tables and Excel, and that workers never see officer tools."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from deltaunion.core.testing import make_xlsx, read_xlsx
from deltaunion.recuperation import draw, imports, services
from deltaunion.recuperation.models import Application, Batch, Itinerary
from deltaunion.recuperation.tests.factories import after, batch, drawn, enter, hz_workers, itinerary

pytestmark = pytest.mark.django_db
A = Application.Status


def login(client, user):
    client.force_login(user)
    return client


def test_browsing_is_public_with_filters_and_shows_published_itineraries_only(client, world):
    it = itinerary(world, "公开的太湖行程")
    draft = itinerary(world, "起草中的行程", publish=False)
    b = batch(world, it)
    text = client.get("/recuperation/").content.decode()
    assert "公开的太湖行程" in text and "起草中的行程" not in text
    assert 'name="viewport"' in text and "疗休养" in text  # the navigation item, for everyone
    assert "4天3晚" in text and 'data-testid="open-badge"' in text
    month = b.start_date.strftime("%Y-%m")
    assert "公开的太湖行程" in client.get("/recuperation/", {"month": month, "province": "320000"}).content.decode()
    for params in ({"province": "330000"}, {"length": "3"}, {"theme": "family"}, {"price": "100"}):
        assert "公开的太湖行程" not in client.get("/recuperation/", params).content.decode(), params
    assert (
        "公开的太湖行程"
        in client.get("/recuperation/", {"price": "500", "theme": "red", "length": "4"}).content.decode()
    )
    response = client.get("/recuperation/", {"province": "<script>", "month": "2023-13"})
    assert response.status_code == 200 and "公开的太湖行程" in response.content.decode()
    assert "没有符合" in client.get("/recuperation/", {"province": "340000"}).content.decode()  # the empty state
    assert client.get(f"/recuperation/itineraries/{draft.pk}/").status_code == 404
    assert login(client, world.sz_officer).get(f"/recuperation/itineraries/{draft.pk}/").status_code == 200


def test_the_batch_page_shows_the_committed_seed_and_why_a_worker_cannot_apply(client, world):
    world.hz_self.is_member = False
    world.hz_self.save(update_fields=["is_member"])
    b = batch(world, itinerary(world), seed="page-seed")
    b.refresh_from_db()
    text = login(client, world.worker).get(f"/recuperation/batches/{b.pk}/").content.decode()
    assert b.seed_hash in text and "page-seed" not in text
    assert 'data-testid="why-not"' in text and "只有工会会员才能报名" in text
    assert 'data-testid="apply"' not in text
    # Officer tools are never shown to a worker.
    for tool in ('data-testid="steps"', 'data-testid="export"', 'data-testid="nav-manage"', 'id="history"'):
        assert tool not in text
    assert client.post(f"/recuperation/batches/{b.pk}/step/", {"step": "close"}).status_code == 403
    assert client.get("/recuperation/manage/").status_code == 403
    assert client.get("/recuperation/matrix/").status_code == 403


def test_a_worker_applies_on_the_page_and_the_union_approves(client, world):
    b = batch(world, itinerary(world))
    login(client, world.worker)
    assert 'data-testid="apply"' in client.get(f"/recuperation/batches/{b.pk}/").content.decode()
    response = client.post(f"/recuperation/batches/{b.pk}/apply/")
    app = Application.objects.get(batch=b, worker=world.hz_self)
    assert response.status_code == 302 and response["Location"] == f"/recuperation/applications/{app.pk}/"
    text = client.get(response["Location"]).content.decode()
    assert "等待工会审核" in text and 'data-testid="decide"' not in text and 'data-testid="withdraw"' in text
    assert "我的疗休养" in client.get("/recuperation/mine/").content.decode()
    # The union's officer sees it to approve and approves it.
    login(client, world.hz_officer)
    assert "陈小明" in client.get("/recuperation/manage/approvals/").content.decode()
    client.post(f"/recuperation/applications/{app.pk}/decide/", {"decision": "approve"})
    assert Application.objects.get(pk=app.pk).status == A.APPROVED
    # The Suzhou officer organises the batch and sees the application, but is not its union: 403.
    login(client, world.sz_officer)
    assert client.get(f"/recuperation/applications/{app.pk}/").status_code == 200
    response = client.post(f"/recuperation/applications/{app.pk}/withdraw/")
    assert response.status_code == 403 and "只有职工本人及其所在工会的干部才能这样做" in response.content.decode()


def test_changing_what_one_may_see_but_not_manage_is_403_with_the_message(client, world):
    it = itinerary(world)
    b = batch(world, it)
    login(client, world.hz_officer)
    response = client.post(f"/recuperation/batches/{b.pk}/step/", {"step": "close"})
    assert response.status_code == 403 and "只有组织该团期的工会干部才能这样做" in response.content.decode()
    assert Batch.objects.get(pk=b.pk).status == "open"
    response = client.get(f"/recuperation/itineraries/{it.pk}/edit/")
    assert response.status_code == 403
    response = client.post(f"/recuperation/itineraries/{it.pk}/status/", {"status": "withdrawn"})
    assert response.status_code == 403 and Itinerary.objects.get(pk=it.pk).status == "published"
    base = it.stays.get().base
    assert client.get(f"/recuperation/bases/{base.pk}/edit/").status_code == 403
    assert client.get(f"/recuperation/bases/{base.pk}/").status_code == 200


def test_an_officer_runs_a_batch_through_the_pages(client, world):
    it = itinerary(world)
    login(client, world.sz_officer)
    close = (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    start = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    response = client.post(
        f"/recuperation/itineraries/{it.pk}/batches/new/",
        {
            "start_date": start,
            "places": "2",
            "senders": [world.zj.pk],
            "applications_close_at": close,
            "confirm_days": "5",
            "reserve_gig": "1",
            "contact": "领队 000",
        },
    )
    b = Batch.objects.get(itinerary=it)
    assert (
        response.status_code == 302 and b.reserves == {"gig": 1} and b.end_date == b.start_date + dt.timedelta(days=3)
    )
    client.post(f"/recuperation/batches/{b.pk}/step/", {"step": "open"})
    b.refresh_from_db()
    assert b.status == "open" and len(b.seed_hash) == 64
    # Too early to close: a message, nothing changed.
    response = client.post(f"/recuperation/batches/{b.pk}/step/", {"step": "close"}, follow=True)
    assert "才能关闭" in response.content.decode() and Batch.objects.get(pk=b.pk).status == "open"
    response = client.post(f"/recuperation/batches/{b.pk}/cancel/", {"reason": "基地检修"})
    assert Batch.objects.get(pk=b.pk).status == "cancelled"


def test_the_draw_page_re_runs_the_draw_and_offers_the_record(client, world):
    d = drawn(world, places=2, applicants=5, seed="page-draw", reserves={"skilled": 1})
    text = client.get(f"/recuperation/batches/{d.batch.pk}/draw/").content.decode()
    assert 'data-testid="verified"' in text and "page-draw" in text
    assert text.count('data-testid="draw-row"') == 5
    assert d.workers[0].name not in text  # names are masked in the published list
    record = json.loads(client.get(f"/recuperation/batches/{d.batch.pk}/draw.json").content)
    assert draw.verify(record) == (True, [])
    page = client.get(f"/recuperation/batches/{d.batch.pk}/").content.decode()
    assert "page-draw" in page and 'data-testid="draw-link"' in page


def test_the_worker_confirms_a_drawn_place_on_the_page(client, world):
    b = batch(world, itinerary(world), places=1, seed="confirm-page")
    mine = services.application_submit(batch=b, by=world.worker)
    services.application_decide(application=mine, approve=True, by=world.hz_officer)
    services.batch_close(batch=b, by=world.sz_officer, now=after(b))
    services.batch_draw(batch=b, by=world.sz_officer, now=timezone.now())
    login(client, world.worker)
    text = client.get(f"/recuperation/applications/{mine.pk}/").content.decode()
    assert 'data-testid="confirm"' in text and "领队 0512-00000000" in text and "第三天" in text
    client.post(f"/recuperation/applications/{mine.pk}/confirm/")
    assert Application.objects.get(pk=mine.pk).status == A.CONFIRMED
    assert "已确认名额" in client.get("/recuperation/mine/").content.decode()


def test_the_exchange_matrix_page_draws_charts_with_the_figures_beside_and_exports_them(client, world):
    services.target_set(federation=world.zj, year=2023, workers=3000, by=world.zj_admin)
    from deltaunion.heritage.tests.factories import regions

    services.group_trip_record(
        sender=world.zj,
        by=world.zj_admin,
        destination=regions()["js"],
        start_date=dt.date(2023, 6, 2),
        days=3,
        nights=2,
        workers=77,
    )
    login(client, world.hz_officer)
    text = client.get("/recuperation/matrix/", {"year": 2023}).content.decode()
    assert "vendor/charts/charts.min.js" in text and 'id="chart-sent"' in text and "matrix-chart" in text
    assert (
        'data-testid="matrix-table"' in text
        and 'data-testid="month-table"' in text
        and 'data-testid="group-table"' in text
    )
    assert ">77<" in text and "3000" in text
    data = client.get("/recuperation/matrix.xlsx", {"year": 2023}).content
    sheet = read_xlsx(data)
    zj = next(r for r in sheet if r[0] == "浙江省总工会")
    assert 77 in zj and 3000 in zj
    assert read_xlsx(data, 1)[0][0] == "派出总工会" and len(read_xlsx(data, 3)[0]) == 8
    # Pages that draw no chart do not load ECharts.
    assert "vendor/charts/" not in client.get("/recuperation/").content.decode()


def test_bases_list_export_and_import_page(client, world):
    it = itinerary(world)
    base = it.stays.get().base
    text = client.get("/recuperation/bases/").content.decode()
    assert base.name in text and 'data-testid="export"' not in text
    assert client.get("/recuperation/bases.xlsx").status_code == 302  # sign in first
    login(client, world.sz_officer)
    text = client.get("/recuperation/bases/").content.decode()
    assert 'data-testid="export"' in text and 'data-testid="import"' in text
    rows = read_xlsx(client.get("/recuperation/bases.xlsx").content)
    assert rows[0] == imports.export_headers() and rows[1][0] == base.name
    matrix = client.get("/recuperation/bases/matrix/").content.decode()
    assert base.name in matrix
    response = client.post(
        "/recuperation/manage/bases/import/",
        {
            "organisation": world.sz.pk,
            "file": _upload(
                make_xlsx(
                    [["导入的苏州基地", "工人疗养院", "江苏省", "苏州市", "", "", "", "", "", "50"]],
                    imports.export_headers()[:10],
                )
            ),
        },
    )
    assert response.status_code == 302
    assert "导入的苏州基地" in client.get("/recuperation/bases/").content.decode()


def _upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        "bases.xlsx", data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def test_history_reads_as_sentences_without_codes(client, world):
    d = drawn(world, places=1, applicants=2, seed="history")
    login(client, world.sz_officer)
    text = client.get(f"/recuperation/batches/{d.batch.pk}/").content.decode()
    assert "抽取名额" in text and "recup_batch" not in text and "seed_hash" not in text
    app = Application.objects.filter(batch=d.batch, status=A.OFFERED).first()
    text = client.get(f"/recuperation/applications/{app.pk}/").content.decode()
    assert "抽中名额" in text and "recup_application" not in text and app.lottery_key not in text


def test_officers_enter_workers_and_the_approval_list_exports(client, world):
    b = batch(world, itinerary(world))
    services.application_submit(batch=b, by=world.worker)
    enter(world, b, hz_workers(world, 1))
    login(client, world.hz_officer)
    rows = read_xlsx(client.get("/recuperation/manage/approvals/", {"format": "xlsx"}).content)
    assert [r[0] for r in rows[1:]] == ["陈小明"]
    export = read_xlsx(client.get(f"/recuperation/batches/{b.pk}/applications.xlsx").content)
    assert len(export) == 3 and all("*" not in str(r[1]) for r in export[1:])  # the union's officers see phones


def test_a_base_photo_is_checked_by_its_content_and_served_to_anyone(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from deltaunion.heritage.tests.test_photos import png_bytes

    base = itinerary(world).stays.get().base
    login(client, world.sz_officer)
    fake = SimpleUploadedFile("p.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    response = client.post(
        f"/recuperation/bases/{base.pk}/photos/", {"image": fake, "credit": "演示", "caption": "冒充"}
    )
    assert not base.photos.exists()
    real = SimpleUploadedFile("whatever.txt", png_bytes(), content_type="text/plain")
    response = client.post(
        f"/recuperation/bases/{base.pk}/photos/", {"image": real, "credit": "演示照片", "caption": "湖边"}
    )
    assert response.status_code == 302
    photo = base.photos.get()
    assert photo.content_type == "image/png" and photo.image.name.endswith(".png")
    client.logout()
    served = client.get(f"/recuperation/photos/{photo.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff" and b"".join(served.streaming_content) == png_bytes()

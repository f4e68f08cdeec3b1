"""Printing a results list: the print stylesheet leaves the content (title, the ranking table)
and drops the menu, the skip link, buttons and forms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from deltaunion.contests import services
from deltaunion.contests.models import Contest
from deltaunion.contests.tests.factories import build_world, mark_everything, register_and_draw, sign_off_all

from .test_smoke import CHROMIUM, CHROMIUM_ARGS, DESKTOP

pytestmark = pytest.mark.browser


def test_a_results_list_prints_without_menu_and_buttons(transactional_db, live_server):
    w = build_world()
    services.contest_update(contest=w.contest, status=Contest.Status.OPEN, by=w.officer)
    register_and_draw(w, 4)
    mark_everything(w)
    sign_off_all(w)
    services.stage_reveal(stage=w.stage, by=w.decryptor)
    recheck = services.recheck_start(stage=w.stage, by=w.chief, seed="s")
    for item in recheck.items.all():
        services.recheck_item_record(item=item, error_found=False, by=w.chief)
    services.recheck_complete(recheck=recheck, by=w.chief)
    rs = services.result_set_publish(stage=w.stage, by=w.officer)
    services.result_set_finalise(result_set=rs, by=w.officer, now=rs.notice_until + dt.timedelta(seconds=1))
    url = live_server.url + reverse("contests:results", args=[w.stage.pk])
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
            page.goto(url)
            assert page.locator("nav.navbar").is_visible()
            page.emulate_media(media="print")
            visible = page.evaluate(
                """() => [...document.querySelectorAll('.navbar, .du-skip, footer, .btn, form')]
                    .filter(e => e.getClientRects().length > 0).map(e => e.outerHTML.slice(0, 80))"""
            )
            assert visible == []
            assert page.locator("main table").first.is_visible()
            assert page.locator("main h1").first.is_visible()
            pdf = page.pdf(format="A4")
            assert pdf[:4] == b"%PDF"
        finally:
            browser.close()

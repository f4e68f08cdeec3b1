"""Browser smoke test: Debian's Chromium driven by Playwright against a live server with the demo data.

Screenshots go to test-artifacts/ (git-ignored) at a phone width and a desktop width.
Never run `playwright install`: the test uses /usr/bin/chromium or skips.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.management import call_command

from .chromium import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, _shot, chromium

__all__ = ["ARTIFACTS", "CHROMIUM", "CHROMIUM_ARGS", "DESKTOP", "PHONE", "_shot", "chromium"]

FULL_ID = re.compile(r"^\d{17}[\dX]$")
CHART_PAGES = [
    "/practice/manage/stats/",
    "/honours/studios/alliance/",
    "/relations/report/",
    "/recuperation/matrix/?year=2023",
]

pytestmark = pytest.mark.browser


def test_login_plans_language_switch_and_workers(transactional_db, live_server):
    # All database work happens before the browser starts (Playwright's sync API runs an event loop).
    call_command("load_demo", quiet=True)
    _run_browser(live_server.url)


def _run_browser(base: str) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            desktop = browser.new_context(viewport=DESKTOP, locale="zh-CN")
            page = desktop.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))

            # Sign in through the form.
            page.goto(f"{base}/accounts/login/")
            page.fill("#id_username", "hz_officer")
            page.fill("#id_password", "deltaunion-demo")
            page.click("main form button[type=submit]")
            page.wait_for_url(f"{base}/")

            # The 2023 plan, in Chinese: the 16 contests.
            expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
            expect(page.locator("nav")).to_contain_text("工作方案")
            expect(page.locator("h1")).to_contain_text("2023")
            expect(page.locator("[data-testid=plan]").first).to_contain_text("16项劳动和技能竞赛")
            expect(page.locator("body")).to_contain_text("劳动和技能竞赛 16 项")
            _shot(page, "home-zh-desktop")

            phone = browser.new_context(viewport=PHONE, storage_state=desktop.storage_state(), is_mobile=True)
            phone_page = phone.new_page()
            phone_page.goto(f"{base}/")
            expect(phone_page.locator("[data-testid=plan]").first).to_contain_text("16项劳动和技能竞赛")
            _shot(phone_page, "home-zh-phone")
            phone_page.goto(f"{base}/people/")
            expect(phone_page.locator("[data-testid=worker-row]").first).to_be_visible()
            _shot(phone_page, "people-zh-phone")

            # Switch to English with the button.
            page.click("[data-testid=lang-en]")
            expect(page.locator("html")).to_have_attribute("lang", "en")
            nav = page.locator("nav")
            expect(nav).to_contain_text("Work plans")
            expect(nav).not_to_contain_text("工作方案")
            _shot(page, "home-en-desktop")

            # The officer's workers: rows with full ID numbers, none masked.
            page.goto(f"{base}/people/")
            rows = page.locator("[data-testid=worker-row]")
            expect(rows.first).to_be_visible()
            assert rows.count() == settings.DELTAUNION["PAGE_SIZE"]
            ids = [rows.nth(i).locator("td").nth(1).inner_text().strip() for i in range(rows.count())]
            assert all(FULL_ID.match(v) for v in ids), ids
            assert not any("*" in v for v in ids)
            assert all(v.startswith("3301") for v in ids), "a Hangzhou officer sees Hangzhou workers only"
            _shot(page, "people-en-desktop")

            # The same signed-in, English session at a phone width.
            phone_en = browser.new_context(viewport=PHONE, storage_state=desktop.storage_state(), is_mobile=True)
            phone_page = phone_en.new_page()
            phone_page.goto(f"{base}/people/")
            expect(phone_page.locator("html")).to_have_attribute("lang", "en")
            expect(phone_page.locator("[data-testid=worker-row]").first).to_be_visible()
            _shot(phone_page, "people-en-phone")
            phone_page.goto(f"{base}/")
            _shot(phone_page, "home-en-phone")

            # The chart pages draw every chart with the charts' bundle (only the parts of ECharts
            # they use, built at install), and nothing fails in the page.
            page.click("[data-testid=lang-zh-hans]")
            for path in CHART_PAGES:
                page.goto(f"{base}{path}")
                charts = page.locator("[id^=chart-]")
                expect(charts.first).to_be_visible()
                for i in range(charts.count()):
                    expect(charts.nth(i).locator("canvas").first).to_be_attached()
                loaded = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
                assert any("vendor/charts/charts" in url for url in loaded), loaded
                assert not any("echarts.min.js" in url for url in loaded), loaded
            _shot(page, "chart-page-zh-desktop")
            assert not errors, errors
        finally:
            browser.close()

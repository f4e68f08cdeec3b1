"""The live board on a phone: a main landmark, text in rem (not vw), and a polite live region
that says the board's summary when a poll brings a change — not the clock, not every poll."""

from __future__ import annotations

import pytest
from django.urls import reverse

from deltaunion.contests import services
from deltaunion.contests.models import Contest
from deltaunion.contests.tests.factories import build_world, register_and_draw

from .test_smoke import CHROMIUM, CHROMIUM_ARGS, PHONE, _shot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", ["board", "board_phone"])
def test_the_board_on_a_phone_is_readable_and_announces_changes(transactional_db, live_server, monkeypatch, name):
    w = build_world()
    services.contest_update(contest=w.contest, status=Contest.Status.OPEN, by=w.officer)
    numbers = register_and_draw(w, 4)
    url = live_server.url + reverse(f"contests:{name}", args=[w.stage.pk])
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    # A mark is entered while the page is open (the ORM beside Playwright's event loop).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True).new_page()
            page.goto(url)
            expect(page.locator("main")).to_have_count(1)
            said = page.get_by_test_id("board-said")
            expect(said).to_have_attribute("aria-live", "polite")
            page.wait_for_timeout(3500)  # a poll without a change says nothing
            expect(said).to_have_text("")
            smallest = page.evaluate(
                """() => Math.min(...[...document.querySelectorAll('main *')]
                    .filter(e => e.offsetParent && e.childNodes.length && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
                    .map(e => parseFloat(getComputedStyle(e).fontSize)))"""
            )
            assert smallest >= 12, f"text of {smallest}px on a phone"
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], width
            services.mark_enter(aspect=w.aspects[0], number=numbers[0], value=20, by=w.judges[0])
            expect(said).to_contain_text("已录入评分 1/", timeout=15000)
            _shot(page, f"contest-{name.replace('_', '-')}-on-a-phone")
        finally:
            browser.close()

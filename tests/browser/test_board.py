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


def test_the_big_screen_pages_through_every_rank(transactional_db, live_server):
    """1920×1080, a stage of 12 competitors: the ranking turns its pages (第 x/y 页) so that every
    rank is shown, each page inside its panel — none hidden below the bottom of the screen."""
    from deltaunion.contests.tests.factories import mark_everything, sign_off_all

    w = build_world()
    services.contest_update(contest=w.contest, status=Contest.Status.OPEN, by=w.officer)
    register_and_draw(w, 12)
    mark_everything(w)
    sign_off_all(w)
    services.stage_reveal(stage=w.stage, by=w.decryptor)
    url = live_server.url + reverse("contests:board", args=[w.stage.pk]) + "?rotate=3"
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN").new_page()
            page.goto(url)
            indicator = page.get_by_test_id("board-page")
            expect(indicator).to_have_text("第 1/3 页")
            # One snapshot of the page at a time (the page may turn between two separate reads).
            snapshot = """() => {
                const panel = document.querySelector('[data-testid=board-ranking]').getBoundingClientRect();
                const rows = [...document.querySelectorAll('#du-board tbody:not([hidden]) [data-testid=rank-row]')];
                return {page: document.querySelector('[data-testid=board-page]').textContent.trim(),
                        bottom: panel.bottom,
                        rows: rows.map(r => ({number: r.cells[1].textContent, bottom: r.getBoundingClientRect().bottom}))};
            }"""
            seen: set[str] = set()
            for x in (1, 2, 3, 1):
                expect(indicator).to_have_text(f"第 {x}/3 页", timeout=8000)
                shown = page.evaluate(snapshot)
                if shown["page"] != f"第 {x}/3 页":
                    continue  # turned in between: the next round checks the next page
                assert len(shown["rows"]) == (2 if x == 3 else 5), shown
                for row in shown["rows"]:
                    assert row["bottom"] <= shown["bottom"] + 1, (x, row)
                    assert row["bottom"] <= 1080
                    seen.add(row["number"])  # its secret number
            assert len(seen) == 12, seen
            _shot(page, "contest-board-big-paged")
        finally:
            browser.close()

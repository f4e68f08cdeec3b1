"""The big-screen board and the judge's marking page in Debian's Chromium (Playwright).

Screenshots go to test-artifacts/. Never run `playwright install`: skip without /usr/bin/chromium.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from deltaunion.contests import services
from deltaunion.contests.models import Contest

from .factories import build_world, mark_everything, register_and_draw, sign_off_all

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-background-networking", "--disable-gpu"]

pytestmark = pytest.mark.browser


def test_big_screen_board_and_judge_marking_on_a_phone(transactional_db, live_server):
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    # All database work before the browser starts (Playwright's sync API runs an event loop).
    w = build_world()
    services.contest_update(contest=w.contest, status=Contest.Status.OPEN, by=w.officer)
    numbers = register_and_draw(w, 6)
    mark_everything(w)
    sign_off_all(w)
    services.stage_reveal(stage=w.stage, by=w.decryptor)
    judging = build_world()  # a second contest still in marking, for the judge's page
    judge_numbers = register_and_draw(judging, 8)
    services.mark_enter(aspect=judging.aspects[0], number=judge_numbers[0], value=20, by=judging.judges[0])
    client = Client()
    client.force_login(judging.judges[0])
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    board_url = live_server.url + reverse("contests:board", args=[w.stage.pk])
    mark_url = live_server.url + reverse("contests:judge_mark", args=[judging.modules[1].pk])
    names = [r.worker.name for r in w.registrations]
    assert numbers

    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            screen = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
            screen.goto(board_url)
            expect(screen.locator("[data-testid=board-ranking]")).to_contain_text(names[0])
            screen.wait_for_timeout(3500)  # one htmx poll swaps the partial in place
            expect(screen.locator("[data-testid=board-ranking]")).to_contain_text(names[0])
            screen.screenshot(path=str(ARTIFACTS / "contest-board-big.png"))

            phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN")
            phone.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
            page = phone.new_page()
            page.goto(f"{mark_url}?number={judge_numbers[0]}")
            expect(page.locator("[data-testid=secret-number]")).to_have_text(judge_numbers[0])
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"the judge's page overflows: {width}px"
            page.screenshot(path=str(ARTIFACTS / "contest-judge-mark-phone.png"), full_page=True)
            html = page.content()
            for reg in judging.registrations:
                assert reg.worker.name not in html
        finally:
            browser.close()

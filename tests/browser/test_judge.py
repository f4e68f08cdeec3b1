"""The judge's marking page by keyboard only: pick a secret number from the grid, enter a
measurement and an all-or-nothing mark, save and go on. The grid says each number's state in
text as well as colour and marks the open one with aria-current."""

from __future__ import annotations

import pytest
from django.urls import reverse

from deltaunion.contests.tests.factories import build_world, register_and_draw

from .test_practice import _tab_to
from .test_smoke import CHROMIUM, CHROMIUM_ARGS, PHONE, _shot

pytestmark = pytest.mark.browser


def test_a_judge_enters_a_mark_by_keyboard_only(transactional_db, live_server):
    w = build_world()
    numbers = register_and_draw(w, 4)
    judge = w.judges[0]
    judge.set_password("judge-pass-123")
    judge.save()
    a1, a2 = w.aspects[0], w.aspects[1]
    mark_url = live_server.url + reverse("contests:judge_mark", args=[w.modules[0].pk])
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True).new_page()
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("#id_username", judge.username)
            page.fill("#id_password", "judge-pass-123")
            page.press("#id_password", "Enter")
            page.wait_for_load_state()
            page.goto(mark_url)
            expect(page.get_by_role("heading", level=1)).to_contain_text("装调")
            grid = page.get_by_test_id("number-grid")
            expect(grid.get_by_role("link")).to_have_count(4)
            expect(grid.get_by_role("link").first).to_contain_text("未评")  # the state in text

            _tab_to(page, "[data-testid=number-grid] a")
            first = page.evaluate("() => document.activeElement.textContent")
            assert numbers[0] in first
            page.keyboard.press("Enter")
            page.wait_for_load_state()
            expect(page.get_by_test_id("secret-number")).to_have_text(numbers[0])
            current = grid.locator("[aria-current=page]")
            expect(current).to_have_count(1)
            expect(current).to_contain_text(numbers[0])
            expect(current).to_contain_text("当前")

            # The measurement input is named by its aspect's description, not its code.
            measurement = page.get_by_role("textbox", name="精度")
            expect(measurement).to_have_attribute("name", f"a{a2.pk}")
            _tab_to(page, f"input[name=a{a1.pk}]", limit=20)
            page.keyboard.press("Space")  # full marks
            expect(page.locator(f"#a{a1.pk}-full")).to_be_checked()
            label_ring = "() => getComputedStyle(document.activeElement.nextElementSibling).outlineStyle"
            assert page.evaluate(label_ring) != "none"  # the focus ring shows on the button-like label
            _tab_to(page, f"input[name=a{a2.pk}]", limit=5)
            page.keyboard.type("5.02")
            _tab_to(page, "[data-testid=save-next]", limit=5)
            ring = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
            assert ring != "none"
            page.keyboard.press("Enter")
            page.wait_for_load_state()

            # Saved; the next number is open and the first one now reads "marked".
            expect(page.get_by_test_id("secret-number")).to_have_text(numbers[1])
            expect(page.get_by_role("alert").first).to_contain_text(numbers[0])
            done = grid.get_by_role("link").first
            expect(done).to_contain_text("已评完")
            expect(done).not_to_have_attribute("aria-current", "page")
            _shot(page, "contest-judge-mark-keyboard-phone")
        finally:
            browser.close()

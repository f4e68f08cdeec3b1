"""Browser test of a worker sitting a quiz: Debian's Chromium driven by Playwright against a
live server. Answers go through htmx, a reload shows the same paper, the paper is handed in
through the confirm dialog, and the leaderboard shows the worker. Screenshots at a phone width
go to test-artifacts/."""

from __future__ import annotations

import pytest

from deltaunion.practice.models import Quiz
from deltaunion.practice.tests.factories import build_practice_world

from .chromium import PHONE, _shot, chromium

pytestmark = pytest.mark.browser


def test_a_worker_sits_a_quiz_on_a_phone(transactional_db, live_server, world):
    # All database work happens before the browser starts (Playwright's sync API runs an event loop).
    build_practice_world(world)
    world.worker.set_password("quiz-pass-123")
    world.worker.save()
    quiz_id = Quiz.objects.get(title="测试答题").pk
    from playwright.sync_api import expect

    base = live_server.url
    with chromium() as browser:
        page = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("dialog", lambda dialog: dialog.accept())  # the start / hand-in confirmations
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", world.worker.username)
        page.fill("#id_password", "quiz-pass-123")
        page.press("#id_password", "Enter")
        page.wait_for_load_state()

        page.goto(f"{base}/practice/quizzes/{quiz_id}/")
        page.get_by_test_id("start").click()
        questions = page.get_by_test_id("quiz-question")
        expect(questions).to_have_count(5)
        order = [questions.nth(i).get_attribute("data-question") for i in range(5)]
        timer = page.get_by_test_id("timer")
        minutes, seconds = timer.inner_text().split(":")  # the countdown runs from the server's deadline
        assert 0 < int(minutes) * 60 + int(seconds) <= 300

        # Answer the first question: the card is replaced in place (htmx), no reload.
        first = questions.nth(0)
        first.locator("input[name=choice]").first.check()
        first.get_by_role("button").click()
        expect(page.locator(f"#q-{order[0]} [data-testid=answered]")).to_be_visible()
        _shot(page, "practice-quiz-phone")

        # A reload (or a reconnect) shows the same paper in the same order, the answer kept.
        page.reload()
        again = page.get_by_test_id("quiz-question")
        assert [again.nth(i).get_attribute("data-question") for i in range(5)] == order
        expect(page.locator(f"#q-{order[0]} [data-testid=answered]")).to_be_visible()

        page.get_by_test_id("finish").click()
        expect(page.get_by_test_id("result")).to_be_visible()
        expect(page.get_by_test_id("result-row")).to_have_count(5)
        _shot(page, "practice-result-phone")

        page.get_by_test_id("board-link").first.click()
        expect(page.locator(".du-w-me").first).to_be_visible()
        _shot(page, "practice-board-phone")
        assert not errors, errors


def _tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the focused element matches `selector` (the keyboard is the only input)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_worker_answers_a_quiz_question_by_keyboard_only(transactional_db, live_server, world):
    build_practice_world(world)
    world.worker.set_password("quiz-pass-123")
    world.worker.save()
    quiz_id = Quiz.objects.get(title="测试答题").pk
    from playwright.sync_api import expect

    base = live_server.url
    with chromium() as browser:
        page = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True).new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", world.worker.username)
        page.fill("#id_password", "quiz-pass-123")
        page.press("#id_password", "Enter")
        page.wait_for_load_state()
        page.goto(f"{base}/practice/quizzes/{quiz_id}/")
        _tab_to(page, "[data-testid=start]")
        page.keyboard.press("Enter")
        page.wait_for_load_state()

        # The page is named by a heading; each question is a group named by its question.
        expect(page.get_by_role("heading", level=1)).to_have_text("测试答题")
        first = page.get_by_test_id("quiz-question").first
        qid = first.get_attribute("data-question")
        legend = first.locator("fieldset > legend")
        expect(legend).to_contain_text("第 1 题")
        assert page.get_by_role("group", name=legend.inner_text().strip()).count() == 1
        # The clock is not read out every second: role=timer (aria-live off); a separate polite
        # region is empty until a minute mark is reached.
        expect(page.get_by_test_id("timer")).to_have_attribute("role", "timer")
        expect(page.get_by_test_id("timer-said")).to_have_attribute("aria-live", "polite")
        expect(page.get_by_test_id("timer-said")).to_have_text("")

        _tab_to(page, f"#q-{qid} input:not([type=hidden]), #q-{qid} button")
        kind = page.evaluate("() => document.activeElement.type")
        if kind in ("radio", "checkbox"):
            page.keyboard.press("Space")
            _tab_to(page, f"#q-{qid} button[type=submit]", limit=10)
        elif kind == "text":
            page.keyboard.type("答案")
            _tab_to(page, f"#q-{qid} button[type=submit]", limit=3)
        page.keyboard.press("Enter")

        # Focus goes to the saved answer's status (not <body>) and a polite region says it.
        saved = page.locator(f"#q-{qid} [data-testid=answered]")
        expect(saved).to_be_focused()
        said = page.get_by_test_id("answer-said")
        expect(said).to_have_attribute("role", "status")
        expect(said).to_contain_text("第 1 题")
        expect(said).to_contain_text("已作答")
        has_ring = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle !== 'none'")
        assert has_ring
        _shot(page, "practice-quiz-keyboard-phone")


def test_the_leaderboard_stops_polling_while_the_tab_is_hidden(transactional_db, live_server, world):
    pw = build_practice_world(world)
    world.worker.set_password("quiz-pass-123")
    world.worker.save()
    board = f"/practice/boards/quiz/{pw.quiz.pk}/"

    base = live_server.url
    with chromium() as browser:
        page = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True).new_page()
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", world.worker.username)
        page.fill("#id_password", "quiz-pass-123")
        page.press("#id_password", "Enter")
        page.wait_for_load_state()
        polls: list[int] = []
        page.on("response", lambda r: polls.append(r.status) if "/partial" in r.url else None)
        page.goto(f"{base}{board}")
        page.wait_for_timeout(4500)
        visible = len(polls)
        assert visible >= 1, "the board polls while visible"
        assert all(status in (200, 304) for status in polls), polls
        page.evaluate(
            """() => { Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'hidden'});
                       document.dispatchEvent(new Event('visibilitychange')); }"""
        )
        before = len(polls)
        page.wait_for_timeout(5000)
        assert len(polls) == before, "no polls while the tab is hidden"
        page.evaluate(
            """() => { Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'visible'});
                       document.dispatchEvent(new Event('visibilitychange')); }"""
        )
        page.wait_for_timeout(400)  # sooner than the 2 s interval
        assert len(polls) > before, "a poll at once when the tab shows again"

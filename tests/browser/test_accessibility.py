"""The accessibility gate: axe-core (from npm, injected from node_modules, never a CDN) runs on
the pages of every app — every item of the navigation as anonymous, worker, officer and judge,
at a phone and a desktop width, in Chinese and English — and the suite fails on any critical or
serious violation of WCAG 2.1 A/AA. A new app's pages join the gate through its navigation items
(the app registry); `EXTRA` names pages that are not in a menu."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from .test_smoke import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, _shot

pytestmark = pytest.mark.browser

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"critical", "serious"}
PASSWORD = "deltaunion-demo"


def _extra_pages() -> dict[str | None, list[str]]:
    """Pages beyond the menus: a detail page of each kind a worker or officer opens most, the
    quiz being sat, the judge's marking page with a number open and the live board (big screen
    and phone page; the gate opens both at a phone width too)."""
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied, ValidationError

    from deltaunion.contests import selectors as contest_selectors
    from deltaunion.contests.models import Contest, Stage
    from deltaunion.practice import services as practice_services
    from deltaunion.practice.models import Quiz
    from deltaunion.workplans.models import KeyTask

    pages: dict[str | None, list[str]] = {None: ["/accounts/login/"], "worker": [], "hz_officer": [], "judge": []}
    contest = Contest.objects.order_by("-id").first()
    if contest:
        pages[None].append(f"/contests/{contest.pk}/")
    task = KeyTask.objects.order_by("id").first()
    if task:
        pages[None].append(f"/plans/tasks/{task.pk}/")
    quiz = Quiz.objects.order_by("id").first()
    if quiz:
        pages["worker"].append(f"/practice/quizzes/{quiz.pk}/")
    users = get_user_model().objects
    for open_quiz in Quiz.objects.filter(status=Quiz.Status.OPEN).order_by("id"):
        try:
            attempt = practice_services.quiz_start(quiz=open_quiz, by=users.get(username="worker"))
        except (PermissionDenied, ValidationError):
            continue
        pages["worker"].append(f"/practice/attempts/{attempt.pk}/")
        break
    judge = users.get(username="judge")
    for module in contest_selectors.judge_modules(user=judge):
        work = contest_selectors.judge_worklist(module=module, user=judge)
        if work["competitors"]:
            number = work["competitors"][len(work["competitors"]) // 2]["number"]
            pages["judge"].append(f"/contests/judge/modules/{module.pk}/?number={number}")
            break
    stage = Stage.objects.filter(sealed_at__isnull=False).order_by("id").first()
    if stage:
        pages[None] += [f"/contests/stages/{stage.pk}/board/", f"/contests/stages/{stage.pk}/board/phone/"]
    pages["hz_officer"].append("/people/")
    return pages


def test_no_critical_or_serious_violation_on_any_page(transactional_db, live_server):
    call_command("load_demo", quiet=True)
    extra = _extra_pages()
    # The quiz being sat, the judge's marking page and the boards are in the gate (the demo has them).
    assert any("/practice/attempts/" in u for u in extra["worker"]), extra
    assert any("/contests/judge/modules/" in u for u in extra["judge"]), extra
    assert any(u.endswith("/board/phone/") for u in extra[None]), extra
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci)")
    from playwright.sync_api import sync_playwright

    base = live_server.url
    found: list[str] = []
    checked = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for login in (None, "worker", "hz_officer", "judge"):
                for viewport, locale in ((DESKTOP, "zh-CN"), (PHONE, "zh-CN"), (DESKTOP, "en")):
                    if locale == "en" and login in ("judge",):
                        continue
                    context = browser.new_context(viewport=viewport, locale=locale, is_mobile=viewport is PHONE)
                    page = context.new_page()
                    if login:
                        page.goto(f"{base}/accounts/login/")
                        page.fill("#id_username", login)
                        page.fill("#id_password", PASSWORD)
                        page.press("#id_password", "Enter")
                        page.wait_for_load_state()
                    if locale == "en":
                        page.goto(f"{base}/")
                        page.click("[data-testid=lang-en]")
                        page.wait_for_load_state()
                    page.goto(f"{base}/")
                    links = page.eval_on_selector_all(
                        "#du-nav a.nav-link", "els => els.map(e => e.getAttribute('href'))"
                    )
                    urls = list(dict.fromkeys(["/", *links, *extra.get(login, [])]))
                    for url in urls:
                        response = page.goto(f"{base}{url}")
                        page.wait_for_load_state("load")
                        if url in extra.get(login, []) and (response is None or response.status >= 400):
                            found.append(f"{login or 'anonymous'} {url}: HTTP {response and response.status}")
                        if viewport is PHONE and locale == "zh-CN" and "/board/" in url:
                            _shot(page, "a11y-board-phone" if url.endswith("/phone/") else "a11y-board-big-on-a-phone")
                        if (
                            viewport is PHONE
                            and locale == "zh-CN"
                            and ("/judge/modules/" in url or "/attempts/" in url)
                        ):
                            _shot(page, "a11y-judge-phone" if "/judge/" in url else "a11y-quiz-phone")
                        page.add_script_tag(path=str(AXE))
                        violations = page.evaluate(
                            """async (tags) => {
                                const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
                                return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
                            }""",
                            TAGS,
                        )
                        checked += 1
                        for v in violations:
                            if v["impact"] in BLOCKING:
                                where = f"{login or 'anonymous'} {locale} {viewport['width']}px {url}"
                                found.append(f"{where}: {v['impact']} {v['id']} ({v['help']}) {json.dumps(v['nodes'])}")
                    if login == "worker" and viewport is PHONE:
                        _shot(page, "a11y-last-worker-page-phone")
                    context.close()
        finally:
            browser.close()
    assert checked >= 30, checked
    assert not found, f"{len(found)} blocking violations on {checked} pages:\n" + "\n".join(found)


def test_the_phone_menu_says_whether_it_is_open_and_the_skip_link_leads_to_the_content(transactional_db, live_server):
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True).new_page()
            page.goto(f"{live_server.url}/contests/")
            # The first Tab stop is the skip link; following it puts focus on the content.
            page.keyboard.press("Tab")
            skip = page.locator(".du-skip")
            expect(skip).to_be_focused()
            expect(skip).to_be_visible()
            page.keyboard.press("Enter")
            expect(page.locator("main#main")).to_be_focused()
            toggler = page.locator(".navbar-toggler")
            expect(toggler).to_have_attribute("aria-expanded", "false")
            toggler.click()
            expect(toggler).to_have_attribute("aria-expanded", "true")
            expect(page.locator("#du-nav")).to_be_visible()
            toggler.click()
            expect(toggler).to_have_attribute("aria-expanded", "false")
        finally:
            browser.close()

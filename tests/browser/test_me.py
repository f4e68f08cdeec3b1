"""The worker's own space on a phone (390×844), in Debian's Chromium against a live server with
the demo data: the worker signs up for an open stage, the Hangzhou officer approves it from the
list of sign-ups awaiting approval, and the worker finds the approval in 站内消息 and in 我的竞赛.
Screenshots of /me/ and its pages go to test-artifacts/.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from .test_accessibility import AXE, BLOCKING, TAGS
from .test_smoke import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, _shot

pytestmark = pytest.mark.browser
PASSWORD = "deltaunion-demo"
CONTEST = "杭州市职工钳工技能竞赛（浏览器测试）"


def _open_stage() -> int:
    """A contest of Hangzhou with a stage open for sign-up, made through the services."""
    from deltaunion.accounts.models import User
    from deltaunion.contests import services
    from deltaunion.contests.models import Contest, Stage
    from deltaunion.orgs.models import Organisation

    admin = User.objects.get(username="admin")
    contest = services.contest_create(
        title=CONTEST, lead_org=Organisation.objects.get(name="杭州市总工会"), by=admin, is_demo=True
    )
    services.contest_update(contest=contest, by=admin, status=Contest.Status.OPEN)
    start = timezone.now() + dt.timedelta(days=30)
    stage = services.stage_create(
        contest=contest, name="决赛", by=admin, starts_at=start, ends_at=start + dt.timedelta(hours=8)
    )
    services.stage_set_status(stage=stage, status=Stage.Status.REGISTRATION, by=admin)
    return stage.pk


def test_worker_signs_up_officer_approves_worker_is_told(transactional_db, live_server):
    call_command("load_demo", quiet=True)
    stage_id = _open_stage()
    _run_browser(live_server.url, stage_id)


def _login(context, base: str, username: str):
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    return page


def _blocking_violations(page) -> list[str]:
    """axe-core's critical and serious WCAG 2.1 A/AA violations on the open page (the gate's rules)."""
    if not AXE.exists():
        return []
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }""",
        TAGS,
    )
    return [f"{page.url}: {v['impact']} {v['id']} {v['nodes']}" for v in found if v["impact"] in BLOCKING]


def _run_browser(base: str, stage_id: int) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            phone = browser.new_context(viewport=PHONE, is_mobile=True, locale="zh-CN")
            page = _login(phone, base, "worker")
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("dialog", lambda dialog: dialog.accept())

            # 我的 is the first item of the worker's menu; the demo worker has unread messages
            # and a sign-up waiting for approval.
            page.goto(f"{base}/")
            first = page.locator("nav a.nav-link").first
            expect(first).to_have_text(re.compile(r"^我的( \d+条待查看)?$"))
            page.click("button.navbar-toggler")  # the phone menu
            _shot(page, "me-menu-phone")
            first.click()
            expect(page.locator("h1")).to_contain_text("我的")
            sections = page.locator("[data-testid=me-section]")
            expect(sections.first).to_contain_text("站内消息")
            expect(sections.first.locator("[data-testid=me-count]")).to_be_visible()
            _shot(page, "me-home-phone")
            page.goto(f"{base}/me/contests/")
            expect(page.locator("[data-testid=my-entry]", has_text="焊工")).to_contain_text("已提交")
            _shot(page, "me-contests-demo-phone")

            # The worker signs up from the contest page: the rules are spelled out.
            page.goto(f"{base}/contests/")
            page.goto(f"{base}/contests/stages/{stage_id}/signup/")
            expect(page.locator("[data-testid=rules]")).to_contain_text("仅限工会会员")
            _shot(page, "me-signup-phone")
            page.click("[data-testid=signup]")
            page.wait_for_url(f"{base}/me/contests/")
            entry = page.locator("[data-testid=my-entry]", has_text=CONTEST)
            expect(entry.locator("[data-testid=entry-step]")).to_have_text("已提交")

            # The Hangzhou officer approves it from the sign-ups awaiting approval.
            desktop = browser.new_context(viewport=DESKTOP, locale="zh-CN")
            officer = _login(desktop, base, "hz_officer")
            officer.on("dialog", lambda dialog: dialog.accept())
            officer.goto(f"{base}/contests/stages/{stage_id}/registrations/")
            expect(officer.locator("[data-testid=pending-signups]")).to_contain_text("1 个报名待审批")
            officer.goto(f"{base}/contests/stages/{stage_id}/registrations/?status=pending")
            row = officer.locator("[data-testid=registration-row]")
            expect(row).to_have_count(1)
            row.locator("button[name=decision][value=approve]").click()
            officer.wait_for_load_state()
            expect(officer.locator("[data-testid=pending-signups]")).to_have_count(0)
            _shot(officer, "me-officer-approved-desktop")

            # The worker is told: a new message, and the entry is approved in 我的竞赛.
            page.goto(f"{base}/me/messages/")
            message = page.locator("[data-testid=message]").first
            expect(message).to_contain_text(CONTEST)
            expect(message).to_contain_text("已通过审批")
            expect(page.locator("[data-testid=unread]")).to_be_visible()
            _shot(page, "me-messages-phone")
            message.locator("a").click()
            page.wait_for_url(f"{base}/me/contests/")
            entry = page.locator("[data-testid=my-entry]", has_text=CONTEST)
            expect(entry.locator("[data-testid=entry-step]")).to_have_text("工会已审批通过")
            expect(entry.locator("[data-testid=next-step]")).to_contain_text("身份证")
            _shot(page, "me-contests-phone")
            page.goto(f"{base}/me/messages/")
            page.click("[data-testid=read-all]")
            expect(page.locator("[data-testid=unread]")).to_have_count(0)
            page.goto(f"{base}/me/practice/")
            _shot(page, "me-practice-phone")
            page.goto(f"{base}/me/campaigns/")
            _shot(page, "me-campaigns-phone")
            assert not errors, errors

            # The accessibility gate's rules on every page of the space, on the phone.
            violations: list[str] = []
            for url in ("/me/", "/me/messages/", "/me/contests/", "/me/practice/", "/me/campaigns/"):
                page.goto(f"{base}{url}")
                violations += _blocking_violations(page)
            page.goto(f"{base}/contests/stages/{stage_id}/signup/")
            violations += _blocking_violations(page)
            assert not violations, violations
        finally:
            browser.close()

"""The worker's own space on a phone (390×844), in Debian's Chromium against a live server with
the demo data: the worker signs up for an open stage, the Hangzhou officer approves it from the
list of sign-ups awaiting approval, and the worker finds the approval in 站内消息 and in 我的竞赛.
Then the stage is run to final results through the services (the worker first of two): the
worker sees the results message, downloads the certificate PDF from 我的证书 and opens its
verification link, which says the certificate is valid. Screenshots of /me/ and its pages go
to test-artifacts/.
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


def _run_to_final(stage_id: int) -> None:
    """The stage of `_open_stage`, after the worker's entry is approved: a module, judges, a
    second competitor of Hangzhou entered by the organisers, check-in, the draw, marks (the
    worker full, the other zero), sign-off, reveal, re-check, publication after the appeal
    window, final results after the notice period, and a first prize — all through the
    services, which write the worker's messages."""
    from deltaunion.accounts.models import User
    from deltaunion.contests import services
    from deltaunion.contests.demo import _demo_user
    from deltaunion.contests.models import ContestRole, Registration, Stage
    from deltaunion.orgs.models import Organisation
    from deltaunion.people.models import Worker

    admin = User.objects.get(username="admin")
    stage = Stage.objects.select_related("contest").get(pk=stage_id)
    contest = stage.contest
    module = services.module_add(stage=stage, name="模块一 钳工操作", by=admin)
    aspect = services.aspect_add(
        module=module, code="Q1", description="锉削平面度达标", kind="measurement", max_mark="10", by=admin
    )
    judges = [_demo_user(f"fitter_judge{i}", f"钳工竞赛裁判{i}（演示）") for i in (1, 2)]
    for user in judges:
        role = services.contest_role_grant(contest=contest, user=user, role=ContestRole.Kind.JUDGE, by=admin)
        services.judge_assign(module=module, judge=role, by=admin)
    chief = _demo_user("fitter_chief", "钳工竞赛裁判长（演示）")
    services.contest_role_grant(contest=contest, user=chief, role=ContestRole.Kind.CHIEF_JUDGE, by=admin)
    decryptor = _demo_user("fitter_decryptor", "钳工竞赛解密员（演示）")
    services.contest_role_grant(contest=contest, user=decryptor, role=ContestRole.Kind.DECRYPTOR, by=admin)
    hz = Organisation.objects.get(name="杭州市总工会")
    other = (
        Worker.objects.filter(is_demo=True, is_member=True, user__isnull=True, organisation__path__startswith=hz.path)
        .order_by("id")
        .first()
    )
    services.registration_create(stage=stage, worker=other, by=admin)
    services.stage_set_status(stage=stage, status=Stage.Status.CHECKIN, by=admin)
    entries = list(Registration.objects.filter(stage=stage, status=Registration.Status.APPROVED).order_by("id"))
    assert len(entries) == 2
    for reg in entries:
        services.checkin_record(registration=reg, by=admin)
    services.draw_order(stage=stage, by=admin, seed="browser-me-1")
    services.draw_numbers(stage=stage, by=admin, seed="browser-me-2")
    for reg in entries:
        reg = Registration.objects.select_related("worker__user").get(pk=reg.pk)
        value = 10 if reg.worker.user and reg.worker.user.username == "worker" else 0
        mark = services.mark_enter(aspect=aspect, number=reg.sealed.secret_number.number, value=value, by=judges[0])
        services.mark_confirm(mark=mark, by=judges[1])
    services.module_sign_off(module=module, by=chief)
    services.stage_reveal(stage=stage, by=decryptor)
    stage.refresh_from_db()
    recheck = services.recheck_start(stage=stage, by=chief, seed="browser-me")
    for item in recheck.items.all():
        services.recheck_item_record(item=item, error_found=False, by=chief)
    services.recheck_complete(recheck=recheck, by=chief)
    services.prize_tier_add(contest=contest, kind="first", name="一等奖", rank_to=1, by=admin)
    result_set = services.result_set_publish(stage=stage, by=admin, now=stage.ends_at + dt.timedelta(days=1))
    services.result_set_finalise(result_set=result_set, by=admin, now=result_set.notice_until + dt.timedelta(minutes=1))


def test_worker_signs_up_officer_approves_worker_is_told(transactional_db, live_server, monkeypatch):
    call_command("load_demo", quiet=True)
    stage_id = _open_stage()
    # The results are made through the services while the pages are open (the ORM beside
    # Playwright's event loop).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
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

            # Results are published and become final: the worker opens 我的 and sees the
            # results message (first place), then the certificate message leads to 我的证书.
            _run_to_final(stage_id)
            page.goto(f"{base}/")
            page.click("button.navbar-toggler")
            page.locator("nav a.nav-link").first.click()
            expect(page.locator("h1")).to_contain_text("我的")
            page.locator("[data-testid=me-section]", has_text="站内消息").click()
            result = page.locator("[data-testid=message]", has_text="成绩已公布").filter(has_text=CONTEST)
            expect(result).to_contain_text("第 1 名")
            _shot(page, "me-messages-results-phone")
            page.locator("[data-testid=message]", has_text="证书已颁发").filter(has_text=CONTEST).locator("a").click()
            page.wait_for_url(re.compile(r"/me/certificates/"))
            cert = page.locator("[data-testid=my-certificate]", has_text=CONTEST)
            expect(cert).to_contain_text("一等奖")
            _shot(page, "me-certificates-phone")
            with page.expect_download() as download:
                cert.locator("[data-testid=certificate-pdf]").click()
            with open(download.value.path(), "rb") as pdf:
                assert pdf.read(5) == b"%PDF-"
            cert.locator("[data-testid=certificate-verify]").click()
            expect(page.locator("[data-testid=cert-valid]")).to_contain_text("有效")
            expect(page.locator("[data-testid=cert-holder]")).to_be_visible()
            _shot(page, "me-certificate-verified-phone")
            assert not errors, errors

            # The accessibility gate's rules on every page of the space, on the phone.
            violations: list[str] = []
            for url in (
                "/me/",
                "/me/messages/",
                "/me/contests/",
                "/me/certificates/",
                "/me/practice/",
                "/me/campaigns/",
            ):
                page.goto(f"{base}{url}")
                violations += _blocking_violations(page)
            page.goto(f"{base}/contests/stages/{stage_id}/signup/")
            violations += _blocking_violations(page)
            assert not violations, violations
        finally:
            browser.close()

"""The branded error pages (400, 403, 404, 500) in both languages, on a phone and a desktop:
the site's navigation, a message in the user's language, a way back. Screenshots go to
test-artifacts/error-*.png."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.utils import translation

from deltaunion.core.errors import server_error
from tests.browser.test_smoke import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE

pytestmark = pytest.mark.browser

EXPECT = {
    "zh-hans": {400: "无法处理该请求", 403: "您不能进行此操作", 404: "页面不存在", 500: "出错了", "back": "返回上一页"},
    "en": {
        400: "The request could not be processed",
        403: "You cannot do this",
        404: "Page not found",
        500: "Something went wrong",
        "back": "Go back",
    },
}


def _serve(html: str):
    def handler(route):
        route.fulfill(status=500, body=html, content_type="text/html; charset=utf-8")

    return handler


def test_error_pages_in_both_languages(transactional_db, live_server, django_user_model):
    from deltaunion.accounts.tests.factories import UserFactory

    worker = UserFactory(username="plainworker")
    worker.set_password("pw-for-the-test-123")
    worker.save()
    pages = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            pages[language] = server_error(RequestFactory().get("/")).content.decode()
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    base = live_server.url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for language in ("zh-hans", "en"):
                for size_name, size in (("phone", PHONE), ("desktop", DESKTOP)):
                    context = browser.new_context(viewport=size)
                    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
                    page = context.new_page()
                    page.goto(f"{base}/accounts/login/")
                    page.fill("#id_username", "plainworker")
                    page.fill("#id_password", "pw-for-the-test-123")
                    page.locator("form button[type=submit]").last.click()
                    page.route(f"{base}/boom/", _serve(pages[language]))
                    for status, url in (
                        (400, "/orgs/?q=%00"),
                        (403, "/people/export.xlsx"),
                        (404, "/contests/987654321/"),
                        (500, "/boom/"),
                    ):
                        response = page.goto(f"{base}{url}")
                        assert response.status == status, (language, url, response.status)
                        text = page.inner_text("body")
                        assert EXPECT[language][status] in text, (language, status, text[:300])
                        assert EXPECT[language]["back"] in text
                        assert page.locator("nav a.navbar-brand").count() == 1
                        ARTIFACTS.mkdir(exist_ok=True)
                        page.screenshot(
                            path=str(ARTIFACTS / f"error-{status}-{language}-{size_name}.png"), full_page=True
                        )
                    context.close()
        finally:
            browser.close()

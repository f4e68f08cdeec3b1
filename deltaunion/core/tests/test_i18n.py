"""Chinese by default, English on request, and complete catalogues."""

from __future__ import annotations

import re

from django.core.management import call_command

NAV = re.compile(r'<ul class="navbar-nav[^"]*">(.*?)</ul>', re.S)


def _nav(html: str) -> str:
    match = NAV.search(html)
    assert match, "no navigation bar found"
    return match.group(1)


def test_default_language_is_chinese(client, db):
    html = client.get("/").content.decode()
    assert '<html lang="zh-hans">' in html
    nav = _nav(html)
    assert "工作方案" in nav
    assert "组织" in nav
    assert 'data-testid="lang-en"' in html


def test_switching_to_english(client, users):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    nav = _nav(html)
    assert "工作方案" not in nav
    assert "组织" not in nav
    assert "Work plans" in nav
    assert "Organisations" in nav
    assert "Sign in" in html
    assert 'data-testid="lang-zh-hans"' in html

    # Signed-in pages follow too.
    client.force_login(users.hz_officer)
    nav = _nav(client.get("/people/").content.decode())
    assert "Workers" in nav and "职工" not in nav

    # ... and back.
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "工作方案" in _nav(client.get("/").content.decode())


def test_chinese_first_whatever_the_browser_says(client, db):
    # Only the explicit switch changes the language, not the browser's Accept-Language.
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert "工作方案" in _nav(html)
    client.cookies["django_language"] = "en"
    assert "Work plans" in _nav(client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode())
    client.cookies["django_language"] = "xx"  # an unknown choice falls back to Chinese
    assert "工作方案" in _nav(client.get("/").content.decode())


def test_catalogues_are_complete(db):
    call_command("check_catalogue")

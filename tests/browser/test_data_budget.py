"""The data budget for workers' phones, measured through Playwright's network events.

A production-shaped server in a subprocess — gunicorn, DEBUG off, static files collected with
WhiteNoise's CompressedManifestStaticFilesStorage (hashed names, far-future caching, gzip, and
Brotli when the `brotli` package is installed) — over its own SQLite database with the demo.
The first load of each worker page (a fresh browser cache, signed in) must transfer ≤ 150 KB:
HTML, CSS, scripts and icons, headers included. The test prints each page's transferred and
uncompressed weight (the figures in benchmarks/README.md)."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from ..conftest import manage, production_env
from .chromium import CHROMIUM, CHROMIUM_ARGS, PHONE

pytestmark = pytest.mark.browser

BUDGET = 150 * 1024
PASSWORD = "deltaunion-demo"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def production_server(tmp_path_factory, collected_static):
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    base_dir = Path(settings.BASE_DIR)
    tmp = tmp_path_factory.mktemp("budget")
    # The static files are collected once per run (tests/conftest.py), shared with the
    # static-compression tests; the database is this server's own.
    env = production_env(
        DELTAUNION_VAR_DIR=str(tmp / "var"), SQLITE_PATH=str(tmp / "db.sqlite3"), STATIC_ROOT=str(collected_static)
    )
    for command in (["migrate", "--noinput"], ["load_demo"]):
        manage(*command, env=env)
    python = sys.executable
    port = _free_port()
    gunicorn = Path(python).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4", "config.wsgi"],
        env=env,
        cwd=base_dir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/accounts/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        with sqlite3.connect(tmp / "db.sqlite3") as db:
            quiz = db.execute("SELECT id FROM practice_quiz WHERE status = 'open' ORDER BY id").fetchone()
        yield url, quiz[0] if quiz else None
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_the_first_load_of_a_worker_page_stays_under_150_kb(production_server):
    from playwright.sync_api import sync_playwright

    url, quiz = production_server
    pages = ["/", "/contests/", "/me/", "/practice/"]
    if quiz:
        pages.append(f"/practice/quizzes/{quiz}/")
    weights: dict[str, dict[str, int]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            login = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True)
            page = login.new_page()
            page.goto(f"{url}/accounts/login/")
            page.fill("#id_username", "worker")
            page.fill("#id_password", PASSWORD)
            page.press("#id_password", "Enter")
            page.wait_for_load_state()
            state = login.storage_state()
            login.close()
            for path in pages:
                # A fresh context: an empty HTTP cache, as on the worker's first visit.
                context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, storage_state=state)
                page = context.new_page()
                finished = []
                page.on("requestfinished", lambda request, seen=finished: seen.append(request))
                response = page.goto(f"{url}{path}")
                page.wait_for_load_state("networkidle")
                assert response is not None and response.status == 200, (path, response and response.status)
                assert "/accounts/login/" not in page.url, path
                sent = raw = 0
                for request in finished:
                    sizes = request.sizes()
                    sent += sizes["responseBodySize"] + sizes["responseHeadersSize"]
                    body = request.response()
                    raw += len(body.body()) if body and body.status == 200 else 0
                weights[path] = {"transferred": sent, "uncompressed": raw, "requests": len(finished)}
                context.close()
        finally:
            browser.close()
    print("DATA-BUDGET " + json.dumps(weights))
    over = {path: w for path, w in weights.items() if w["transferred"] > BUDGET}
    assert not over, over
    assert weights["/"]["transferred"] < weights["/"]["uncompressed"]  # the static files go out compressed

"""Static files in production (issue 12): `collectstatic` with the project's compressed manifest
storage (WhiteNoise's, `deltaunion.core.storage`) writes hashed files with a Brotli (.br) and a
gzip (.gz) copy beside each file a page loads (source maps and the unminified library builds get
gzip only), and WhiteNoise serves a browser that accepts Brotli the .br copy, one that accepts
only gzip the .gz copy, with far-future caching of the hashed names. (The `brotli` package is
pinned in requirements.txt; without it WhiteNoise writes gzip only.) Pages themselves go out
gzipped (`core.compression`, Django's GZip with its BREACH padding); streamed files do not."""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import brotli
import pytest
from django.conf import settings
from django.test import Client, override_settings

from deltaunion.core.storage import BROTLI_MAX_BYTES

PRODUCTION_BACKEND = "deltaunion.core.storage.CompressedManifestStorage"
PRODUCTION_STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_BACKEND}}
MAIN_CSS = ("css/deltaunion.css", "vendor/bootstrap/css/bootstrap.min.css")


@pytest.fixture(scope="module")
def collected(collected_static):
    # `collectstatic` with STATIC_MANIFEST=1 in a fresh process (the production storage, as
    # test_production_settings_use_the_compressed_manifest_storage shows), once per run and
    # shared with the data-budget server (tests/conftest.py).
    root = collected_static
    manifest = json.loads((root / "staticfiles.json").read_text())["paths"]
    return root, manifest


def test_production_settings_use_the_compressed_manifest_storage():
    # Settings are read once per process: ask a fresh one, as a production start would.
    code = "from django.conf import settings; print(settings.STORAGES['staticfiles']['BACKEND'])"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "STATIC_MANIFEST": "1"}
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == PRODUCTION_BACKEND


@pytest.mark.parametrize("name", MAIN_CSS)
def test_collectstatic_writes_brotli_and_gzip_beside_each_hashed_css(collected, name):
    root, manifest = collected
    hashed = root / manifest[name]
    assert hashed.name != name.rsplit("/", 1)[-1]  # the name carries the content's hash
    original = hashed.read_bytes()
    br = hashed.with_name(hashed.name + ".br").read_bytes()
    gz = hashed.with_name(hashed.name + ".gz").read_bytes()
    assert brotli.decompress(br) == original
    assert gzip.decompress(gz) == original
    assert len(br) < len(gz) < len(original)


def test_brotli_goes_to_what_pages_load_and_gzip_to_everything(collected):
    root, manifest = collected
    with_br = [n for n in manifest.values() if (root / (n + ".br")).exists()]
    assert "vendor/charts/charts.min.js" in {k for k, v in manifest.items() if v in with_br}
    maps = [n for n in manifest.values() if n.endswith(".map")]
    big = [n for n in manifest.values() if (root / n).stat().st_size > BROTLI_MAX_BYTES]
    assert maps  # the npm packages bring them; maps and files over the size get gzip, no Brotli
    for name in maps + big:
        assert not (root / (name + ".br")).exists(), name
        assert (root / (name + ".gz")).exists(), name
    assert not [n for n in with_br if Path(n).suffix == ".map"]


def _get(url: str, accept: str):
    # A new client builds a new WhiteNoise middleware, which reads the collected files.
    return Client().get(url, HTTP_ACCEPT_ENCODING=accept)


def test_whitenoise_serves_brotli_to_who_accepts_it_with_far_future_caching(collected):
    root, manifest = collected
    url = settings.STATIC_URL + manifest["vendor/bootstrap/css/bootstrap.min.css"]
    with override_settings(
        STATIC_ROOT=root, STORAGES=PRODUCTION_STORAGES, WHITENOISE_USE_FINDERS=False, WHITENOISE_AUTOREFRESH=False
    ):
        br = _get(url, "gzip, deflate, br")
        gz = _get(url, "gzip, deflate")
        plain = _get(url, "identity")
    assert br.status_code == gz.status_code == plain.status_code == 200
    assert br["Content-Encoding"] == "br"
    assert gz["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain
    for response in (br, gz, plain):
        assert "Accept-Encoding" in response["Vary"]
        cache = response["Cache-Control"]
        assert "immutable" in cache and "public" in cache
        max_age = int(cache.split("max-age=")[1].split(",")[0])
        assert max_age >= 365 * 24 * 3600  # a year or more: the name changes with the content
    body = b"".join(br.streaming_content)
    assert brotli.decompress(body) == b"".join(plain.streaming_content)
    assert int(br["Content-Length"]) < int(gz["Content-Length"]) < int(plain["Content-Length"])


def test_pages_go_out_gzipped_to_who_accepts_it(db):
    plain = Client().get("/accounts/login/")
    zipped = Client().get("/accounts/login/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert plain.status_code == zipped.status_code == 200
    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    html = gzip.decompress(zipped.content).decode()
    assert 'name="username"' in html
    assert len(zipped.content) < len(plain.content) // 2


def test_streamed_files_pass_uncompressed():
    from django.http import FileResponse, HttpResponse
    from django.test import RequestFactory

    from deltaunion.core.compression import PageGZipMiddleware

    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING="gzip")
    body = b"<p>" + b"x" * 5000 + b"</p>"
    middleware = PageGZipMiddleware(lambda r: None)
    page = middleware.process_response(request, HttpResponse(body))
    assert page["Content-Encoding"] == "gzip" and gzip.decompress(page.content) == body
    streamed = middleware.process_response(request, FileResponse(io.BytesIO(body), content_type="text/html"))
    assert "Content-Encoding" not in streamed
    assert b"".join(streamed.streaming_content) == body


def test_files_over_the_size_get_gzip_only(tmp_path):
    from deltaunion.core.storage import _Compressor

    big, small = tmp_path / "big.js", tmp_path / "small.js"
    big.write_bytes(b"var a = 1;\n" * (BROTLI_MAX_BYTES // 10))
    small.write_bytes(b"var a = 1;\n" * 1000)
    compressor = _Compressor(use_brotli=True, use_gzip=True, quiet=True)
    assert sorted(Path(p).suffix for p in compressor.compress(str(big))) == [".gz"]
    assert sorted(Path(p).suffix for p in compressor.compress(str(small))) == [".br", ".gz"]

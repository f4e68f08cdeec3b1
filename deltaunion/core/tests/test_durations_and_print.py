"""Durations in the units people think in (one helper, `core.durations`, and the `duration`
filter every page uses), and a print stylesheet that leaves the content only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from deltaunion.core.durations import duration_text

CSS = Path(__file__).resolve().parents[1] / "static" / "css" / "deltaunion.css"


@pytest.mark.parametrize(
    ("seconds", "zh", "en"),
    [
        (900, "15 分钟", "15 minutes"),
        (45, "45 秒", "45 seconds"),
        (1, "1 秒", "1 second"),
        (0, "0 秒", "0 seconds"),
        (90, "1 分钟 30 秒", "1 minute 30 seconds"),
        (7200, "2 小时", "2 hours"),
        (5400, "1 小时 30 分钟", "1 hour 30 minutes"),
        (3661, "1 小时 1 分钟", "1 hour 1 minute"),
        (86400 * 7, "7 天", "7 days"),
    ],
)
def test_duration_text(seconds, zh, en):
    with translation.override("zh-hans"):
        assert duration_text(seconds) == zh
    with translation.override("en"):
        assert duration_text(seconds) == en


def test_the_filter_takes_seconds_minutes_or_milliseconds():
    with translation.override("zh-hans"):
        t = Template(
            '{% load du %}{{ s|duration }}|{{ m|duration:"minutes" }}|{{ ms|duration:"ms" }}|{{ none|duration }}'
        )
        assert t.render(Context({"s": 900, "m": 120, "ms": 61_400, "none": None})) == "15 分钟|2 小时|1 分钟 1 秒|"


def test_no_page_shows_a_time_limit_in_seconds():
    """The pages that show a quiz's time use the filter, not the raw number of seconds."""
    root = Path(__file__).resolve().parents[2]
    for path in root.glob("*/templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"time_limit_seconds\s*%\}\s*\{\{\s*n\s*\}\}\s*seconds", text), path
        assert "{{ n }} seconds{%" not in text, path


def test_the_print_stylesheet_leaves_the_content_only():
    css = CSS.read_text(encoding="utf-8")
    block = css[css.index("@media print") :]
    hidden = block[: block.index("display: none")]
    for selector in (".du-skip", "header", ".navbar", "footer", ".btn", "form", ".pagination"):
        assert selector in hidden, selector
    assert "thead { display: table-header-group; }" in block

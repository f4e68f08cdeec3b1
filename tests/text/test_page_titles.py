"""Every page names itself in the browser's tab and for screen readers: a template that extends
the site's base directly defines the title block (intermediate bases, named `_…`, leave it to the
pages that extend them, which are checked the same way)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "deltaunion"
EXTENDS = re.compile(r'\{%\s*extends\s+"([^"]+)"\s*%\}')
# The home page's title is the platform's own name, which the base gives.
PLATFORM_TITLE = {"workplans/templates/workplans/home.html"}


def test_every_page_template_sets_its_title():
    missing = []
    for path in sorted(ROOT.glob("*/templates/**/*.html")):
        text = path.read_text(encoding="utf-8")
        match = EXTENDS.search(text)
        if not match or path.name.startswith("_"):
            continue
        parent = match.group(1)
        if parent != "base.html" and not Path(parent).name.startswith("_"):
            continue  # extends a full page, whose title it inherits or overrides
        if "{% block title %}" not in text and str(path.relative_to(ROOT)) not in PLATFORM_TITLE:
            missing.append(str(path.relative_to(ROOT)))
    assert missing == [], f"pages without a title: {missing}"

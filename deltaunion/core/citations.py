"""Sources as readers cite them: "工人日报 2021-04-06", never a path of the seed files.

The records keep their source as entered (`seeds/004 （本报讯，…）`) for the admin and the API;
pages show `cite(source)`: each seed file reference becomes the report it holds (publication
and date), a parenthesis that only repeated it is dropped, and nothing is left of a source
that only named files. `without_paths(text)` does the same inside prose (a description).
"""

from __future__ import annotations

import re

# The seed files: the public reports the plans and records were taken from.
SEED_REPORTS = {
    "000": "人民网 2022-09-09",
    "001": "工人日报 2021-04-06",
    "002": "工人日报《中国长三角地区职工劳动技能创新工作首次联席会议》",
    "003": "浙江工人日报 2020-11-09",
    "004": "2023年长三角工会工作联席会议报道",
}

# seeds/004, optionally followed by the parenthesis that describes the file (full or half width).
_REF = re.compile(r"seeds/(\d{3})(?:\s*[（(][^（）()]*[)）])?")
_SEPARATORS = re.compile(r"^[\s,，;；、:：]+|[\s,，;；、:：]+$")


def _report(number: str, described: str) -> str:
    known = SEED_REPORTS.get(number)
    if known:
        return known
    inner = re.sub(r"^seeds/\d{3}\s*[（(]|[)）]$", "", described).strip()
    return inner if inner != described else ""


def cite(source: str | None) -> str:
    """The source as a reader cites it ("" when nothing is left to cite)."""
    if not source:
        return ""
    seen: list[str] = []

    def replace(match: re.Match) -> str:
        report = _report(match.group(1), match.group(0))
        if not report or report in seen:
            return ""
        seen.append(report)
        return report

    text = _REF.sub(replace, str(source))
    if seen:  # citations listed with ASCII separators: one full-width semicolon between them
        text = re.sub(r"\s*[,;]\s*(?:[,;，；]\s*)*", "；", text)
    text = re.sub(r"[（(]\s*[)）]", "", text)
    return _SEPARATORS.sub("", text)


def without_paths(text: str | None) -> str:
    """Prose with each seed file reference replaced by the report it holds."""
    if not text:
        return ""
    return _REF.sub(lambda m: _report(m.group(1), m.group(0)) or "", str(text))


def readable_source(initial: dict) -> dict:
    """A form's initial values with the source as readers cite it (an edit form never shows a seed file path)."""
    if initial.get("source"):
        initial["source"] = without_paths(initial["source"])
    return initial

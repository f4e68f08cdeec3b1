"""Chinese text uses full-width punctuation (，：；？！（）): in the zh-Hans catalogues, in the
Chinese strings of the code (demo data, messages) and in the templates' Chinese text.

A half-width mark counts only next to a Chinese character, and only in text that is mostly
Chinese: English sentences that quote a Chinese term, times (08:30), numbers (3,000),
placeholders (%(name)s) and regular expressions are left alone."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2] / "deltaunion"
HAN = re.compile(r"[\u4e00-\u9fff]")
BAD = re.compile(
    r"[\u4e00-\u9fff][,:;?!](?![A-Za-z/%{])"  # 中文,
    r"|[\u4e00-\u9fff] ?\((?!%\()"  # 中文(
    r"|[\u4e00-\u9fff]\)"  # 中文)
    r"|\}\((?=[\u4e00-\u9fff])"  # {name}(演示)
    r"|(?<![A-Za-z0-9%)])[,:;]\s?[\u4e00-\u9fff]"  # ,中文
)


def _mostly_chinese(text: str) -> bool:
    return bool(HAN.search(text)) and len(re.findall(r"[A-Za-z]", text)) <= len(HAN.findall(text))


def _offences(text: str) -> list[str]:
    if not _mostly_chinese(text):
        return []
    return [text[max(0, m.start() - 8) : m.end() + 8] for m in BAD.finditer(text)]


GETTEXT = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext", "ngettext_lazy"}


def _python_strings(path: Path):
    """The string literals of a module, without the msgids of gettext calls (English by convention;
    their Chinese is checked in the catalogue)."""
    source = path.read_text(encoding="utf-8")
    before: list[str] = ["", ""]
    skip = (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT)
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in skip:
            continue
        is_msgid = before[1] == "(" and before[0] in GETTEXT
        before = [before[1], token.string]
        if token.type != tokenize.STRING or is_msgid:
            continue
        prefix = re.match(r"[A-Za-z]*", token.string).group(0).lower()
        if "r" in prefix or "b" in prefix:
            continue
        yield token.start[0], token.string


def _files(pattern: str) -> list[Path]:
    return sorted(p for p in ROOT.rglob(pattern) if "/tests/" not in str(p))


@pytest.mark.parametrize("path", _files("django.po"), ids=lambda p: str(p.relative_to(ROOT)).split("/")[0])
def test_catalogue_uses_full_width_punctuation(path):
    found = [(e.msgid[:40], bad) for e in polib.pofile(str(path)) for bad in _offences(e.msgstr)]
    assert found == []


def test_code_strings_use_full_width_punctuation():
    found = [
        (str(path.relative_to(ROOT)), line, bad)
        for path in _files("*.py")
        for line, string in _python_strings(path)
        for bad in _offences(string)
    ]
    assert found == []


def test_template_text_uses_full_width_punctuation():
    found = []
    for path in _files("*.html"):
        text = path.read_text(encoding="utf-8")
        for part in re.split(r"\{%.*?%\}|\{\{.*?\}\}|<[^>]*>", text, flags=re.S):
            found += [(str(path.relative_to(ROOT)), bad) for bad in _offences(part)]
    assert found == []


def test_the_check_can_fail():
    assert _offences("演示数据:不是真实赛事(演示)")
    assert _offences("{name}(演示职工)")
    assert not _offences("开始时间 08:30,共 3,000 人（%(n)s 名）")

"""Questions as data: validation, duplicate fingerprints, grading, and per-attempt papers.

A paper is drawn with a recorded seed, so the same attempt always shows the same questions
in the same order with the same option order (stable across refresh and reconnect), and
the draw can be replayed from the seed.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from deltaunion.practice.models import QuestionKind

CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
TRUE_WORDS = {"true", "t", "yes", "y", "1", "对", "正确", "是", "√", "✓"}
FALSE_WORDS = {"false", "f", "no", "n", "0", "错", "错误", "否", "×", "✗"}


def normalise_text(value: Any) -> str:
    """For comparing fill-in answers and stems: NFKC (full-width → half-width), no spaces, lower case."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    return re.sub(r"\s+", "", text).lower()


def fingerprint(stem: str, options: Sequence[str]) -> str:
    """Two questions are duplicates when stem and option set match after normalisation."""
    norm = normalise_text(stem) + "\x1f" + "\x1f".join(sorted(normalise_text(o) for o in options))
    return hashlib.sha256(norm.encode()).hexdigest()


def parse_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    word = normalise_text(value)
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def clean_question(*, kind: str, stem: str, options: Sequence[str], answer: Any) -> tuple[list[str], Any]:
    """Validate one question; return (options, answer) in stored form or raise ValidationError."""
    stem = (stem or "").strip()
    if not stem:
        raise ValidationError(_("The question text is empty"))
    options = [str(o).strip() for o in options if str(o or "").strip()]
    if kind in CHOICE_KINDS:
        if len(options) < 2:
            raise ValidationError(_("A choice question needs at least two options"))
        if len({normalise_text(o) for o in options}) != len(options):
            raise ValidationError(_("Two options are the same"))
        indices = answer if isinstance(answer, list) else _letters_to_indices(answer)
        if not indices or any(not isinstance(i, int) or not 0 <= i < len(options) for i in indices):
            raise ValidationError(_("The answer must name existing options (A, B, C …)"))
        indices = sorted(set(indices))
        if kind == QuestionKind.SINGLE and len(indices) != 1:
            raise ValidationError(_("A single-choice question has exactly one right option"))
        if kind == QuestionKind.MULTIPLE and len(indices) < 2:
            raise ValidationError(_("A multiple-choice question has at least two right options"))
        return options, indices
    if kind == QuestionKind.TRUE_FALSE:
        value = parse_bool(answer)
        if value is None:
            raise ValidationError(_("The answer of a true-or-false question is 对 or 错 (true or false)"))
        return [], value
    if kind == QuestionKind.FILL:
        accepted = answer if isinstance(answer, list) else re.split(r"[|｜;；]", str(answer or ""))
        accepted = [str(a).strip() for a in accepted if str(a).strip()]
        if not accepted:
            raise ValidationError(_("A fill-in question needs at least one accepted answer"))
        return [], accepted
    raise ValidationError(_("Unknown question type: %(kind)s") % {"kind": kind})


def _letters_to_indices(value: Any) -> list[int]:
    letters = re.sub(r"[\s,，、;；]", "", unicodedata.normalize("NFKC", str(value or "")).upper())
    if not letters or not all("A" <= c <= "Z" for c in letters):
        return []
    return [ord(c) - ord("A") for c in letters]


def indices_to_letters(indices: Sequence[int]) -> str:
    return "".join(chr(ord("A") + i) for i in indices)


# --- papers ------------------------------------------------------------------------------------


def draw_paper(pool: dict[tuple[str, int], list[int]], rules: Sequence[dict[str, Any]], seed: str) -> list[int]:
    """Question ids for one paper: for each rule, `count` ids drawn from the ids matching
    its topic ("" = any) and difficulty (None = any), without repeats; then shuffled."""
    rng = random.Random(seed)
    chosen: list[int] = []
    taken: set[int] = set()
    for rule in rules:
        topic = rule.get("topic") or ""
        difficulty = rule.get("difficulty")
        ids = sorted(
            qid
            for (t, d), qids in pool.items()
            if (not topic or t == topic) and (difficulty in (None, "", 0) or d == int(difficulty))
            for qid in qids
            if qid not in taken
        )
        count = int(rule.get("count") or 0)
        if count > len(ids):
            raise ValidationError(
                _(
                    "The bank has only %(n)d questions for topic “%(topic)s”, difficulty %(d)s; the paper needs %(count)d"
                )
                % {"n": len(ids), "topic": topic or _("any"), "d": difficulty or _("any"), "count": count}
            )
        picked = rng.sample(ids, count)
        chosen.extend(picked)
        taken.update(picked)
    rng.shuffle(chosen)
    return chosen


def option_order(question_id: int, n_options: int, seed: str) -> list[int]:
    """The shown order of a question's options in one attempt: perm[shown] = original index."""
    perm = list(range(n_options))
    random.Random(f"{seed}:{question_id}").shuffle(perm)
    return perm


def shown_key(kind: str, answer: Any, perm: Sequence[int]) -> Any:
    """The answer key in shown positions (what the attempt stores server-side)."""
    if kind in CHOICE_KINDS:
        return sorted(perm.index(i) for i in answer)
    if kind == QuestionKind.FILL:
        return [normalise_text(a) for a in answer]
    return bool(answer)


def grade(kind: str, key: Any, response: Any) -> bool:
    """Whether a response matches a key (both in shown positions). Malformed responses are wrong."""
    if kind in CHOICE_KINDS:
        if isinstance(response, int) and not isinstance(response, bool):
            response = [response]
        if not isinstance(response, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in response):
            return False
        return sorted(set(response)) == list(key)
    if kind == QuestionKind.TRUE_FALSE:
        return parse_bool(response) is key if isinstance(key, bool) else False
    if kind == QuestionKind.FILL:
        return normalise_text(response) in set(key)
    return False


def check_response_shape(kind: str, response: Any, n_options: int) -> None:
    """Reject a response that cannot be an answer to this question (a clear 400, not a wrong answer)."""
    if kind in CHOICE_KINDS:
        items = [response] if isinstance(response, int) and not isinstance(response, bool) else response
        if (
            not isinstance(items, list)
            or not items
            or not all(isinstance(i, int) and not isinstance(i, bool) and 0 <= i < n_options for i in items)
        ):
            raise ValidationError(_("Choose one or more of the options shown"))
        if kind == QuestionKind.SINGLE and len(set(items)) != 1:
            raise ValidationError(_("Choose exactly one option"))
    elif kind == QuestionKind.TRUE_FALSE:
        if parse_bool(response) is None:
            raise ValidationError(_("Answer true or false"))
    elif not normalise_text(response):
        raise ValidationError(_("Write an answer in the blank"))

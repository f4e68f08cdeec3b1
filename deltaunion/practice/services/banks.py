"""Question banks: create, import from Excel, add questions; free practice and the wrong-answer book."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from deltaunion.core.audit import log_action, snapshot
from deltaunion.core.excel import ExcelError, RowError, read_table
from deltaunion.core.permissions import require
from deltaunion.orgs.models import Organisation
from deltaunion.practice import questions
from deltaunion.practice.models import Difficulty, PracticeAnswer, Question, QuestionBank, QuestionKind, WrongAnswer
from deltaunion.practice.selectors import IMPORT_OPTIONAL, IMPORT_REQUIRED, OPTION_COLUMNS, right_answer_text

KIND_WORDS = {
    "单选": QuestionKind.SINGLE,
    "单选题": QuestionKind.SINGLE,
    "single": QuestionKind.SINGLE,
    "多选": QuestionKind.MULTIPLE,
    "多选题": QuestionKind.MULTIPLE,
    "multiple": QuestionKind.MULTIPLE,
    "判断": QuestionKind.TRUE_FALSE,
    "判断题": QuestionKind.TRUE_FALSE,
    "truefalse": QuestionKind.TRUE_FALSE,
    "填空": QuestionKind.FILL,
    "填空题": QuestionKind.FILL,
    "fill": QuestionKind.FILL,
}
DIFFICULTY_WORDS = {"1": 1, "2": 2, "3": 3, "易": 1, "容易": 1, "中": 2, "中等": 2, "难": 3, "困难": 3}


@transaction.atomic
def bank_create(
    *,
    owner: Organisation,
    name: str,
    by: Any,
    trade: str = "",
    occupation_code: str = "",
    description: str = "",
    published: bool = True,
    is_demo: bool = False,
) -> QuestionBank:
    require(by, "practice.add_bank", owner)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the bank a name"))
    if QuestionBank.objects.filter(owner=owner, name=name).exists():
        raise ValidationError(_("This union already has a bank named %(name)s") % {"name": name})
    bank = QuestionBank.objects.create(
        owner=owner,
        name=name,
        trade=trade.strip(),
        occupation_code=occupation_code.strip(),
        description=description,
        published=published,
        is_demo=is_demo,
    )
    log_action(actor=by, action="bank.create", obj=bank, after=snapshot(bank))
    return bank


def _clean_row(row: dict[str, Any]) -> tuple[dict[str, Any] | None, list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []
    kind = KIND_WORDS.get(questions.normalise_text(row.get("题型", "")))
    if kind is None:
        problems.append(("题型", _("The question type must be 单选, 多选, 判断 or 填空")))
    difficulty = DIFFICULTY_WORDS.get(questions.normalise_text(row.get("难度", "")))
    if difficulty is None:
        problems.append(("难度", _("The difficulty must be 1, 2 or 3 (易, 中, 难)")))
    topic = str(row.get("主题", "")).strip()
    if not topic:
        problems.append(("主题", _("The topic is empty")))
    elif len(topic) > 100:
        problems.append(("主题", _("The topic is longer than 100 characters")))
    options = [row.get(c, "") for c in OPTION_COLUMNS]
    if kind is not None and kind not in questions.CHOICE_KINDS and any(str(o).strip() for o in options):
        problems.append(("选项A", _("True-or-false and fill-in questions have no options")))
    if kind is not None and kind in questions.CHOICE_KINDS:
        # Options must be contiguous from A so that the letters in 答案 mean what they say.
        filled = [bool(str(o).strip()) for o in options]
        last = max((i for i, f in enumerate(filled) if f), default=-1)
        if not all(filled[: last + 1]):
            problems.append(("选项A", _("Leave no gaps between options: fill A, B, C … in order")))
    cleaned = None
    if kind is not None:
        try:
            opts, answer = questions.clean_question(
                kind=kind, stem=row.get("题干", ""), options=options, answer=row.get("答案", "")
            )
            cleaned = {
                "kind": kind,
                "topic": topic,
                "difficulty": difficulty,
                "stem": str(row.get("题干", "")).strip(),
                "options": opts,
                "answer": answer,
                "explanation": str(row.get("解析", "")).strip(),
            }
        except ValidationError as exc:
            column = "答案" if "answer" in exc.messages[0].lower() or "答案" in exc.messages[0] else "题干"
            problems.append((column, exc.messages[0]))
    return (cleaned if not problems else None), problems


@dataclass
class BankImportResult:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def questions_import(*, data: bytes, bank: QuestionBank, by: Any, max_rows: int = 10000) -> BankImportResult:
    """Import questions from .xlsx: all rows or none. Duplicates (same stem and options after
    normalising width and spaces) are reported against earlier rows and the bank."""
    require(by, "practice.manage_bank", bank)
    result = BankImportResult()
    try:
        rows = read_table(data, required=IMPORT_REQUIRED, optional=IMPORT_OPTIONAL, max_rows=max_rows)
    except ExcelError as exc:
        result.errors.append(RowError(0, "", str(exc)))
        return result
    existing = set(Question.objects.filter(bank=bank).values_list("fingerprint", flat=True))
    seen: dict[str, int] = {}
    new: list[Question] = []
    for row in rows:
        n = row["_row"]
        cleaned, problems = _clean_row(row)
        for column, message in problems:
            result.errors.append(RowError(n, column, message))
        if cleaned is None:
            continue
        fp = questions.fingerprint(cleaned["stem"], cleaned["options"])
        if fp in existing:
            result.errors.append(RowError(n, "题干", _("This question is already in the bank")))
            continue
        if fp in seen:
            result.errors.append(RowError(n, "题干", _("The same question as in row %(row)d") % {"row": seen[fp]}))
            continue
        seen[fp] = n
        new.append(Question(bank=bank, fingerprint=fp, is_demo=bank.is_demo, **cleaned))
    if result.errors:
        return result
    with transaction.atomic():
        Question.objects.bulk_create(new, batch_size=1000)
        log_action(actor=by, action="bank.import", obj=bank, after={"questions": len(new)})
    result.created = len(new)
    return result


@transaction.atomic
def question_add(
    *,
    bank: QuestionBank,
    by: Any,
    kind: str,
    topic: str,
    stem: str,
    options: list[str],
    answer: Any,
    difficulty: int = 1,
    explanation: str = "",
) -> Question:
    require(by, "practice.manage_bank", bank)
    if difficulty not in Difficulty.values:
        raise ValidationError(_("The difficulty must be 1, 2 or 3 (易, 中, 难)"))
    if not (topic or "").strip():
        raise ValidationError(_("The topic is empty"))
    opts, key = questions.clean_question(kind=kind, stem=stem, options=options, answer=answer)
    fp = questions.fingerprint(stem, opts)
    if Question.objects.filter(bank=bank, fingerprint=fp).exists():
        raise ValidationError(_("This question is already in the bank"))
    q = Question.objects.create(
        bank=bank,
        kind=kind,
        topic=topic.strip(),
        stem=stem.strip(),
        options=opts,
        answer=key,
        difficulty=difficulty,
        explanation=explanation.strip(),
        fingerprint=fp,
        is_demo=bank.is_demo,
    )
    log_action(actor=by, action="question.add", obj=q, after=snapshot(q))
    return q


# --- free practice ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PracticeResult:
    correct: bool
    right_answer: str
    explanation: str


def practice_answer(*, question: Question, by: Any, response: Any) -> PracticeResult:
    """Check a practice answer (options in their written order), show the key and the
    explanation, and keep the wrong-answer book: a wrong answer goes in, a right answer to a
    question in the book marks it mastered."""
    questions.check_response_shape(question.kind, response, len(question.options))
    key = questions.shown_key(question.kind, question.answer, list(range(len(question.options))))
    correct = questions.grade(question.kind, key, response)
    now = timezone.now()
    with transaction.atomic():
        PracticeAnswer.objects.create(user=by, question=question, correct=correct)
        if correct:
            WrongAnswer.objects.filter(user=by, question=question).update(mastered=True)
        else:
            updated = WrongAnswer.objects.filter(user=by, question=question).update(
                times_wrong=F("times_wrong") + 1, last_wrong_at=now, mastered=False, last_response=response
            )
            if not updated:
                WrongAnswer.objects.get_or_create(
                    user=by, question=question, defaults={"last_wrong_at": now, "last_response": response}
                )
    return PracticeResult(correct, right_answer_text(question), question.explanation)


@transaction.atomic
def wrong_answer_remove(*, entry: WrongAnswer, by: Any) -> None:
    require(by, "practice.remove_wrong_answer", entry)
    log_action(actor=by, action="wrong_answer.remove", obj=entry, before={"question": entry.question_id})
    entry.delete()

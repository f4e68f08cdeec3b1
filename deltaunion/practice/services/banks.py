"""Question banks: create, import from Excel, add questions; free practice and the wrong-answer book."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from deltaunion.core.audit import log_action, snapshot
from deltaunion.core.permissions import require
from deltaunion.orgs.models import Organisation
from deltaunion.practice import questions
from deltaunion.practice.models import Difficulty, PracticeAnswer, Question, QuestionBank, WrongAnswer
from deltaunion.practice.selectors import right_answer_text


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


def questions_import(*, data: bytes, bank: QuestionBank, by: Any) -> Any:
    """Import questions from .xlsx: all rows or none, every error of every row reported.
    Duplicates (same stem and options after normalising width and spaces) are reported against
    earlier rows and the bank (`practice.imports.QuestionImport`)."""
    from deltaunion.core.imports import run_import
    from deltaunion.practice.imports import QuestionImport

    return run_import(QuestionImport(bank=bank), data, by=by)


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

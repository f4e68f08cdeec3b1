"""Every write of online practice. Import from here (`from deltaunion.practice import services`)."""

from .banks import (
    PracticeResult,
    bank_create,
    practice_answer,
    question_add,
    questions_import,
    wrong_answer_remove,
)
from .quizzes import (
    AnswerResult,
    contest_create_for,
    quiz_answer,
    quiz_create,
    quiz_create_in_contest,
    quiz_finish,
    quiz_set_status,
    quiz_start,
    quiz_theory_feed,
    quiz_update,
)

__all__ = [
    "AnswerResult",
    "PracticeResult",
    "bank_create",
    "contest_create_for",
    "practice_answer",
    "question_add",
    "questions_import",
    "quiz_answer",
    "quiz_create",
    "quiz_create_in_contest",
    "quiz_finish",
    "quiz_set_status",
    "quiz_start",
    "quiz_theory_feed",
    "quiz_update",
    "wrong_answer_remove",
]

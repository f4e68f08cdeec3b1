"""Online practice in the 404 matrix: an unpublished bank of Hangzhou and its question, a quiz
of a draft contest led by Hangzhou (its boards too), a second Hangzhou worker's attempt and
wrong-book entry."""

from deltaunion.accounts.tests.factories import UserFactory
from deltaunion.contests.models import Contest
from deltaunion.core.testing import Obj
from deltaunion.people.models import Worker
from deltaunion.practice import services
from deltaunion.practice.models import Quiz, WrongAnswer
from deltaunion.practice.tests.factories import make_questions, practice_contest

RULES = [{"topic": "", "difficulty": None, "count": 2}]


def build(world):
    officer = world.hz_officer
    hidden_bank = services.bank_create(owner=world.hz, name="未公开的题库", by=officer, published=False)
    [question] = make_questions(hidden_bank, officer, 1, topic="内部")
    drafting = practice_contest("筹备中的答题竞赛", world.hz, officer, status=Contest.Status.DRAFT)
    draft_quiz = services.quiz_create(
        contest=drafting, bank=hidden_bank, title="筹备中的答题", draw_rules=[{"count": 1}], by=officer, status="open"
    )
    # A second Hangzhou worker sits a public quiz and gets a question wrong.
    second = UserFactory(full_name="第二位职工")
    Worker.objects.filter(pk=world.hz_a.pk).update(user=second)
    public_bank = services.bank_create(owner=world.hz, name="公开的题库", by=officer)
    questions = make_questions(public_bank, officer, 3)
    running = practice_contest("进行中的答题竞赛", world.hz, officer, status=Contest.Status.RUNNING)
    quiz = services.quiz_create(
        contest=running, bank=public_bank, title="公开的答题", draw_rules=RULES, by=officer, status=Quiz.Status.OPEN
    )
    attempt = services.quiz_start(quiz=quiz, by=second)
    services.practice_answer(question=questions[0], by=second, response=[0])
    entry = WrongAnswer.objects.get(user=second)
    return {
        "bank_id": Obj(hidden_bank.pk, owner=officer),
        "question_id": Obj(question.pk, owner=officer),
        "quiz_id": Obj(draft_quiz.pk, owner=officer),
        "kind": Obj("quiz"),
        "object_id": Obj(draft_quiz.pk, owner=officer),
        "level": Obj("person"),
        "attempt_id": Obj(attempt.pk, owner=second),
        "entry_id": Obj(entry.pk, owner=second),
    }

"""Online practice on the kernel: the quiz's declared state machine, one permission per rule
(403 with the permission's message for someone who may see a quiz or bank but not change it),
every change audited and readable as sentences."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from deltaunion.core.audit import describe, history_for
from deltaunion.core.permissions import Forbidden, can
from deltaunion.core.statemachine import TransitionError, illegal_pairs
from deltaunion.practice import services
from deltaunion.practice.models import Quiz, WrongAnswer
from deltaunion.practice.tests.factories import build_practice_world

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def pw(world):
    return build_practice_world(world, n_workers=1)


def test_a_new_open_quiz_is_created_then_opened_and_both_are_audited(pw):
    actions = list(history_for(pw.quiz).order_by("created_at", "id").values_list("action", flat=True))
    assert actions == ["quiz.create", "quiz.open"]


@pytest.mark.parametrize(("state", "transition"), list(illegal_pairs(Quiz.workflow)))
def test_illegal_quiz_transitions_are_refused_and_change_nothing(pw, state, transition):
    Quiz.objects.filter(pk=pw.quiz.pk).update(status=state)
    pw.quiz.refresh_from_db()
    before = history_for(pw.quiz).count()
    with pytest.raises(TransitionError):
        Quiz.workflow.fire(pw.quiz, transition.name, by=pw.officer)
    assert Quiz.objects.get(pk=pw.quiz.pk).status == state
    assert history_for(pw.quiz).count() == before


@pytest.mark.parametrize(("start", "target"), [("draft", "closed"), ("closed", "draft")])
def test_undeclared_status_changes_are_refused_through_the_service(pw, start, target):
    Quiz.objects.filter(pk=pw.quiz.pk).update(status=start)
    pw.quiz.refresh_from_db()
    before = history_for(pw.quiz).count()
    with pytest.raises(TransitionError):
        services.quiz_set_status(quiz=pw.quiz, status=target, by=pw.officer)
    assert Quiz.objects.get(pk=pw.quiz.pk).status == start
    assert history_for(pw.quiz).count() == before


def test_the_contests_managers_move_the_quiz_along(pw, world):
    services.quiz_set_status(quiz=pw.quiz, status="closed", by=pw.officer)
    services.quiz_set_status(quiz=pw.quiz, status="open", by=world.superuser)
    services.quiz_set_status(quiz=pw.quiz, status="draft", by=pw.officer)  # nobody has sat it
    assert Quiz.objects.get(pk=pw.quiz.pk).status == "draft"
    codes = list(history_for(pw.quiz).order_by("created_at", "id").values_list("action", flat=True))
    assert codes[-3:] == ["quiz.close", "quiz.reopen", "quiz.withdraw"]


def test_a_quiz_someone_has_sat_cannot_go_back_to_draft(pw):
    services.quiz_start(quiz=pw.quiz, by=pw.workers[0])
    with pytest.raises(TransitionError, match="already sat"):
        services.quiz_set_status(quiz=pw.quiz, status="draft", by=pw.officer)
    assert Quiz.objects.get(pk=pw.quiz.pk).status == "open"


@pytest.mark.parametrize("who", ["worker", "sz_officer", "hz_officer", "zj_judge", "nobody"])
def test_who_may_see_a_quiz_but_not_manage_it_is_refused_with_403(pw, world, who):
    """The quiz is open to everyone; changing it is for its contest's managers (Zhejiang's):
    a 403 carrying the permission's message, and nothing changes."""
    user = getattr(world, who)
    assert can(user, "practice.view_quiz", pw.quiz) and not can(user, "practice.manage_quiz", pw.quiz)
    before = history_for(pw.quiz).count()
    with pytest.raises(Forbidden, match="organisers and the officers of its lead union"):
        services.quiz_set_status(quiz=pw.quiz, status="closed", by=user)
    with pytest.raises(Forbidden):
        services.quiz_update(quiz=pw.quiz, by=user, title="改了")
    with pytest.raises(Forbidden):
        services.question_add(bank=pw.bank, by=user, kind="truefalse", topic="t", stem="题", options=[], answer="对")
    pw.quiz.refresh_from_db()
    assert (pw.quiz.status, pw.quiz.title) == ("open", "测试答题")
    assert history_for(pw.quiz).count() == before


def test_settings_change_through_model_update_and_read_as_sentences(pw):
    services.quiz_update(quiz=pw.quiz, by=pw.officer, title="新的标题", attempts_per_day=5)
    entry = history_for(pw.quiz).first()
    assert entry.action == "quiz.update"
    assert entry.before == {"title": "测试答题", "attempts_per_day": 2}
    with pytest.raises(ValidationError):  # the model's own rules: at least one attempt a day
        services.quiz_update(quiz=pw.quiz, by=pw.officer, attempts_per_day=0)
    assert Quiz.objects.get(pk=pw.quiz.pk).attempts_per_day == 5
    with pytest.raises(ValueError):  # the status moves only by transition
        services.quiz_update(quiz=pw.quiz, by=pw.officer, **{"is_demo": True})


def test_the_quiz_page_shows_its_history_in_words(client, pw):
    from django.utils import translation

    services.quiz_set_status(quiz=pw.quiz, status="closed", by=pw.officer)
    with translation.override("zh-hans"):
        items = describe(history_for(pw.quiz))
        assert items[0].action == "结束了答题"
        assert [(c.before, c.after) for c in items[0].changes] == [("开放答题", "已结束")]
    client.force_login(pw.officer)
    html = client.get(reverse("practice:manage_quiz", args=[pw.quiz.pk])).content.decode()
    assert "结束了答题" in html and "quiz.close" not in html and "draw_rules" not in html


def test_only_the_worker_removes_their_wrong_answers(pw, world):
    question = pw.bank.questions.first()
    services.practice_answer(question=question, by=pw.workers[0], response=[0])
    entry = WrongAnswer.objects.get(user=pw.workers[0])
    with pytest.raises(Forbidden):
        services.wrong_answer_remove(entry=entry, by=world.hz_officer)
    assert not history_for(entry).exists()
    gone = history_for(entry)  # the entry's pk, taken before it is deleted
    services.wrong_answer_remove(entry=entry, by=pw.workers[0])
    assert not WrongAnswer.objects.exists()
    assert gone.get().action == "wrong_answer.remove"

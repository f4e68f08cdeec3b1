"""The community demo data (`manage.py load_demo`): likes and comments on the demo posts of
practice and campaigns, their counts folded, one open abuse report, idempotence."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from deltaunion.accounts.models import User
from deltaunion.community import demo, selectors
from deltaunion.community.models import AbuseReport, Comment, Post, PostLike
from deltaunion.core import counters
from deltaunion.core.models import AuditEntry
from deltaunion.core.permissions import can

pytestmark = pytest.mark.usefixtures("demo_data", "db")


def test_posts_likes_comments_and_an_open_report():
    posts = Post.objects.filter(is_demo=True, kind__in=["news", "skill", "result"])
    assert posts.count() >= 25
    assert set(posts.values_list("kind", flat=True)) == {"news", "skill", "result"}
    likes = dict(PostLike.objects.values("post").annotate(n=Count("id")).values_list("post", "n"))
    comments = dict(
        Comment.objects.filter(status="published").values("post").annotate(n=Count("id")).values_list("post", "n")
    )
    assert sum(likes.values()) > 1000
    for post in posts:
        assert post.like_count == likes.get(post.pk, 0) and post.comment_count == comments.get(post.pk, 0)
        assert post.created_at <= timezone.now()
    assert counters.recount() == 0  # the columns already match the rows
    report = AbuseReport.objects.get(status="open")
    officer = User.objects.get(username="hz_officer")
    assert can(officer, "community.moderate", report)
    assert list(selectors.open_reports(officer)) == [report]
    assert report.comment.body == demo.SPAM_COMMENT and report.post.organisation.name == demo.REPORTED_UNION


def test_loading_again_adds_nothing():
    models = [*apps.get_app_config("community").get_models(), User, AuditEntry]

    def counts():
        return {m.__name__: m.objects.count() for m in models}

    before = counts()
    call_command("load_demo", quiet=True)
    assert counts() == before


def _longest_common(a: str, b: str) -> str:
    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return a[m.a : m.a + m.size]


def _leaks(question, text: str) -> bool:
    """Whether `text` gives away the answer of `question`: it speaks of the question (shares a
    run of 8 characters with its stem) and states every correct option or fill answer; a
    true/false statement is given away by repeating most of it."""
    stem = question.stem.replace("____", "")
    if question.kind in ("single", "multiple"):
        answers = [str(question.options[i]).strip() for i in question.answer]
    elif question.kind == "fill":
        answers = [str(a).strip() for a in question.answer[:1]]
    else:
        answers = []
    if answers and len(_longest_common(stem, text)) >= 8 and all(a in text for a in answers):
        return True
    return question.kind == "truefalse" and len(_longest_common(stem, text)) >= 0.6 * len(stem)


def test_no_demo_post_gives_away_the_answers_of_an_open_quiz():
    """The quiz hides its answers to keep it fair (为保证公平): no demo post or comment states
    the answer of a question the open quizzes draw from (their banks)."""
    from deltaunion.practice.models import Question, Quiz

    banks = Quiz.objects.filter(status=Quiz.Status.OPEN).values("bank")
    bank_questions = list(Question.objects.filter(bank__in=banks))
    assert len(bank_questions) > 100
    texts = [(p.title, f"{p.title}\n{p.body}") for p in Post.objects.filter(is_demo=True)]
    texts += [(c.post.title, c.body) for c in Comment.objects.filter(post__is_demo=True).select_related("post")]
    leaks = [(title, q.stem) for title, text in texts for q in bank_questions if _leaks(q, text)]
    assert leaks == []
    stated = [title for title, text in texts if re.search(r"答案\s*[:：]|正确答案是|解析\s*[:：]", text)]
    assert stated == []
    # The participants' skill notes are still there, about the bank's questions, and marked demo.
    tips = list(Post.objects.filter(is_demo=True, kind="skill"))
    stems = {q.stem for q in bank_questions}
    assert len(tips) >= 5
    for tip in tips:
        assert "为保证公平" in tip.body and demo.POST_NOTE.strip() in tip.body
        assert any(stem in tip.body for stem in stems)

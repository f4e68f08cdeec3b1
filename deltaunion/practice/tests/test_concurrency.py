"""Real concurrent connections on PostgreSQL: a retried answer counts once, caps hold when one
person submits many actions at the same moment, a like from many people at once counts each
exactly once, and one person's attempts per day are never exceeded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from deltaunion.contests.tests.test_concurrency import run_together
from deltaunion.practice import counters, services
from deltaunion.practice.models import CampaignMember, PointAward, PostLike, QuizAnswer, QuizAttempt

from .factories import build_practice_world, shown_right_index

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrent connections"),
]


def test_the_same_answer_sent_at_once_counts_once(world):
    pw = build_practice_world(world)
    user = pw.workers[0]
    attempt = services.quiz_start(quiz=pw.quiz, by=user)
    qid = attempt.paper[0]["q"]
    good = shown_right_index(attempt, qid)
    results = run_together(
        [lambda: services.quiz_answer(attempt=attempt, by=user, question_id=qid, response=[good])] * 8
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(1 for r in results if not r.duplicate) == 1
    attempt.refresh_from_db()
    assert (attempt.score, attempt.answered) == (10, 1)
    assert QuizAnswer.objects.filter(attempt=attempt).count() == 1


def test_caps_hold_under_concurrent_actions_of_one_person(world):
    pw = build_practice_world(world)
    user = pw.workers[0]
    services.campaign_join(campaign=pw.campaign, by=user)
    meal = pw.campaign.rules.get(code="meal")  # 1 point each, 3 a day
    day = dt.date(2023, 7, 1)

    def job(i):
        return lambda: services.action_log(
            campaign=pw.campaign,
            by=user,
            rule=meal,
            source_key=f"meal-{i}",
            occurred_on=day,
            today=dt.date(2023, 8, 1),
        )

    results = run_together([job(i) for i in range(10)])
    assert not [r for r in results if isinstance(r, Exception)], results
    awards = PointAward.objects.filter(member__user=user, rule=meal)
    assert awards.count() == 10 and sum(a.points for a in awards) == 3
    assert CampaignMember.objects.get(campaign=pw.campaign, user=user).points == 3


def test_the_same_event_at_once_earns_once(world):
    pw = build_practice_world(world)
    user = pw.workers[0]
    services.campaign_join(campaign=pw.campaign, by=user)
    activity = pw.campaign.rules.get(code="activity")
    results = run_together(
        [
            lambda: services.action_log(
                campaign=pw.campaign,
                by=user,
                rule=activity,
                source_key="same",
                occurred_on=dt.date(2023, 7, 2),
                today=dt.date(2023, 8, 1),
            )
        ]
        * 6
    )
    assert sum(1 for r in results if not isinstance(r, Exception) and r[1]) == 1
    assert CampaignMember.objects.get(campaign=pw.campaign, user=user).points == 10


def test_many_likes_at_once(world):
    pw = build_practice_world(world, n_workers=12)
    post = services.post_create(by=pw.workers[0], kind="skill", title="t", body="b")
    jobs = [lambda u=u: services.post_like(post=post, by=u) for u in pw.workers]
    jobs += [lambda: services.post_like(post=post, by=pw.workers[1])] * 4  # one person, five times
    results = run_together(jobs)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert PostLike.objects.filter(post=post).count() == 12
    counters.fold()
    post.refresh_from_db()
    assert post.like_count == 12


def test_attempts_per_day_hold_under_concurrent_starts(world):
    pw = build_practice_world(world)  # 2 attempts a day
    user = pw.workers[0]

    def start_and_finish():
        a = services.quiz_start(quiz=pw.quiz, by=user)
        services.quiz_finish(attempt=a, by=user)
        return a.pk

    results = run_together([start_and_finish] * 6)
    started = {r for r in results if isinstance(r, int)}
    assert QuizAttempt.objects.filter(user=user).count() == len(started) <= 2

"""Real concurrent connections on PostgreSQL: a like from many people at once counts each
exactly once, and the folded count agrees."""

from __future__ import annotations

import pytest
from django.db import connection

from deltaunion.community import services
from deltaunion.community.models import PostLike
from deltaunion.contests.tests.test_concurrency import run_together
from deltaunion.core import counters

from .factories import readers

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrent connections"),
]


def test_many_likes_at_once(world):
    crowd = readers(world, 12)
    post = services.post_create(by=crowd[0], kind="skill", title="t", body="b")
    jobs = [lambda u=u: services.post_like(post=post, by=u) for u in crowd]
    jobs += [lambda: services.post_like(post=post, by=crowd[1])] * 4  # one person, five times
    results = run_together(jobs)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert PostLike.objects.filter(post=post).count() == 12
    counters.fold()
    post.refresh_from_db()
    assert post.like_count == 12


def test_a_like_commits_asynchronously_that_transaction_alone(world):
    """Outside a transaction a like is one statement that does not wait for the disk flush
    (durable within 5 s, the like's rule); the connection's setting is untouched after it."""
    crowd = readers(world, 2)
    post = services.post_create(by=crowd[0], kind="skill", title="t", body="b")
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        before = cursor.fetchone()[0]
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert services.post_like(post=post, by=crowd[1]) is True
    assert [q for q in ctx.captured_queries if "set_config('synchronous_commit', 'off', true)" in q["sql"]]
    assert services.post_like(post=post, by=crowd[1]) is False  # once per person, as always
    assert PostLike.objects.filter(post=post).count() == 1
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == before

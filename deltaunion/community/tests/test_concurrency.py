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

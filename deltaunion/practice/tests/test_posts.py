"""Posts: likes once, counts folded in later (never the post row inside the request), comments,
reports and moderation."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from deltaunion.core.models import AuditEntry
from deltaunion.practice import counters, selectors, services
from deltaunion.practice.models import AbuseReport, Post, PostLike

from .factories import build_practice_world

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def pw(world):
    return build_practice_world(world, n_workers=6)


@pytest.mark.django_db(transaction=True)
def test_likes_count_once_and_fold_into_the_post(pw):
    author = pw.workers[0]
    post = services.post_create(by=author, kind="skill", title="焊接小窍门", body="先预热。")
    for user in pw.workers:
        assert services.post_like(post=post, by=user) is True
    assert services.post_like(post=post, by=pw.workers[1]) is False  # a second like is a no-op
    post.refresh_from_db()
    assert post.like_count == 0  # the request did not touch the post row
    assert PostLike.objects.filter(post=post).count() == 6
    assert counters.pending("post_likes", [post.pk]) == {post.pk: 6}
    assert selectors.live_counts([post])[post.pk][0] == 6
    counters.fold()
    post.refresh_from_db()
    assert post.like_count == 6 and counters.pending("post_likes", [post.pk]) == {}
    assert services.post_unlike(post=post, by=pw.workers[2]) is True
    assert services.post_unlike(post=post, by=pw.workers[2]) is False
    counters.fold()
    post.refresh_from_db()
    assert post.like_count == 5
    # The like rows are the truth: a recount from them agrees.
    Post.objects.filter(pk=post.pk).update(like_count=999)
    counters.recount([post.pk])
    post.refresh_from_db()
    assert post.like_count == 5


def test_only_officers_post_news_and_workers_post_in_their_own_union(pw):
    worker = pw.ns.worker  # hz_unit worker
    with pytest.raises(PermissionDenied, match="Only union officers post news"):
        services.post_create(by=worker, kind="news", title="t", body="b")
    with pytest.raises(PermissionDenied):
        services.post_create(by=worker, kind="skill", title="t", body="b", organisation=pw.ns.sz_unit)
    with pytest.raises(ValidationError, match="title and some text"):
        services.post_create(by=worker, kind="skill", title=" ", body="b")
    news = services.post_create(by=pw.ns.hz_officer, kind="news", title="通知", body="正文", organisation=pw.ns.hz)
    assert news.kind == "news"


@pytest.mark.django_db(transaction=True)
def test_reports_and_moderation(pw):
    author, reader = pw.workers[0], pw.workers[2]
    post = services.post_create(by=author, kind="result", title="成果", body="内容")
    comment = services.comment_add(post=post, by=reader, body="不当言论")
    report = services.report_file(post=post, comment=comment, by=pw.workers[4], reason="辱骂")
    assert services.report_file(post=post, comment=comment, by=pw.workers[4], reason="再次") == report
    officer = pw.ns.hz_officer  # the author is in hz_unit, under Hangzhou
    with pytest.raises(Exception):  # noqa: B017 — a 404 for an officer of another subtree
        services.report_decide(report=report, uphold=True, by=pw.ns.sz_officer)
    services.report_decide(report=report, uphold=True, by=officer, note="违反社区规则")
    comment.refresh_from_db()
    assert comment.status == "hidden"
    assert AbuseReport.objects.get(pk=report.pk).status == "upheld"
    with pytest.raises(ValidationError, match="already been decided"):
        services.report_decide(report=report, uphold=False, by=officer)
    services.content_hide(obj=post, by=officer, reason="重复内容")
    assert post not in selectors.posts_for(reader)
    assert post in selectors.posts_for(officer)
    assert AuditEntry.objects.filter(action="moderate.hide").count() == 2
    counters.fold()
    post.refresh_from_db()
    assert post.comment_count == 0  # the hidden comment no longer counts

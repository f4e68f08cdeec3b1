"""Posts: likes once, counts folded in later (never the post row inside the request), comments,
reports and moderation, every write but a like audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from deltaunion.community import selectors, services
from deltaunion.community.models import AbuseReport, Comment, Post, PostLike
from deltaunion.core import counters
from deltaunion.core.audit import history_for
from deltaunion.core.models import AuditEntry

from .factories import readers

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def crowd(world):
    return readers(world, 6)


@pytest.mark.django_db(transaction=True)
def test_likes_count_once_and_fold_into_the_post(crowd):
    author = crowd[0]
    post = services.post_create(by=author, kind="skill", title="焊接小窍门", body="先预热。")
    for user in crowd:
        assert services.post_like(post=post, by=user) is True
    assert services.post_like(post=post, by=crowd[1]) is False  # a second like is a no-op
    post.refresh_from_db()
    assert post.like_count == 0  # the request did not touch the post row
    assert PostLike.objects.filter(post=post).count() == 6
    assert counters.pending("post_likes", [post.pk]) == {post.pk: 6}
    assert selectors.live_counts([post])[post.pk][0] == 6
    counters.fold()
    post.refresh_from_db()
    assert post.like_count == 6 and counters.pending("post_likes", [post.pk]) == {}
    assert services.post_unlike(post=post, by=crowd[2]) is True
    assert services.post_unlike(post=post, by=crowd[2]) is False
    counters.fold()
    post.refresh_from_db()
    assert post.like_count == 5
    # The like rows are the truth: a recount from them agrees.
    Post.objects.filter(pk=post.pk).update(like_count=999)
    assert counters.recount(object_ids=[post.pk]) == 1
    post.refresh_from_db()
    assert post.like_count == 5
    assert counters.recount(object_ids=[post.pk]) == 0


def test_only_officers_post_news_and_workers_post_in_their_own_union(world):
    worker = world.worker  # hz_unit worker
    with pytest.raises(PermissionDenied, match="Only union officers post news"):
        services.post_create(by=worker, kind="news", title="t", body="b")
    with pytest.raises(PermissionDenied, match="only in your own union"):
        services.post_create(by=worker, kind="skill", title="t", body="b", organisation=world.sz_unit)
    with pytest.raises(ValidationError, match="title and some text"):
        services.post_create(by=worker, kind="skill", title=" ", body="b")
    with pytest.raises(ValidationError, match="not linked to a union"):
        services.post_create(by=world.nobody, kind="skill", title="t", body="b")
    assert not Post.objects.exists() and not AuditEntry.objects.filter(action="post.create").exists()
    news = services.post_create(by=world.hz_officer, kind="news", title="通知", body="正文", organisation=world.hz)
    assert news.kind == "news"
    assert history_for(news).get().action == "post.create"


@pytest.mark.django_db(transaction=True)
def test_reports_and_moderation(crowd, world):
    author, reader = crowd[0], crowd[2]  # both of Hangzhou
    post = services.post_create(by=author, kind="result", title="成果", body="内容")
    comment = services.comment_add(post=post, by=reader, body="不当言论")
    assert history_for(comment).get().action == "comment.create"  # comments are audited like posts
    report = services.report_file(post=post, comment=comment, by=crowd[4], reason="辱骂")
    assert services.report_file(post=post, comment=comment, by=crowd[4], reason="再次") == report
    with pytest.raises(PermissionDenied):  # Suzhou's officer may not moderate Hangzhou's posts
        services.report_decide(report=report, uphold=True, by=world.sz_officer)
    assert AbuseReport.objects.get(pk=report.pk).status == "open"
    services.report_decide(report=report, uphold=True, by=world.hz_officer, note="违反社区规则")
    comment.refresh_from_db()
    assert comment.status == "hidden"
    report.refresh_from_db()
    assert (report.status, report.decided_by, report.decision_note) == ("upheld", world.hz_officer, "违反社区规则")
    services.content_hide(obj=post, by=world.hz_officer, reason="重复内容")
    assert post not in selectors.posts_for(reader)
    assert post in selectors.posts_for(world.hz_officer)
    assert AuditEntry.objects.filter(action__in=["post.hide", "comment.hide"]).count() == 2
    assert AuditEntry.objects.filter(action="report.uphold").count() == 1
    counters.fold()
    post.refresh_from_db()
    assert post.comment_count == 0  # the hidden comment no longer counts
    services.content_restore(obj=comment, by=world.hz_officer)
    counters.fold()
    assert Post.objects.get(pk=post.pk).comment_count == 1
    assert Comment.objects.get(pk=comment.pk).status == "published"

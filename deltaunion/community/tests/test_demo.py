"""The community demo data (`manage.py load_demo`): likes and comments on the demo posts of
practice and campaigns, their counts folded, one open abuse report, idempotence."""

from __future__ import annotations

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

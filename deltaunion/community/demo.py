"""Community demo data (idempotent): readers' likes and comments on the demo posts, and one open
abuse report, so the feed and 杭州市总工会's moderation queue are not empty.

The posts themselves are written by the apps whose objects they are about (practice: news on
the 2023 contests, tips and quiz results; campaigns: the Wuyi campaign), through `publish`.
A post's readers are the synthetic (演示) workers of the union it was posted in and below;
every random choice is seeded by the post's title, so a second load adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone

from deltaunion.accounts.models import User
from deltaunion.community import services
from deltaunion.community.models import AbuseReport, Comment, Post, PostLike
from deltaunion.core import counters
from deltaunion.core.registry import DemoContext
from deltaunion.orgs.models import Organisation

POST_NOTE = "\n\n（本帖为演示数据。）"
BATCH = 2000
COMMENTS = [
    "学习了，谢谢分享！",
    "很实用，收藏了。",
    "加油！",
    "我们单位也在组织，大家一起练。",
    "讲得很清楚。",
    "点赞！",
    "这个知识点我之前答错过，记住了。",
    "期待下一期。",
    "同去同去！",
    "希望多组织这样的活动。",
]
# The open report: a spam comment under the newest demo news of this union.
REPORTED_UNION = "杭州市总工会"
SPAM_COMMENT = "加群领取网上答题“标准答案”，私信我（演示举报样例）"
SPAM_REASON = "疑似广告，兜售答题“标准答案”（演示举报）"


def publish(
    *, author: Any, organisation: Organisation, kind: str, title: str, body: str, subject: Any, when: dt.datetime
) -> Post:
    """A demo post written through the service, dated `when`; the same title by the same author
    again returns the first."""
    existing = Post.objects.filter(is_demo=True, author=author, title=title).first()
    if existing is not None:
        return existing
    post = services.post_create(
        by=author,
        kind=kind,
        title=title,
        body=body + POST_NOTE,
        organisation=organisation,
        subject=subject,
        is_demo=True,
    )
    Post.objects.filter(pk=post.pk).update(created_at=when, updated_at=when)
    post.created_at = post.updated_at = when
    return post


def _readers(post: Post) -> list[int]:
    return list(
        User.objects.filter(is_demo=True, worker__organisation__path__startswith=post.organisation.path)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _activity(post: Post, latest: dt.datetime) -> tuple[list[PostLike], list[Comment]]:
    rng = random.Random(post.title)
    readers = _readers(post)
    if not readers:
        return [], []
    high = len(readers) // 12 if post.kind == Post.Kind.NEWS else min(len(readers), 150)
    fans = rng.sample(readers, rng.randrange(high // 3, high + 1))
    likes = [
        PostLike(post=post, user_id=u, created_at=min(latest, post.created_at + dt.timedelta(minutes=m)))
        for u, m in zip(fans, rng.choices(range(5, 4000), k=len(fans)), strict=True)
        if u != post.author_id
    ]
    comments = []
    for k in range(rng.randrange(0, 7)):
        when = min(post.created_at + dt.timedelta(minutes=5 + 37 * k), latest)
        comments.append(
            Comment(
                post=post, author_id=rng.choice(readers), body=rng.choice(COMMENTS), created_at=when, updated_at=when
            )
        )
    return likes, comments


def _report(latest: dt.datetime) -> None:
    if AbuseReport.objects.filter(post__is_demo=True).exists():
        return
    post = (
        Post.objects.filter(is_demo=True, kind=Post.Kind.NEWS, organisation__name=REPORTED_UNION)
        .order_by("-created_at", "-id")
        .first()
    )
    readers = _readers(post) if post is not None else []
    if not readers:
        return
    when = min(post.created_at + dt.timedelta(hours=5), latest)
    spam = Comment.objects.create(post=post, author_id=readers[-1], body=SPAM_COMMENT)
    Comment.objects.filter(pk=spam.pk).update(created_at=when, updated_at=when)
    AbuseReport.objects.create(post=post, comment=spam, reporter_id=readers[0], reason=SPAM_REASON)


def load(ctx: DemoContext) -> dict[str, int]:
    latest = timezone.now() - dt.timedelta(minutes=10)
    # Only this loader's kinds: reviews come from other apps' loaders (recuperation trips), which may run
    # after this one, and a second load must add nothing.
    own = [Post.Kind.NEWS, Post.Kind.SKILL, Post.Kind.RESULT]
    quiet = Post.objects.filter(is_demo=True, kind__in=own).exclude(
        Exists(PostLike.objects.filter(post=OuterRef("pk")))
    )
    quiet = quiet.exclude(Exists(Comment.objects.filter(post=OuterRef("pk")))).select_related("organisation")
    posts = list(quiet.order_by("pk"))
    likes: list[PostLike] = []
    comments: list[Comment] = []
    for post in posts:
        more_likes, more_comments = _activity(post, latest)
        likes += more_likes
        comments += more_comments
    # The insert stamps "now" on auto_now(_add) columns: put the times back afterwards.
    like_times = [like.created_at for like in likes]
    comment_times = [comment.created_at for comment in comments]
    PostLike.objects.bulk_create(likes, batch_size=BATCH)
    Comment.objects.bulk_create(comments, batch_size=BATCH)
    for like, when in zip(likes, like_times, strict=True):
        like.created_at = when
    for comment, when in zip(comments, comment_times, strict=True):
        comment.created_at = comment.updated_at = when
    PostLike.objects.bulk_update(likes, ["created_at"], batch_size=BATCH)
    Comment.objects.bulk_update(comments, ["created_at", "updated_at"], batch_size=BATCH)
    _report(latest)
    demo_posts = list(Post.objects.filter(is_demo=True).values_list("pk", flat=True))
    counters.recount(object_ids=demo_posts)  # the columns from the rows just written
    return {"posts": len(demo_posts), "likes": PostLike.objects.filter(post__is_demo=True).count()}

"""Every write of the community: posts, likes, comments, abuse reports and moderation.

Posts, comments, reports and moderation decisions are audited. A like is one deduplicated row
(who liked what, and when) and a pending counter increment; it writes no audit entry, so that
thousands of likes a second on one post stay cheap.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deltaunion.community import subjects
from deltaunion.community.models import AbuseReport, Comment, ContentStatus, Post, PostLike
from deltaunion.community.selectors import own_union
from deltaunion.core import counters, hotsql
from deltaunion.core.audit import log_action
from deltaunion.core.permissions import require
from deltaunion.orgs.models import Organisation

TITLE_MAX, BODY_MAX, COMMENT_MAX = 200, 20000, 2000


@transaction.atomic
def post_create(
    *,
    by: Any,
    kind: str,
    title: str,
    body: str,
    organisation: Organisation | None = None,
    subject: Any = None,
    is_demo: bool = False,
) -> Post:
    """Workers post in their own union; officers in any union they manage. News is for officers.
    `subject` is what the post is about (a registered subject the caller may see), or None."""
    organisation = organisation or own_union(by)
    if organisation is None:
        raise ValidationError(_("Your account is not linked to a union, so you cannot post yet"))
    require(by, "community.post_in", organisation)
    if kind not in Post.Kind.values:
        raise ValidationError(_("Choose a kind of post"))
    if kind == Post.Kind.NEWS:
        require(by, "community.post_news", organisation)
    title, body = (title or "").strip(), (body or "").strip()
    if not title or not body:
        raise ValidationError(_("A post needs a title and some text"))
    if len(title) > TITLE_MAX or len(body) > BODY_MAX:
        raise ValidationError(_("The title is at most 200 characters and the text at most 20,000"))
    post = Post.objects.create(
        author=by,
        organisation=organisation,
        kind=kind,
        title=title,
        body=body,
        is_demo=is_demo,
        **subjects.subject_fields(subject),
    )
    log_action(actor=by, action="post.create", obj=post, after={"kind": kind, "title": title})
    return post


def _published(post: Post) -> None:
    if post.status != ContentStatus.PUBLISHED:
        raise ValidationError(_("This post is hidden"))


_LIKE_SQL: dict[tuple, str] = {}


def _like_sql(*, only_published: bool) -> str:
    """The like's one statement. On PostgreSQL, outside a surrounding transaction, it commits
    asynchronously (synchronous_commit off for this transaction alone): the like is answered
    without waiting for the disk flush (6–12 ms on the benchmark machine) and is on disk within
    three wal_writer_delay (0.6 s by default) — the issue's rule for a like is "durable within
    5 s". A database crash in that window loses the like's row, never the table's consistency,
    and `manage.py fold_counters --recount` sets like_count from the rows again.
    `only_published`: the row is inserted only if the post exists and is published (the check
    of post_to_like_or_404 and post_like in the same statement)."""
    asynchronous = connection.vendor == "postgresql" and connection.get_autocommit()
    sql = _LIKE_SQL.get((connection.vendor, asynchronous, only_published))
    if sql is None:
        sql = _LIKE_SQL[connection.vendor, asynchronous, only_published] = _build_like_sql(asynchronous, only_published)
    return sql


def _build_like_sql(asynchronous: bool, only_published: bool) -> str:
    table, posts = PostLike._meta.db_table, Post._meta.db_table
    sources = ["(SELECT set_config('synchronous_commit', 'off', true)) AS asynchronous_commit"] if asynchronous else []
    if only_published:
        rows = f"SELECT p.id, %s, %s FROM {', '.join([f'{posts} AS p', *sources])} WHERE p.id = %s AND p.status = %s"
    else:
        rows = f"SELECT %s, %s, %s FROM {sources[0]}" if sources else "VALUES (%s, %s, %s)"
    return (
        f"INSERT INTO {table} (post_id, user_id, created_at) {rows} "
        "ON CONFLICT (post_id, user_id) DO NOTHING RETURNING id"
    )


def _like_insert(post_id: int, by: Any, *, only_published: bool) -> bool:
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    args = [by.pk, now, post_id, ContentStatus.PUBLISHED.value] if only_published else [post_id, by.pk, now]
    added = hotsql.fetchone(_like_sql(only_published=only_published), args) is not None
    if added:
        transaction.on_commit(lambda: counters.bump("post_likes", post_id, 1))
    return added


def post_like(*, post: Post, by: Any) -> bool:
    """Like a post once; returns True if this call added the like. A second like is a no-op."""
    _published(post)
    return _like_insert(post.pk, by, only_published=False)


def post_like_if_published(*, post_id: int, by: Any) -> bool:
    """The hot path of a like: one statement that inserts the like if the post exists and is
    published and the user has not liked it yet. True if it did; False means nothing was
    written, and the caller answers through selectors.post_to_like_or_404 and post_like (a
    published post is public: anyone signed in may read and like it, so a post that is published
    needs no other check — the same rule as post_to_like_or_404's)."""
    return _like_insert(post_id, by, only_published=True)


def post_unlike(*, post: Post, by: Any) -> bool:
    with transaction.atomic():
        deleted, _rows = PostLike.objects.filter(post=post, user=by).delete()
        if deleted:
            transaction.on_commit(lambda: counters.bump("post_likes", post.pk, -1))
    return bool(deleted)


@transaction.atomic
def comment_add(*, post: Post, by: Any, body: str) -> Comment:
    _published(post)
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("The comment is empty"))
    if len(body) > COMMENT_MAX:
        raise ValidationError(_("A comment is at most 2,000 characters"))
    comment = Comment.objects.create(post=post, author=by, body=body)
    log_action(actor=by, action="comment.create", obj=comment, after={"post": post.pk, "body": body})
    transaction.on_commit(lambda: counters.bump("post_comments", post.pk, 1))
    return comment


@transaction.atomic
def report_file(*, post: Post, by: Any, reason: str, comment: Comment | None = None) -> AbuseReport:
    """Report a post or one of its comments; the same open report again returns the first."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say what is wrong with it"))
    if comment is not None and comment.post_id != post.pk:
        raise ValidationError(_("That comment is not under this post"))
    existing = AbuseReport.objects.filter(
        post=post, comment=comment, reporter=by, status=AbuseReport.Status.OPEN
    ).first()
    if existing is not None:
        return existing
    report = AbuseReport.objects.create(post=post, comment=comment, reporter=by, reason=reason[:500])
    log_action(actor=by, action="report.file", obj=report, after={"reason": report.reason})
    return report


def _move(obj: Post | Comment, transition: str, by: Any, reason: str) -> None:
    """Hide or restore through the object's state machine; a comment's post counts it again
    (or no more) once committed."""
    require(by, "community.moderate", obj)
    type(obj).workflow.fire(obj, transition, by=by, note=(reason or "")[:500])
    if isinstance(obj, Comment):
        delta = 1 if obj.status == ContentStatus.PUBLISHED else -1
        transaction.on_commit(lambda: counters.bump("post_comments", obj.post_id, delta))


@transaction.atomic
def content_hide(*, obj: Post | Comment, by: Any, reason: str) -> None:
    require(by, "community.moderate", obj)
    if not (reason or "").strip():
        raise ValidationError(_("Give a reason for hiding it"))
    _move(obj, "hide", by, reason)


@transaction.atomic
def content_restore(*, obj: Post | Comment, by: Any, reason: str = "") -> None:
    _move(obj, "restore", by, reason)


@transaction.atomic
def report_decide(*, report: AbuseReport, uphold: bool, by: Any, note: str = "") -> AbuseReport:
    """Uphold (hide the reported post or comment, if it is not hidden already) or dismiss a report."""
    require(by, "community.moderate", report)
    note = (note or "")[:500]
    AbuseReport.workflow.fire(
        report, "uphold" if uphold else "dismiss", by=by, note=note, changes={"decided_by": by, "decision_note": note}
    )
    target = report.comment or report.post
    if uphold and target.status == ContentStatus.PUBLISHED:
        _move(target, "hide", by, note or report.reason)
    return report

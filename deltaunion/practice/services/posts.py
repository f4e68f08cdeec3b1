"""Posts, likes, comments, abuse reports and moderation."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deltaunion.contests.models import Contest
from deltaunion.core.audit import log_action, snapshot
from deltaunion.orgs.models import Organisation
from deltaunion.orgs.scoping import require_manager, scope_for
from deltaunion.practice import counters
from deltaunion.practice.models import AbuseReport, Comment, Post, PostLike
from deltaunion.practice.services._common import fetchone, worker_of


def _own_union(user: Any) -> Organisation | None:
    worker = worker_of(user)
    return worker.organisation if worker else None


@transaction.atomic
def post_create(
    *,
    by: Any,
    kind: str,
    title: str,
    body: str,
    organisation: Organisation | None = None,
    contest: Contest | None = None,
    is_demo: bool = False,
) -> Post:
    """Workers post in their own union; officers in any union they manage. News is for officers."""
    organisation = organisation or _own_union(by)
    scope = scope_for(by)
    if organisation is None:
        raise ValidationError(_("Your account is not linked to a union, so you cannot post yet"))
    if not (scope.manages(organisation) or organisation == _own_union(by)):
        raise PermissionDenied(_("You may post only in your own union"))
    if kind not in Post.Kind.values:
        raise ValidationError(_("Choose a kind of post"))
    if kind == Post.Kind.NEWS and not scope.manages(organisation):
        raise PermissionDenied(_("Only union officers post news"))
    title, body = (title or "").strip(), (body or "").strip()
    if not title or not body:
        raise ValidationError(_("A post needs a title and some text"))
    if len(title) > 200 or len(body) > 20000:
        raise ValidationError(_("The title is at most 200 characters and the text at most 20,000"))
    post = Post.objects.create(
        author=by, organisation=organisation, contest=contest, kind=kind, title=title, body=body, is_demo=is_demo
    )
    log_action(actor=by, action="post.create", obj=post, after={"kind": kind, "title": title})
    return post


def post_like(*, post: Post, by: Any) -> bool:
    """Like a post once; returns True if this call added the like. A second like is a no-op."""
    if post.status != Post.Status.PUBLISHED:
        raise ValidationError(_("This post is hidden"))
    # One statement, atomic by itself; the counter is bumped once it is committed.
    row = fetchone(
        f"INSERT INTO {PostLike._meta.db_table} (post_id, user_id, created_at) VALUES (%s, %s, %s) "
        "ON CONFLICT (post_id, user_id) DO NOTHING RETURNING id",
        [post.pk, by.pk, connection.ops.adapt_datetimefield_value(timezone.now())],
    )
    if row is not None:
        transaction.on_commit(lambda: counters.bump("post_likes", post.pk, 1))
    return row is not None


def post_unlike(*, post: Post, by: Any) -> bool:
    with transaction.atomic():
        deleted, _rows = PostLike.objects.filter(post=post, user=by).delete()
        if deleted:
            transaction.on_commit(lambda: counters.bump("post_likes", post.pk, -1))
    return bool(deleted)


@transaction.atomic
def comment_add(*, post: Post, by: Any, body: str) -> Comment:
    if post.status != Post.Status.PUBLISHED:
        raise ValidationError(_("This post is hidden"))
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("The comment is empty"))
    if len(body) > 2000:
        raise ValidationError(_("A comment is at most 2,000 characters"))
    comment = Comment.objects.create(post=post, author=by, body=body)
    transaction.on_commit(lambda: counters.bump("post_comments", post.pk, 1))
    return comment


@transaction.atomic
def report_file(*, post: Post, by: Any, reason: str, comment: Comment | None = None) -> AbuseReport:
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


def _set_status(obj: Post | Comment, status: str, by: Any, reason: str) -> None:
    org = obj.organisation if isinstance(obj, Post) else obj.post.organisation
    require_manager(by, org)
    if obj.status == status:
        return
    before = snapshot(obj, ["status"])
    obj.status = status
    obj.save(update_fields=["status", "updated_at"])
    if isinstance(obj, Comment):
        delta = 1 if status == Post.Status.PUBLISHED else -1
        transaction.on_commit(lambda: counters.bump("post_comments", obj.post_id, delta))
    action = "moderate.restore" if status == Post.Status.PUBLISHED else "moderate.hide"
    log_action(actor=by, action=action, obj=obj, before=before, after={"status": status}, note=reason[:500])


@transaction.atomic
def content_hide(*, obj: Post | Comment, by: Any, reason: str) -> None:
    if not (reason or "").strip():
        raise ValidationError(_("Give a reason for hiding it"))
    _set_status(obj, Post.Status.HIDDEN, by, reason)


@transaction.atomic
def content_restore(*, obj: Post | Comment, by: Any, reason: str = "") -> None:
    _set_status(obj, Post.Status.PUBLISHED, by, reason)


@transaction.atomic
def report_decide(*, report: AbuseReport, uphold: bool, by: Any, note: str = "") -> AbuseReport:
    """Uphold (hide the reported post or comment) or dismiss a report."""
    require_manager(by, report.post.organisation)
    report = AbuseReport.objects.select_for_update().get(pk=report.pk)
    if report.status != AbuseReport.Status.OPEN:
        raise ValidationError(_("This report has already been decided"))
    if uphold:
        target = report.comment or report.post
        _set_status(target, Post.Status.HIDDEN, by, note or report.reason)
    report.status = AbuseReport.Status.UPHELD if uphold else AbuseReport.Status.DISMISSED
    report.decided_by = by
    report.decision_note = (note or "")[:500]
    report.save(update_fields=["status", "decided_by", "decision_note", "updated_at"])
    log_action(actor=by, action="report.decide", obj=report, after={"status": report.status, "note": note})
    return report

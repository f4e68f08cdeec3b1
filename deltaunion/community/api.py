"""The community JSON API: posts (about a registered subject, e.g. `?subject=contest:12`), likes,
comments and reports. What the caller may not see is a 404; what they may not do, a 403."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpResponse
from ninja import Router, Schema, Status
from pydantic import BaseModel

from deltaunion.community import selectors, services, subjects
from deltaunion.core.api import Code, Limit, Offset, hot
from deltaunion.core.api_auth import logged_in
from deltaunion.core.hotwsgi import hot_call
from deltaunion.core.renderers import json_response

router = Router(tags=["community"])


class PostIn(Schema):
    kind: str
    title: str
    body: str
    subject: str = ""  # "<key>:<id>", e.g. "contest:12": what the post is about


class PostOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    author: str
    organisation: str
    subject: str
    created_at: dt.datetime
    likes: int
    comments: int


class LikeOut(BaseModel):
    liked: bool
    changed: bool


class CommentIn(Schema):
    body: str


class ReportIn(Schema):
    reason: str
    comment: int | None = None


def _posts_out(posts, viewer) -> list[dict[str, Any]]:
    counts = selectors.live_counts(posts)
    return [
        {
            "id": p.pk,
            "kind": p.kind,
            "title": p.title,
            "body": p.body,
            "author": selectors.author_name(p, viewer),
            "organisation": p.organisation.name,
            "subject": subjects.key_for(p.subject_type_id, p.subject_id),
            "created_at": p.created_at,
            "likes": counts.get(p.pk, (0, 0))[0],
            "comments": counts.get(p.pk, (0, 0))[1],
        }
        for p in posts
    ]


@router.get("/posts", response=list[PostOut], auth=logged_in)
def posts_list(request, kind: Code = "", subject: Code = "", limit: Limit = 20, offset: Offset = 0):
    """Posts (news, skill tips, results)."""
    about = subjects.resolve(subject, request.user) if subject else None
    qs = selectors.posts_for(request.user, kind=kind, subject=about)
    limit = max(1, min(limit, 100))
    return _posts_out(list(qs[max(0, offset) : max(0, offset) + limit]), request.user)


@router.post("/posts", response={201: PostOut}, auth=logged_in)
def posts_create(request, payload: PostIn):
    """Write a post (403 where you may not)."""
    about = subjects.resolve(payload.subject, request.user) if payload.subject else None
    post = services.post_create(
        by=request.user, kind=payload.kind, title=payload.title, body=payload.body, subject=about
    )
    return Status(201, _posts_out([post], request.user)[0])


@router.get("/posts/{post_id}", response=PostOut, auth=logged_in)
def posts_detail(request, post_id: int):
    """One post."""
    return _posts_out([selectors.post_for_user_or_404(request.user, post_id)], request.user)[0]


# Built once: the hot endpoint skips the per-request validation and rendering of the response.
_LIKED = {changed: json_response({"liked": True, "changed": changed}).content for changed in (True, False)}


@router.post("/posts/{post_id}/like", response=LikeOut, auth=logged_in)
def posts_like(request, post_id: int):
    """Like a post (once)."""
    return HttpResponse(_LIKED[like_data(request.user, post_id)["changed"]], content_type="application/json")


def like_data(user: Any, post_id: int) -> dict[str, bool]:
    """The like's JSON (LikeOut), for the view and for core.hotwsgi."""
    # One statement when the post is published and not yet liked by the caller; otherwise the
    # post is read for the caller (404 if they may not see it) and liked as before.
    changed = services.post_like_if_published(post_id=post_id, by=user)
    if not changed:
        post = selectors.post_to_like_or_404(user, post_id)
        changed = services.post_like(post=post, by=user)
    return {"liked": True, "changed": changed}


hot(router, "/posts/{post_id}/like", method="POST", args=lambda request, post_id: {"post_id": post_id})
# the like reads no body: whatever it carries (no NUL) is ignored, as ninja ignores it
hot_call(
    router, "/posts/{post_id}/like", method="POST", accept=lambda body, post_id: {"post_id": post_id}, run=like_data
)


@router.delete("/posts/{post_id}/like", response=LikeOut, auth=logged_in)
def posts_unlike(request, post_id: int):
    """Take a like back."""
    post = selectors.post_for_user_or_404(request.user, post_id)
    return {"liked": False, "changed": services.post_unlike(post=post, by=request.user)}


@router.post("/posts/{post_id}/comments", response={201: dict}, auth=logged_in)
def posts_comment(request, post_id: int, payload: CommentIn):
    """Comment on a post."""
    post = selectors.post_for_user_or_404(request.user, post_id)
    comment = services.comment_add(post=post, by=request.user, body=payload.body)
    return Status(201, {"id": comment.pk})


@router.post("/posts/{post_id}/reports", response={201: dict}, auth=logged_in)
def posts_report(request, post_id: int, payload: ReportIn):
    """Report abuse."""
    post = selectors.post_for_user_or_404(request.user, post_id)
    comment = selectors.published_comment_or_404(post, payload.comment)
    report = services.report_file(post=post, by=request.user, reason=payload.reason, comment=comment)
    return Status(201, {"id": report.pk})

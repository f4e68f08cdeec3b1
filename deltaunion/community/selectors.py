"""Reads of the community, scoped to the user. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from deltaunion.community import subjects
from deltaunion.community.models import AbuseReport, Comment, ContentStatus, Post, PostLike
from deltaunion.community.permissions import own_union_id
from deltaunion.core import counters
from deltaunion.core.permissions import can
from deltaunion.core.privacy import person_name
from deltaunion.orgs.models import Organisation
from deltaunion.orgs.scoping import get_for_user_or_404, managed, scope_for, scoped


def own_union(user: Any) -> Organisation | None:
    pk = own_union_id(user)
    return Organisation.objects.filter(pk=pk).first() if pk else None


def post_kind_labels() -> dict[str, str]:
    """The kinds of posts as the seeds count them (新闻动态, 技能提升, 竞赛成果)."""
    return {
        Post.Kind.NEWS: _("News updates"),
        Post.Kind.SKILL: _("Skill tips"),
        Post.Kind.RESULT: _("Achievements"),
    }


# --- posts a user reads -------------------------------------------------------------------------


def posts_for(
    user: Any, *, kind: str = "", subject: Any = None, q: str = "", published_only: bool = False
) -> QuerySet[Post]:
    """Published posts, and (unless `published_only`) the hidden ones of the unions the user
    moderates (moderators only: not their authors), newest first."""
    qs = scoped(Post.objects.select_related("author", "organisation"), user)
    if published_only:
        qs = qs.filter(status=ContentStatus.PUBLISHED)
    else:
        qs = qs.filter(Q(status=ContentStatus.PUBLISHED) | scope_for(user).org_q("organisation"))
    if kind:
        qs = qs.filter(kind=kind)
    if subject is not None:
        qs = qs.filter(subjects.q_about([subject]))
    if q:
        qs = qs.filter(title__icontains=q)
    return qs


def post_for_user_or_404(user: Any, post_id: int) -> Post:
    """A post the user may read: published, or hidden in a union the user moderates."""
    post = get_for_user_or_404(Post.objects.select_related("author", "organisation"), user, pk=post_id)
    if post.status != ContentStatus.PUBLISHED and not can(user, "community.moderate", post):
        raise Http404("not found")
    return post


# In the model's field order (Model.from_db places values in that order).
_POST_TO_LIKE_FIELDS = [
    f.attname for f in Post._meta.concrete_fields if f.attname in ("id", "status", "organisation_id", "author_id")
]
_POST_TO_LIKE_SQL = (
    "SELECT "
    + ", ".join(f'"{Post._meta.get_field(f).column}"' for f in _POST_TO_LIKE_FIELDS)
    + ' FROM "{table}" WHERE "id" = %s'
)


def post_to_like_or_404(user: Any, post_id: int) -> Post:
    """A post the user may like: a published post is public, so one small query; anything
    else goes through the full check (and a hidden post cannot be liked anyway)."""
    # Plain SQL written once (this runs for every like; the ORM would compile it each time);
    # the four columns are an integer, text and two integers on every database.
    with connection.cursor() as cursor:
        cursor.execute(_POST_TO_LIKE_SQL.format(table=Post._meta.db_table), [int(post_id)])
        row = cursor.fetchone()
    if row is None:
        raise Http404("not found")
    post = Post.from_db(connection.alias, _POST_TO_LIKE_FIELDS, row)
    if post.status != ContentStatus.PUBLISHED:
        return post_for_user_or_404(user, post_id)
    return post


def published_comments(post: Post) -> list[Comment]:
    return list(post.comments.filter(status=ContentStatus.PUBLISHED).select_related("author"))


def published_comment_or_404(post: Post, comment_id: int | None) -> Comment | None:
    if not comment_id:
        return None
    comment = post.comments.filter(pk=comment_id, status=ContentStatus.PUBLISHED).first()
    if comment is None:
        raise Http404("not found")
    return comment


def liked(post: Post, user: Any) -> bool:
    return PostLike.objects.filter(post=post, user=user).exists()


def live_counts(posts: list[Post]) -> dict[int, tuple[int, int]]:
    """(likes, comments) per post: the folded column plus increments not yet folded."""
    counters.maybe_fold()
    ids = [p.pk for p in posts]
    likes, comments = counters.live("post_likes", ids), counters.live("post_comments", ids)
    return {pk: (likes.get(pk, 0), comments.get(pk, 0)) for pk in ids}


def author_name(obj: Post | Comment, viewer: Any) -> str:
    """The author of a post or comment, as the viewer may read it (`community.see_author_name`)."""
    return person_name(obj.author, full=can(viewer, "community.see_author_name", obj))


def reporter_name(report: AbuseReport, viewer: Any) -> str:
    """The reporter, as the viewer may read it (`community.see_reporter_name`)."""
    return person_name(report.reporter, full=can(viewer, "community.see_reporter_name", report))


def subject_label(post: Post) -> str:
    """What the post is about, as its readers see it ("" for nothing in particular)."""
    subject = post.subject if post.subject_type_id else None
    return str(subject) if subject is not None else ""


# --- moderation --------------------------------------------------------------------------------


def reports_moderated(user: Any, *, status: str = "") -> QuerySet[AbuseReport]:
    qs = managed(AbuseReport.objects.select_related("post__organisation", "comment", "reporter", "decided_by"), user)
    if status in AbuseReport.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def open_reports(user: Any) -> QuerySet[AbuseReport]:
    return managed(AbuseReport.objects.filter(status=AbuseReport.Status.OPEN), user)


def hidden_count(user: Any) -> int:
    hidden = ContentStatus.HIDDEN
    return (
        managed(Post.objects.filter(status=hidden), user).count()
        + managed(Comment.objects.filter(status=hidden), user).count()
    )


def content_moderated(user: Any, *, what: str, status: str, q: str = "", kind: str = "") -> QuerySet:
    """The posts (or comments) of the unions the user moderates, in one status."""
    if what == "posts":
        qs = managed(Post.objects.filter(status=status).select_related("author", "organisation"), user)
        if kind in Post.Kind.values:
            qs = qs.filter(kind=kind)
        if q:
            qs = qs.filter(Q(title__icontains=q) | Q(body__icontains=q))
    else:
        qs = managed(Comment.objects.filter(status=status).select_related("author", "post__organisation"), user)
        if q:
            qs = qs.filter(body__icontains=q)
    return qs.order_by("-created_at", "-id")


def moderated_or_404(user: Any, model: type[Post | Comment | AbuseReport], pk: int) -> Any:
    """A post, comment or report of a union the user moderates (404 for anything else)."""
    related = {Post: ["organisation"], Comment: ["post__organisation"], AbuseReport: ["post__organisation", "comment"]}
    return get_for_user_or_404(managed(model.objects.select_related(*related[model]), user), user, pk=pk)


# --- figures for statistics --------------------------------------------------------------------


@dataclass
class PostFigures:
    posts: int = 0
    likes: int = 0
    comments: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


def post_figures(*, about: list[Any] | None = None, org_path: str | None = None) -> PostFigures:
    """Published posts (about any of `about`, or of the unions under `org_path`), their likes
    and published comments, and the posts by kind: one aggregate query each."""
    qs = Post.objects.filter(status=ContentStatus.PUBLISHED)
    if about is not None:
        qs = qs.filter(subjects.q_about(about))
    if org_path is not None:
        qs = qs.filter(organisation__path__startswith=org_path)
    kinds = dict(qs.order_by().values("kind").annotate(n=Count("id")).values_list("kind", "n"))
    return PostFigures(
        posts=sum(kinds.values()),
        likes=PostLike.objects.filter(post__in=qs.values("pk")).count(),
        comments=Comment.objects.filter(post__in=qs.values("pk"), status=ContentStatus.PUBLISHED).count(),
        by_kind=kinds,
    )


# --- the counters' truth ------------------------------------------------------------------------


def like_totals(post_ids: list[int] | None) -> dict[int, int]:
    qs = PostLike.objects.all() if post_ids is None else PostLike.objects.filter(post_id__in=post_ids)
    return dict(qs.values("post").annotate(n=Count("id")).values_list("post", "n"))


def comment_totals(post_ids: list[int] | None) -> dict[int, int]:
    qs = Comment.objects.filter(status=ContentStatus.PUBLISHED)
    if post_ids is not None:
        qs = qs.filter(post_id__in=post_ids)
    return dict(qs.values("post").annotate(n=Count("id")).values_list("post", "n"))


def post_organisations(user: Any) -> list[Organisation]:
    """Where a user may choose to post: their own union and the unions they hold a role in,
    those `community.post_in` allows."""
    from deltaunion.orgs.models import OrgRole

    ids = set(OrgRole.objects.filter(user=user).values_list("organisation_id", flat=True))
    own = own_union_id(user)
    if own:
        ids.add(own)
    return [o for o in Organisation.objects.filter(pk__in=ids).order_by("path") if can(user, "community.post_in", o)]

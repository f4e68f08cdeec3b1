"""The community pages: the feed, writing a post, a post with its comments, likes and reports.

Thin views: parse the request, call a service or a selector, render. A post is fetched for the
reader (404 for a missing one and for a hidden one outside the unions the reader moderates).
Authors' names are masked for all but the author and moderators (`community.see_author_name`). htmx
requests get partials; the same URLs work without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deltaunion.community import selectors, services
from deltaunion.community.forms import CommentForm, PostForm, ReportForm
from deltaunion.community.models import Post
from deltaunion.core.permissions import can
from deltaunion.core.views import paginate

REFUSED = (ValidationError, PermissionDenied)


def refusal_text(exc: Exception) -> str:
    """What a refused service call says to the reader."""
    return "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


@login_required
def post_list(request):
    user = request.user
    kind = request.GET.get("kind", "")
    kind = kind if kind in Post.Kind.values else ""
    q = request.GET.get("q", "").strip()[:100]
    page = paginate(request, selectors.posts_for(user, kind=kind, q=q, published_only=True))
    counts = selectors.live_counts(list(page))
    return render(
        request,
        "community/posts.html",
        {
            "page": page,
            "rows": [(p, selectors.author_name(p, user), *counts.get(p.pk, (0, 0))) for p in page],
            "kind": kind,
            "q": q,
            "kinds": Post.Kind.choices,
        },
    )


@login_required
def post_new(request):
    user = request.user
    organisations = selectors.post_organisations(user)
    news = any(can(user, "community.post_news", o) for o in organisations)
    form = PostForm(request.POST or None, news=news, organisations=organisations if news else ())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        org = next((o for o in organisations if o.pk == data.get("organisation")), None)
        try:
            post = services.post_create(
                by=user, kind=data["kind"], title=data["title"], body=data["body"], organisation=org
            )
        except REFUSED as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(request, _("Your post is published"))
            return redirect("community:post", post.pk)
    return render(request, "community/post_form.html", {"form": form})


def _like_context(post: Post, user) -> dict[str, Any]:
    likes, comments = selectors.live_counts([post]).get(post.pk, (0, 0))
    return {"post": post, "likes": likes, "comment_count": comments, "liked": selectors.liked(post, user)}


@login_required
def post_detail(request, post_id: int):
    user = request.user
    post = selectors.post_for_user_or_404(user, post_id)
    return render(
        request,
        "community/post.html",
        {
            **_like_context(post, user),
            "author": selectors.author_name(post, user),
            "about": selectors.subject_label(post),
            "comments": [(c, selectors.author_name(c, user)) for c in selectors.published_comments(post)],
            "comment_form": CommentForm(),
        },
    )


@login_required
@require_POST
def post_like(request, post_id: int):
    post = selectors.post_for_user_or_404(request.user, post_id)
    try:
        if request.POST.get("action") == "unlike":
            services.post_unlike(post=post, by=request.user)
        else:
            services.post_like(post=post, by=request.user)
    except REFUSED as exc:
        messages.error(request, refusal_text(exc))
    if request.headers.get("HX-Request") == "true":
        return render(request, "community/_like.html", _like_context(post, request.user))
    return redirect("community:post", post.pk)


@login_required
@require_POST
def post_comment(request, post_id: int):
    post = selectors.post_for_user_or_404(request.user, post_id)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a comment of at most 2,000 characters"))
    else:
        try:
            services.comment_add(post=post, by=request.user, body=form.cleaned_data["body"])
            messages.success(request, _("Your comment is posted"))
        except REFUSED as exc:
            messages.error(request, refusal_text(exc))
    return redirect(reverse("community:post", args=[post.pk]) + "#comments")


@login_required
@require_POST
def post_report(request, post_id: int):
    post = selectors.post_for_user_or_404(request.user, post_id)
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what is wrong with it"))
        return redirect("community:post", post.pk)
    comment = selectors.published_comment_or_404(post, form.cleaned_data.get("comment"))
    try:
        services.report_file(post=post, by=request.user, reason=form.cleaned_data["reason"], comment=comment)
        messages.success(request, _("Thank you: the union's moderators will look at your report"))
    except REFUSED as exc:
        messages.error(request, refusal_text(exc))
    return redirect("community:post", post.pk)

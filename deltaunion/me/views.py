"""The worker's own space (我的): thin pages over the apps' selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deltaunion.campaigns import selectors as campaigns
from deltaunion.contests import selectors as contests
from deltaunion.core import pagecache, viewer
from deltaunion.core.views import paginate
from deltaunion.me import selectors, services
from deltaunion.practice import selectors as practice


@login_required
def home(request):
    def context() -> pagecache.Context:
        viewer.prime(request.user)  # the viewer's scope and unread count, cached per user
        ctx = {
            "sections": selectors.sections(request.user),
            "worker": contests.worker_of(request.user),
            "latest": selectors.latest_unread(request.user),
        }
        # The campaigns' count is of those running today.
        return ctx, pagecache.next_midnight()

    # Per viewer: each section's count (`me:<user>`, bumped by the rows each app counts, and
    # `me-shared`, by the rows those counts share), the worker record (`roles`) and the newest
    # unread messages (`inbox:<user>`); core.viewer.connect.
    return pagecache.page(
        request,
        "me",
        template="me/home.html",
        context=context,
        versions=[f"me:{request.user.pk}", "me-shared"],
        cache=not request.GET,
    )


@login_required
def messages_view(request):
    page = paginate(request, selectors.messages(request.user))
    return render(request, "me/messages.html", {"page": page, "unread": selectors.unread_count(request.user)})


@login_required
def message_open(request, message_id: int):
    """Open one message: it is marked read, then its link (on this site) is followed."""
    note = selectors.message_for_user_or_404(request.user, message_id)
    services.messages_mark_read(by=request.user, ids=[note.pk])
    if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}):
        return redirect(note.url)
    return redirect("me:messages")


@login_required
@require_POST
def messages_read(request):
    n = services.messages_mark_read(by=request.user)
    messages.success(request, _("%(n)d messages marked read") % {"n": n})
    return redirect("me:messages")


@login_required
def contests_view(request):
    return render(request, "me/contests.html", {"entries": contests.my_entries(request.user)})


@login_required
def practice_view(request):
    return render(
        request,
        "me/practice.html",
        {"quizzes": practice.my_quizzes(request.user), "wrong": practice.my_wrong_answers_count(request.user)},
    )


@login_required
def campaigns_view(request):
    return render(request, "me/campaigns.html", {"campaigns": campaigns.my_campaigns(request.user)})


@login_required
def certificates_view(request):
    return render(request, "me/certificates.html", {"certificates": selectors.my_certificates(request.user)})

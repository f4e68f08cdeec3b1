"""The moderators' pages (under /community/moderation/): abuse reports, the posts and comments
of the unions a moderator moderates, and hidden content.

Every page needs a moderator (`community.moderate`: someone who moderates some union); anyone
else gets the same 404 as a missing page. A report, post or comment of another union is a 404
here. Reporters' names are masked (`community.see_reporter_name`), moderators included.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deltaunion.community import selectors, services
from deltaunion.community.forms import REPORT_STATUS_CHOICES, ReasonForm
from deltaunion.community.models import AbuseReport, Comment, ContentStatus, Post
from deltaunion.community.views import REFUSED, refusal_text
from deltaunion.core.excel import xlsx_response
from deltaunion.core.permissions import can
from deltaunion.core.views import paginate

STATUS_LABELS = dict(REPORT_STATUS_CHOICES)


def _moderator(request: HttpRequest) -> None:
    if not can(request.user, "community.moderate"):
        raise Http404("not found")


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _reports(request: HttpRequest):
    status = request.GET.get("status", AbuseReport.Status.OPEN)
    return selectors.reports_moderated(request.user, status=status), {"status": status}


@login_required
def reports(request):
    _moderator(request)
    qs, filters = _reports(request)
    page = paginate(request, qs)
    for r in page:
        r.status_label = STATUS_LABELS.get(r.status, r.status)
    return render(
        request,
        "community/moderation/reports.html",
        {
            "page": page,
            "rows": [(r, selectors.reporter_name(r, request.user)) for r in page],
            "kind_labels": selectors.post_kind_labels(),
            "filters": filters,
            "statuses": REPORT_STATUS_CHOICES,
            "tab": "reports",
            "n_open": selectors.open_reports(request.user).count(),
        },
    )


@login_required
def reports_export(request):
    _moderator(request)
    qs, _filters = _reports(request)
    what = [_("Union"), _("Post"), _("Comment")]
    headers = [_("Reported at"), *what, _("Reporter"), _("Reason"), _("Status"), _("Note")]
    rows = (
        (
            r.created_at,
            r.post.organisation.name,
            r.post.title,
            r.comment.body if r.comment_id else "",
            selectors.reporter_name(r, request.user),
            r.reason,
            STATUS_LABELS.get(r.status, r.status),
            r.decision_note,
        )
        for r in qs.iterator(chunk_size=500)
    )
    return xlsx_response("abuse-reports.xlsx", headers, rows, title=_("Abuse reports"))


@login_required
@require_POST
def report_decide(request, report_id: int):
    _moderator(request)
    report = selectors.moderated_or_404(request.user, AbuseReport, report_id)
    uphold = request.POST.get("decision") == "uphold"
    try:
        services.report_decide(report=report, uphold=uphold, by=request.user, note=request.POST.get("note", ""))
    except REFUSED as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("Report upheld: the content is hidden.") if uphold else _("Report dismissed."))
    return redirect(_next(request, reverse("community:reports")))


def _content_view(request, status: str, tab: str):
    _moderator(request)
    what = "comments" if request.GET.get("what") == "comments" else "posts"
    filters = {"what": what, "q": (request.GET.get("q") or "").strip(), "kind": request.GET.get("kind") or ""}
    page = paginate(request, selectors.content_moderated(request.user, status=status, **filters))
    labels = selectors.post_kind_labels()
    for obj in page:
        obj.kind_label = labels.get(getattr(obj, "kind", ""), "")
        obj.author_name = selectors.author_name(obj, request.user)
    return render(
        request,
        "community/moderation/content.html",
        {
            "page": page,
            "filters": filters,
            "kinds": list(selectors.post_kind_labels().items()),
            "tab": tab,
            "hidden": status == ContentStatus.HIDDEN,
            "n_open": selectors.open_reports(request.user).count(),
        },
    )


@login_required
def content(request):
    """Published posts and comments of the moderator's unions, each with a "hide" form."""
    return _content_view(request, ContentStatus.PUBLISHED, "content")


@login_required
def hidden(request):
    """Hidden posts and comments, each with a "restore" form."""
    return _content_view(request, ContentStatus.HIDDEN, "hidden")


def _target(request: HttpRequest) -> Post | Comment:
    what, pk = request.POST.get("what"), str(request.POST.get("id") or "")
    if what not in ("post", "comment") or not pk.isdigit():
        raise Http404("not found")
    return selectors.moderated_or_404(request.user, Post if what == "post" else Comment, int(pk))


@login_required
@require_POST
def content_hide(request):
    _moderator(request)
    obj = _target(request)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.content_hide(obj=obj, by=request.user, reason=reason)
    except REFUSED as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("Hidden. It is listed under “Hidden content”, where it can be restored."))
    return redirect(_next(request, reverse("community:content")))


@login_required
@require_POST
def content_restore(request):
    _moderator(request)
    obj = _target(request)
    try:
        services.content_restore(obj=obj, by=request.user, reason=request.POST.get("reason", ""))
    except REFUSED as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("Restored: it is visible again."))
    return redirect(_next(request, reverse("community:hidden")))

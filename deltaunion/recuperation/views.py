"""Recuperation pages for everyone: browse itineraries (phone first), an itinerary with its
batches, a batch with the committed draw seed and the reasons a worker may not apply, the
published draw with its re-run, bases and their recognition matrix, and the worker's trips.

Thin views: objects are fetched for the user (404 for missing and not-yours), an action the
user may not take is a 403 with the permission's message, and a service's ValidationError
becomes a message and changes nothing. The officers' pages are in `views_officer`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deltaunion.core.audit import history
from deltaunion.core.permissions import can, require
from deltaunion.core.uploads import serve
from deltaunion.core.views import paginate
from deltaunion.recuperation import rules, selectors, services
from deltaunion.recuperation.forms import DecideForm, RateForm, ReasonForm
from deltaunion.recuperation.models import GROUP_ORDER, Application, Base, Batch, BatchStatus, Theme
from deltaunion.recuperation.permissions import worker_of

A = Application.Status
PAGE = 24


def attempt(request: HttpRequest, action: Callable[[], Any], done: str) -> tuple[bool, Any]:
    """Run a service: a ValidationError becomes an error message and (False, None)."""
    try:
        with transaction.atomic():
            result = action()
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return False, None
    messages.success(request, done)
    return True, result


def group_names(codes: list[str]) -> list[str]:
    return [rules.group_label(c) for c in codes]


def reserve_rows(batch: Batch) -> list[tuple[str, int]]:
    return [(rules.group_label(g), batch.reserves[g]) for g in GROUP_ORDER if (batch.reserves or {}).get(g)]


# --- browse ---------------------------------------------------------------------------------------------------


def browse(request: HttpRequest) -> HttpResponse:
    filters, dropped = selectors.itinerary_filters(request.GET)
    if dropped:
        messages.warning(request, _("Some filters were not recognised and are ignored"))
    page = paginate(request, selectors.published_itineraries(filters), PAGE)
    names = dict(Theme.choices)
    return render(
        request,
        "recuperation/browse.html",
        {
            "filters": filters,
            "page": page,
            "provinces": selectors.provinces(),
            "themes": Theme.choices,
            "rows": [(it, [names[t] for t in it.themes or [] if t in names]) for it in page],
            "months": selectors.month_choices(),
            "lengths": [("3", _("3 days")), ("4", _("4 days")), ("5", _("5 days")), ("6", _("6 days or more"))],
            "prices": [(p, _("up to %(n)s yuan") % {"n": p}) for p in selectors.PRICE_STEPS],
            "query": urlencode(filters.query()),
        },
    )


def itinerary_detail(request: HttpRequest, itinerary_id: int) -> HttpResponse:
    user = request.user
    itinerary = selectors.itinerary_for_user_or_404(user, itinerary_id)
    may_manage = can(user, "recuperation.manage_itinerary", itinerary)
    rating, ratings = selectors.itinerary_rating(itinerary)
    from deltaunion.recuperation.forms import StatusForm

    return render(
        request,
        "recuperation/itinerary.html",
        {
            "itinerary": itinerary,
            "stays": selectors.itinerary_stays(itinerary),
            "programme": list(enumerate(itinerary.programme or [], start=1)),
            "theme_names": [dict(Theme.choices)[t] for t in itinerary.themes or [] if t in Theme.values],
            "batches": selectors.itinerary_batches(itinerary, user),
            "reviews": selectors.itinerary_reviews(itinerary, user) if itinerary.is_published else [],
            "rating": rating,
            "ratings": ratings,
            "may_manage": may_manage,
            "may_add_batch": can(user, "recuperation.add_batch", itinerary),
            "transitions": itinerary.__class__.workflow.choices(itinerary, user) if may_manage else [],
            "status_form": StatusForm() if may_manage else None,
            "entries": history(itinerary) if may_manage else [],
        },
    )


# --- a batch ------------------------------------------------------------------------------------------------------


def batch_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    user = request.user
    batch = selectors.batch_for_user_or_404(user, batch_id)
    may_manage = can(user, "recuperation.manage_batch", batch)
    worker = worker_of(user)
    mine = Application.objects.filter(batch=batch, worker=worker).first() if worker is not None else None
    problems = rules.apply_problems(worker, batch) if worker is not None and mine is None else []
    status = request.GET.get("status", "")
    q = (request.GET.get("q") or "").strip()[:50]
    applications = selectors.batch_applications(user, batch, status=status, q=q) if user.is_authenticated else None
    page = paginate(request, applications, 50) if applications is not None else None
    return render(
        request,
        "recuperation/batch.html",
        {
            "batch": batch,
            "itinerary": batch.itinerary,
            "senders": list(batch.senders.all()),
            "reserves": reserve_rows(batch),
            "counts": selectors.batch_counts(batch),
            "revealed": selectors.seed_revealed(batch),
            "worker": worker,
            "mine": mine,
            "problems": problems,
            "may_apply": worker is not None and mine is None and not problems,
            "groups": selectors.worker_groups(user) if worker is not None and mine is None else [],
            "may_manage": may_manage,
            "steps": _batch_steps(batch, user) if may_manage else [],
            "page": page,
            "rows": [(a, group_names(a.groups)) for a in page] if page is not None else [],
            "status": status if status in A.values else "",
            "statuses": A.choices,
            "q": q,
            "decide_form": DecideForm(),
            "entries": history(batch) if may_manage else [],
        },
    )


def _batch_steps(batch: Batch, user: Any) -> list[tuple[str, str, str]]:
    """(step, label, style) of the buttons an organiser sees now."""
    names = {t.name for t in Batch.workflow.available(batch, user)}
    steps = []
    if "open" in names:
        steps.append(("open", _("Open for applications"), "danger"))
    if "close" in names:
        steps.append(("close", _("Close applications"), "danger"))
    if "draw" in names:
        steps.append(("draw", _("Draw the places"), "danger"))
    if batch.status == BatchStatus.DRAWN:
        steps.append(("expire", _("Release unconfirmed places"), "outline-secondary"))
        steps.append(("fill", _("Offer free places to the waiting list"), "outline-secondary"))
    if "complete" in names:
        steps.append(("complete", _("Record as travelled"), "outline-danger"))
    return steps


@login_required
@require_POST
def batch_apply(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_for_user_or_404(request.user, batch_id)
    require(request.user, "recuperation.apply", batch)
    ok, app = attempt(
        request,
        lambda: services.application_submit(batch=batch, by=request.user),
        _("Your application is sent: your union will approve it, and you will get a message"),
    )
    if ok:
        return redirect("recuperation:application", app.pk)
    return redirect("recuperation:batch", batch.pk)


def draw_page(request: HttpRequest, batch_id: int) -> HttpResponse:
    """The published draw: the rules, the committed fingerprint, the list (masked), and once
    drawn the seed and the draw re-run here from them, compared with the stored outcome."""
    batch = selectors.batch_for_user_or_404(request.user, batch_id)
    record = selectors.draw_record(batch)
    entries = record["applications"]
    page = paginate(request, entries, 100)
    verification = selectors.verify_draw(batch)
    outcome = record["outcome"]
    offered_for = {o["ref"]: o["for"] for o in outcome["offered"]} if outcome else {}
    rank = {o["ref"]: i for i, o in enumerate(outcome["offered"], start=1)} if outcome else {}
    waiting = {r: i for i, r in enumerate(outcome["waiting"], start=1)} if outcome else {}
    keys = verification.outcome.keys if verification.outcome else {}
    province_names = {p.code: p.name for p in selectors.provinces()}
    rows = [
        {
            **e,
            "group_names": group_names(e["groups"]),
            "province_name": province_names.get(e["province"], ""),
            "rank": rank.get(e["ref"]),
            "drawn_for": rules.group_label(offered_for[e["ref"]]) if offered_for.get(e["ref"]) else "",
            "waiting": waiting.get(e["ref"]),
            "key": keys.get(e["ref"], ""),
        }
        for e in page
    ]
    return render(
        request,
        "recuperation/draw.html",
        {
            "batch": batch,
            "record": record,
            "page": page,
            "rows": rows,
            "reserves": reserve_rows(batch),
            "verification": verification,
        },
    )


def draw_json(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_for_user_or_404(request.user, batch_id)
    record = selectors.draw_record(batch)
    response = HttpResponse(
        json.dumps(record, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote(f"draw-{batch.pk}.json")
    return response


# --- bases ----------------------------------------------------------------------------------------------------------


def base_list(request: HttpRequest) -> HttpResponse:
    f = selectors.base_filters(request.GET)
    page = paginate(request, selectors.bases(f), 50)
    usable = set(Base.objects.filter(rules.usable_base_q(), pk__in=[b.pk for b in page]).values_list("pk", flat=True))
    return render(
        request,
        "recuperation/bases.html",
        {
            "filters": f,
            "page": page,
            "rows": [(b, b.pk in usable) for b in page],
            "provinces": selectors.provinces(),
            "kinds": Base.Kind.choices,
            "query": urlencode(f.query()),
        },
    )


def base_detail(request: HttpRequest, base_id: int) -> HttpResponse:
    user = request.user
    base = selectors.base_for_user_or_404(user, base_id)
    may_manage = can(user, "recuperation.manage_base", base)
    recognitions = list(base.recognitions.select_related("federation").order_by("federation__region_id"))
    from deltaunion.recuperation.forms import PhotoForm

    return render(
        request,
        "recuperation/base.html",
        {
            "base": base,
            "recognitions": [
                (r, selectors.recognition_state(r), can(user, "recuperation.revoke_recognition", r))
                for r in recognitions
            ],
            "usable": selectors.is_usable(base),
            "photos": list(base.photos.all()),
            "itineraries": base.stays.filter(itinerary__status="published").select_related("itinerary"),
            "may_manage": may_manage,
            "may_recognise": can(user, "recuperation.recognise_base"),
            "photo_form": PhotoForm() if may_manage else None,
            "entries": history(base) if may_manage else [],
        },
    )


def base_matrix(request: HttpRequest) -> HttpResponse:
    f = selectors.base_filters(request.GET)
    feds, rows = selectors.recognition_matrix(f)
    return render(
        request,
        "recuperation/base_matrix.html",
        {
            "filters": f,
            "federations": feds,
            "rows": [(r, [(c, selectors.recognition_state(c) if c else "") for c in r.cells]) for r in rows],
            "provinces": selectors.provinces(),
            "kinds": Base.Kind.choices,
            "query": urlencode(f.query()),
        },
    )


def photo(request: HttpRequest, photo_id: int) -> HttpResponse:
    item = selectors.photo_for_user_or_404(request.user, photo_id)
    if not item.image or not item.image.storage.exists(item.image.name):
        raise Http404("not found")
    return serve(item.image, filename=item.image.name.rsplit("/", 1)[-1], content_type=item.content_type, inline=True)


# --- the worker's trips --------------------------------------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    require(request.user, "recuperation.is_worker")
    apps = list(selectors.my_applications(request.user))
    return render(
        request,
        "recuperation/mine.html",
        {
            "rows": [(a, selectors.waiting_place(a)) for a in apps],
            "groups": selectors.worker_groups(request.user),
        },
    )


@login_required
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    user = request.user
    app = selectors.application_for_user_or_404(user, application_id)
    batch = app.batch
    itinerary = batch.itinerary
    may_respond = can(user, "recuperation.respond", app)
    may_decide = can(user, "recuperation.decide_application", app) and app.status == A.PENDING
    return render(
        request,
        "recuperation/application.html",
        {
            "app": app,
            "batch": batch,
            "itinerary": itinerary,
            "stays": selectors.itinerary_stays(itinerary),
            "programme": list(enumerate(itinerary.programme or [], start=1)),
            "place": selectors.waiting_place(app),
            "evidence": list(zip(group_names(app.groups), app.evidence or [], strict=False)) if app.in_draw else [],
            "current_groups": (
                [(rules.group_label(g.group), g.evidence) for g in rules.priority_groups(app.worker)]
                if not app.in_draw
                else []
            ),
            "is_own": app.worker.user_id == user.pk,
            "may_withdraw": may_respond and app.status in (A.PENDING, A.APPROVED) and batch.status == BatchStatus.OPEN,
            "may_confirm": may_respond and app.status == A.OFFERED and batch.status == BatchStatus.DRAWN,
            "may_cancel": may_respond
            and app.status in (A.OFFERED, A.CONFIRMED, A.WAITING)
            and batch.status == BatchStatus.DRAWN,
            "may_rate": can(user, "recuperation.rate_trip", app) and app.status == A.TRAVELLED and app.rating is None,
            "may_decide": may_decide,
            "decide_form": DecideForm() if may_decide else None,
            "reason_form": ReasonForm(),
            "rate_form": RateForm(),
            "entries": history(app),
        },
    )


def _respond(request: HttpRequest, application_id: int, permission: str) -> Application:
    app = selectors.application_for_user_or_404(request.user, application_id)
    require(request.user, permission, app)
    return app


@login_required
@require_POST
def application_withdraw(request: HttpRequest, application_id: int) -> HttpResponse:
    app = _respond(request, application_id, "recuperation.respond")
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    attempt(
        request,
        lambda: services.application_withdraw(application=app, by=request.user, reason=reason),
        _("The application is withdrawn"),
    )
    return redirect("recuperation:application", app.pk)


@login_required
@require_POST
def application_confirm(request: HttpRequest, application_id: int) -> HttpResponse:
    app = _respond(request, application_id, "recuperation.respond")
    attempt(
        request,
        lambda: services.application_confirm(application=app, by=request.user),
        _("Your place is confirmed: have a good trip"),
    )
    return redirect("recuperation:application", app.pk)


@login_required
@require_POST
def application_cancel(request: HttpRequest, application_id: int) -> HttpResponse:
    app = _respond(request, application_id, "recuperation.respond")
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    attempt(
        request,
        lambda: services.application_cancel(application=app, by=request.user, reason=reason),
        _("The place is cancelled and passes to the waiting list"),
    )
    return redirect("recuperation:application", app.pk)


@login_required
@require_POST
def application_decide(request: HttpRequest, application_id: int) -> HttpResponse:
    app = _respond(request, application_id, "recuperation.decide_application")
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to approve the application"))
    else:
        approve = form.cleaned_data["decision"] == "approve"
        attempt(
            request,
            lambda: services.application_decide(
                application=app, approve=approve, by=request.user, reason=form.cleaned_data["reason"]
            ),
            _("The application is approved")
            if approve
            else _("The application is not approved; the worker is told why"),
        )
    back = request.POST.get("next", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect("recuperation:application", app.pk)


@login_required
@require_POST
def application_rate(request: HttpRequest, application_id: int) -> HttpResponse:
    app = _respond(request, application_id, "recuperation.rate_trip")
    form = RateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the trip one to five stars"))
    else:
        cd = form.cleaned_data
        attempt(
            request,
            lambda: services.trip_rate(
                application=app, by=request.user, rating=cd["rating"], title=cd["title"], body=cd["body"]
            ),
            _("Thank you: your rating is recorded"),
        )
    return redirect(reverse("recuperation:application", args=[app.pk]) + "#rate")

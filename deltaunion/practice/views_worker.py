"""The workers' practice pages (网上练兵): free practice, the wrong-answer book, quizzes,
leaderboards, points campaigns and posts.

Thin views: parse the request, call a service or a selector, render. Objects are fetched for
the user (404 for missing and not-yours). A service's ValidationError or PermissionDenied
becomes a message and changes nothing. htmx requests get partials; the same URLs work
without JavaScript (full pages and redirects).

A quiz page never carries the answer key: it is rendered from `selectors.attempt_paper`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from deltaunion.core.excel import list_join, xlsx_response
from deltaunion.core.views import paginate
from deltaunion.orgs.models import Organisation, OrgRole
from deltaunion.orgs.scoping import get_for_user_or_404, scope_for
from deltaunion.practice import leaderboards, questions, selectors, services
from deltaunion.practice.forms_worker import ActionForm, CommentForm, PostForm, ReportForm
from deltaunion.practice.models import (
    Campaign,
    CampaignMember,
    CampaignRule,
    CampaignTeam,
    Post,
    PostLike,
    Question,
    QuestionBank,
    QuestionKind,
    Quiz,
    QuizAttempt,
    QuizParticipant,
    WrongAnswer,
)
from deltaunion.practice.services._common import worker_of

BOARD_TOP_CHOICES = (10, 50, 100)
BOARD_NEIGHBOURS = 3
BOARD_LEVELS = (
    ("person", gettext_lazy("Person")),
    ("team", gettext_lazy("Team")),
    ("unit", gettext_lazy("Unit")),
    ("city", gettext_lazy("City")),
    ("province", gettext_lazy("Province")),
)


# --- helpers ---------------------------------------------------------------------------------------


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(exc) or _("You may not do this")


def _htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _int(value: Any) -> int | None:
    value = str(value or "").strip()
    return int(value) if value.isdigit() else None


def _back(request, default: str) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return default


def _letter(i: int) -> str:
    return questions.indices_to_letters([i])


def _options(options: list[str]) -> list[tuple[int, str, str]]:
    """(value, letter, text) for each option in the order shown."""
    return [(i, _letter(i), text) for i, text in enumerate(options)]


def _parse_response(kind: str, data) -> Any:
    """A form's answer in the shape the services grade; a malformed one is refused there."""
    if kind == QuestionKind.SINGLE:
        value = _int(data.get("choice"))
        return [value] if value is not None else None
    if kind == QuestionKind.MULTIPLE:
        return [v for v in (_int(x) for x in data.getlist("choice")) if v is not None]
    if kind == QuestionKind.TRUE_FALSE:
        return {"true": True, "false": False}.get(data.get("tf", ""))
    return data.get("text", "")[:500]


def _response_text(kind: str, response: Any, options: list[str]) -> str:
    """A worker's own answer as text (options in the order they saw them)."""
    if response in (None, "", []):
        return ""
    if kind in questions.CHOICE_KINDS:
        items = [response] if isinstance(response, int) else response
        if not isinstance(items, list):
            return ""
        return list_join(f"{_letter(i)}. {options[i]}" for i in items if isinstance(i, int) and 0 <= i < len(options))
    if kind == QuestionKind.TRUE_FALSE:
        value = questions.parse_bool(response)
        return "" if value is None else (_("True") if value else _("False"))
    return str(response)


_open_now_q = selectors.quiz_open_now_q
_participants = selectors.quiz_participants_of
_attempts_left = selectors.attempts_left_today
_can_take = selectors.quiz_open_now
_time_up = selectors.attempt_timed_out


# --- home ------------------------------------------------------------------------------------------


@login_required
def home(request):
    user, now, today = request.user, timezone.now(), timezone.localdate()
    quizzes = list(selectors.quizzes_for(user).filter(_open_now_q(now)).order_by("closes_at", "-id")[:10])
    participants = _participants(user, quizzes)
    campaigns = list(selectors.campaigns_for(user).filter(ends_on__gte=today).order_by("ends_on", "-id")[:20])
    members = {
        m.campaign_id: m
        for m in CampaignMember.objects.filter(user=user, campaign__in=campaigns).select_related("team")
    }
    banks = list(selectors.banks_for(user).annotate(n=Count("questions")).filter(n__gt=0)[:12])
    return render(
        request,
        "practice/worker/home.html",
        {
            "nav": "home",
            "quizzes": [(q, participants.get(q.pk), _attempts_left(q, participants.get(q.pk))) for q in quizzes],
            "joined": [(c, members[c.pk]) for c in campaigns if c.pk in members],
            "joinable": [c for c in campaigns if c.pk not in members and c.open_to_join],
            "banks": selectors.banks_with_topics(banks),
            "wrong_count": selectors.wrong_book(user).count(),
            "posts": list(selectors.posts_for(user).filter(status=Post.Status.PUBLISHED)[:5]),
            "is_officer": scope_for(user).is_manager,
        },
    )


# --- free practice -----------------------------------------------------------------------------------


def _practise_context(request, bank: QuestionBank | None, topic: str, wrong: bool) -> dict[str, Any]:
    return {
        "nav": "practise",
        "bank": bank,
        "topic": topic,
        "wrong": wrong,
        "chosen": [],
    }


@login_required
def practise(request):
    """Choose a bank and a topic (or the wrong-answer book) and get one random question."""
    user = request.user
    bank_id = _int(request.GET.get("bank"))
    bank = get_for_user_or_404(QuestionBank, user, pk=bank_id) if bank_id else None
    topics = selectors.bank_topics(bank) if bank else []
    topic = request.GET.get("topic", "").strip()
    topic = topic if topic in topics else ""
    wrong = request.GET.get("wrong") == "1"
    question = services.practice_next(bank=bank, by=user, topic=topic, wrong_only=wrong) if bank else None
    context = {
        **_practise_context(request, bank, topic, wrong),
        "banks": list(selectors.banks_for(user).annotate(n=Count("questions")).filter(n__gt=0)[:200]),
        "topics": topics,
        "question": question,
        "options": _options(question.options) if question else [],
        "wrong_count": selectors.wrong_book(user, bank_id=bank.pk).count() if bank else 0,
    }
    if _htmx(request) and request.GET.get("partial") == "1":
        return render(request, "practice/worker/_question.html", context)
    return render(request, "practice/worker/practise.html", context)


@login_required
@require_POST
def practise_answer(request, question_id: int):
    user = request.user
    question = get_for_user_or_404(Question.objects.select_related("bank"), user, pk=question_id)
    response = _parse_response(question.kind, request.POST)
    result, error = None, ""
    try:
        result = services.practice_answer(question=question, by=user, response=response)
    except ValidationError as exc:
        error = _error_text(exc)
    topic = request.POST.get("topic", "").strip()[:100]
    wrong = request.POST.get("wrong") == "1"
    context = {
        **_practise_context(request, question.bank, topic, wrong),
        "question": question,
        "options": _options(question.options),
        "result": result,
        "error": error,
        "response": response,
        "chosen": response if isinstance(response, list) else [],
        "your_answer": _response_text(question.kind, response, question.options) if result else "",
    }
    if _htmx(request):
        return render(request, "practice/worker/_question.html", context)
    context["banks"] = list(selectors.banks_for(user).annotate(n=Count("questions")).filter(n__gt=0)[:200])
    context["topics"] = selectors.bank_topics(question.bank)
    return render(request, "practice/worker/practise.html", context)


# --- the wrong-answer book -------------------------------------------------------------------------------


def _wrong_filters(request) -> dict[str, Any]:
    return {"bank_id": _int(request.GET.get("bank")), "include_mastered": request.GET.get("mastered") == "1"}


@login_required
def wrong_book_view(request):
    user = request.user
    filters = _wrong_filters(request)
    page = paginate(request, selectors.wrong_book(user, **filters))
    rows = [
        (
            w,
            services.right_answer_text(w.question),
            _response_text(w.question.kind, w.last_response, w.question.options),
        )
        for w in page
    ]
    bank_ids = WrongAnswer.objects.filter(user=user).values("question__bank_id")
    banks = list(selectors.banks_for(user).filter(pk__in=bank_ids))
    return render(
        request,
        "practice/worker/wrong_book.html",
        {"nav": "wrong", "page": page, "rows": rows, "filters": filters, "banks": banks},
    )


@login_required
def wrong_book_export(request):
    qs = selectors.wrong_book(request.user, **_wrong_filters(request))
    headers = [
        _("Question bank"),
        _("Topic"),
        _("Question type"),
        _("Question"),
        _("Options"),
        _("My last answer"),
        _("Right answer"),
        _("Explanation"),
        _("Times wrong"),
        _("Last wrong at"),
        _("Mastered"),
    ]
    rows = (
        [
            w.question.bank.name,
            w.question.topic,
            w.question.get_kind_display(),
            w.question.stem,
            "\n".join(f"{letter}. {text}" for _i, letter, text in _options(w.question.options)),
            _response_text(w.question.kind, w.last_response, w.question.options),
            services.right_answer_text(w.question),
            w.question.explanation,
            w.times_wrong,
            timezone.localtime(w.last_wrong_at).replace(tzinfo=None),
            _("Yes") if w.mastered else _("No"),
        ]
        for w in qs.iterator()
    )
    return xlsx_response("wrong-answers.xlsx", headers, rows, title=_("Wrong-answer book"))


@login_required
@require_POST
def wrong_book_remove(request, entry_id: int):
    entry = get_for_user_or_404(WrongAnswer, request.user, pk=entry_id)
    try:
        services.wrong_answer_remove(entry=entry, by=request.user)
        messages.success(request, _("The question is out of your wrong-answer book"))
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect(_back(request, reverse("practice:wrong_book")))


# --- quizzes -----------------------------------------------------------------------------------------


@login_required
def quiz_list(request):
    user, now = request.user, timezone.now()
    show = request.GET.get("show", "open")
    show = show if show in ("open", "closed", "all") else "open"
    q = request.GET.get("q", "").strip()[:100]
    qs = selectors.quizzes_for(user)
    if show == "open":
        qs = qs.filter(_open_now_q(now))
    elif show == "closed":
        qs = qs.exclude(_open_now_q(now))
    if q:
        qs = qs.filter(title__icontains=q)
    page = paginate(request, qs)
    participants = _participants(user, list(page))
    return render(
        request,
        "practice/worker/quiz_list.html",
        {
            "nav": "quizzes",
            "page": page,
            "rows": [
                (quiz, participants.get(quiz.pk), _attempts_left(quiz, participants.get(quiz.pk))) for quiz in page
            ],
            "show": show,
            "q": q,
        },
    )


@login_required
def quiz_detail(request, quiz_id: int):
    user, now = request.user, timezone.now()
    quiz = get_for_user_or_404(Quiz.objects.select_related("contest", "bank"), user, pk=quiz_id)
    participant = QuizParticipant.objects.filter(quiz=quiz, user=user).first()
    return render(
        request,
        "practice/worker/quiz_detail.html",
        {
            "nav": "quizzes",
            "quiz": quiz,
            "participant": participant,
            "attempts_left": _attempts_left(quiz, participant),
            "running": services.attempt_active(quiz, user, now),
            "attempts": list(QuizAttempt.objects.filter(quiz=quiz, user=user)[:10]),
            "can_take": _can_take(quiz, now),
            "now": now,
        },
    )


@login_required
@require_POST
def quiz_start(request, quiz_id: int):
    """Start an attempt, or resume the running one (the same paper in the same order)."""
    quiz = get_for_user_or_404(Quiz.objects.select_related("contest", "bank"), request.user, pk=quiz_id)
    try:
        attempt = services.quiz_start(quiz=quiz, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
        return redirect("practice:quiz_detail", quiz.pk)
    return redirect("practice:attempt", attempt.pk)


def _paper_items(attempt: QuizAttempt) -> list[dict[str, Any]]:
    return [{**item, "choices": _options(item["options"])} for item in selectors.attempt_paper(attempt)]


@login_required
def attempt_view(request, attempt_id: int):
    """The paper: every question on one page, a countdown to the server's deadline."""
    attempt = selectors.attempt_for_user_or_404(request.user, attempt_id)
    now = timezone.now()
    state = selectors.attempt_state(attempt, now)
    if state["finished"]:
        if _time_up(attempt, now):
            messages.warning(request, _("Time is up: this attempt has ended"))
        return redirect("practice:attempt_result", attempt.pk)
    return render(
        request,
        "practice/worker/attempt.html",
        {"nav": "quizzes", "attempt": attempt, "quiz": attempt.quiz, "state": state, "paper": _paper_items(attempt)},
    )


@login_required
@require_POST
def attempt_answer(request, attempt_id: int):
    """Answer one question (htmx): the question is marked answered and the score so far shown.
    The same answer sent again counts once."""
    attempt = selectors.attempt_for_user_or_404(request.user, attempt_id)
    question_id = _int(request.POST.get("question"))
    item = next((i for i in _paper_items(attempt) if i["id"] == question_id), None)
    if item is None:
        raise Http404("not found")
    result, error = None, ""
    try:
        result = services.quiz_answer(
            attempt=attempt,
            by=request.user,
            question_id=item["id"],
            response=_parse_response(item["kind"], request.POST),
        )
    except ValidationError as exc:
        error = _error_text(exc)
    attempt.refresh_from_db()
    state = selectors.attempt_state(attempt)
    if not _htmx(request):
        if error:
            messages.error(request, error)
        return redirect("practice:attempt", attempt.pk)
    if error and state["finished"]:
        response = HttpResponse(status=204)  # time is up: reload the page, which says so
        response["HX-Redirect"] = reverse("practice:attempt", args=[attempt.pk])
        return response
    if result is not None:
        item = next(i for i in _paper_items(attempt) if i["id"] == question_id)
    return render(
        request,
        "practice/worker/_attempt_answered.html",
        {"attempt": attempt, "state": state, "q": item, "result": result, "error": error},
    )


@login_required
@require_POST
def attempt_finish(request, attempt_id: int):
    attempt = selectors.attempt_for_user_or_404(request.user, attempt_id)
    services.quiz_finish(attempt=attempt, by=request.user)
    messages.success(request, _("Your paper is handed in"))
    return redirect("practice:attempt_result", attempt.pk)


@login_required
def attempt_result(request, attempt_id: int):
    """Score, time used, which questions were right or wrong — never the right answers."""
    attempt = selectors.attempt_for_user_or_404(request.user, attempt_id)
    now = timezone.now()
    state = selectors.attempt_state(attempt, now)
    if not state["finished"]:
        return redirect("practice:attempt", attempt.pk)
    quiz = attempt.quiz
    participant = QuizParticipant.objects.filter(quiz=quiz, user=request.user).first()
    paper = [
        {**item, "your_answer": _response_text(item["kind"], item["response"], item["options"])}
        for item in selectors.attempt_paper(attempt)
    ]
    return render(
        request,
        "practice/worker/attempt_result.html",
        {
            "nav": "quizzes",
            "attempt": attempt,
            "quiz": quiz,
            "state": state,
            "paper": paper,
            "right": sum(1 for i in paper if i["correct"]),
            "wrong": sum(1 for i in paper if i["answered"] and not i["correct"]),
            "unanswered": sum(1 for i in paper if not i["answered"]),
            "participant": participant,
            "attempts_left": _attempts_left(quiz, participant),
            "can_take": _can_take(quiz, now),
            "time_used_s": round(attempt.time_used_ms / 1000),
        },
    )


# --- leaderboards ------------------------------------------------------------------------------------


def _board_object_or_404(user, kind: str, object_id: int) -> Quiz | Campaign:
    if kind == "quiz":
        return get_for_user_or_404(Quiz, user, pk=object_id)
    if kind == "campaign":
        return get_for_user_or_404(Campaign, user, pk=object_id)
    raise Http404("not found")


def _board_context(request, kind: str, object_id: int) -> dict[str, Any]:
    obj = _board_object_or_404(request.user, kind, object_id)
    level = request.GET.get("level", "person")
    level = level if level in leaderboards.LEVELS else "person"
    top_n = _int(request.GET.get("top")) or BOARD_TOP_CHOICES[0]
    top_n = top_n if top_n in BOARD_TOP_CHOICES else BOARD_TOP_CHOICES[0]
    view = selectors.board_view(
        leaderboards.Board(kind, obj.pk, level), request.user, top_n=top_n, neighbours=BOARD_NEIGHBOURS
    )
    for row in [*view.top, *view.around, *([view.me] if view.me else [])]:
        row["time_s"] = f"{row['time_ms'] / 1000:.1f}" if row.get("time_ms") is not None else ""
    return {
        "kind": kind,
        "obj": obj,
        "level": level,
        "level_label": _("Team (union)") if (kind, level) == ("quiz", "team") else dict(BOARD_LEVELS)[level],
        "top_n": top_n,
        "view": view,
        "backend": "Redis" if leaderboards.uses_redis() else _("database"),
        "show_time": kind == "quiz" and level == "person",
        "levels": BOARD_LEVELS,
        "top_choices": BOARD_TOP_CHOICES,
        "now": timezone.now(),
    }


@login_required
def board_page(request, kind: str, object_id: int):
    context = _board_context(request, kind, object_id)
    return render(
        request, "practice/worker/board.html", {**context, "nav": "quizzes" if kind == "quiz" else "campaigns"}
    )


@login_required
def board_partial(request, kind: str, object_id: int):
    return render(request, "practice/worker/_board.html", _board_context(request, kind, object_id))


# --- points campaigns ------------------------------------------------------------------------------------


@login_required
def campaign_list(request):
    user, today = request.user, timezone.localdate()
    show = request.GET.get("show", "current")
    show = show if show in ("current", "mine", "all") else "current"
    qs = selectors.campaigns_for(user)
    mine = CampaignMember.objects.filter(user=user).values("campaign_id")
    if show == "current":
        qs = qs.filter(ends_on__gte=today)
    elif show == "mine":
        qs = qs.filter(pk__in=mine)
    page = paginate(request, qs)
    members = {m.campaign_id: m for m in CampaignMember.objects.filter(user=user, campaign__in=list(page))}
    return render(
        request,
        "practice/worker/campaign_list.html",
        {
            "nav": "campaigns",
            "page": page,
            "rows": [(c, members.get(c.pk)) for c in page],
            "show": show,
            "today": today,
        },
    )


def _campaign_context(request, campaign: Campaign, form: ActionForm | None = None) -> dict[str, Any]:
    rules = list(campaign.rules.all())
    today = timezone.localdate()
    me = selectors.campaign_me(campaign, request.user, today)
    return {
        "nav": "campaigns",
        "campaign": campaign,
        "rules": rules,
        "rule_rows": me["by_rule"] if me else [(r, None) for r in rules],
        "teams": list(campaign.teams.all()),
        "me": me,
        "form": form or ActionForm(rules=rules),
        "running": campaign.starts_on <= today <= campaign.ends_on,
        "today": today,
    }


@login_required
def campaign_detail(request, campaign_id: int):
    campaign = get_for_user_or_404(Campaign.objects.select_related("contest"), request.user, pk=campaign_id)
    return render(request, "practice/worker/campaign.html", _campaign_context(request, campaign))


@login_required
@require_POST
def campaign_join(request, campaign_id: int):
    campaign = get_for_user_or_404(Campaign, request.user, pk=campaign_id)
    team = None
    team_id = _int(request.POST.get("team"))
    if team_id:
        team = CampaignTeam.objects.filter(campaign=campaign, pk=team_id).first()
        if team is None:
            raise Http404("not found")
    try:
        services.campaign_join(campaign=campaign, by=request.user, team=team)
        messages.success(request, _("You have joined %(title)s") % {"title": campaign.title})
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
    return redirect("practice:campaign", campaign.pk)


@login_required
@require_POST
def campaign_log(request, campaign_id: int):
    """Log one action. The form's source_key makes a double submit count once."""
    campaign = get_for_user_or_404(Campaign.objects.select_related("contest"), request.user, pk=campaign_id)
    rules = list(campaign.rules.all())
    form = ActionForm(request.POST, rules=rules)
    if not form.is_valid():
        messages.error(request, _("Check the form: choose what you did and a date"))
        return render(request, "practice/worker/campaign.html", _campaign_context(request, campaign, form))
    data = form.cleaned_data
    rule = CampaignRule.objects.get(campaign=campaign, pk=data["rule"])
    try:
        award, created = services.action_log(
            campaign=campaign,
            by=request.user,
            rule=rule,
            source_key=data["source_key"],
            occurred_on=data["occurred_on"],
            value=data["value"] or None,
            note=data["note"],
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
        return render(request, "practice/worker/campaign.html", _campaign_context(request, campaign, form))
    names = {"rule": rule.name, "points": award.points, "requested": award.requested}
    if not created:
        messages.info(request, _("This action was already recorded (%(points)d points); it counts once") % names)
    elif award.points == 0:
        messages.warning(request, _("Recorded, but no points: the cap of “%(rule)s” has been reached") % names)
    elif award.points < award.requested:
        messages.success(
            request, _("Recorded: %(points)d of %(requested)d points for “%(rule)s” — the cap is now reached") % names
        )
    else:
        messages.success(request, _("Recorded: %(points)d points for “%(rule)s”") % names)
    return redirect("practice:campaign", campaign.pk)


# --- posts -----------------------------------------------------------------------------------------------


def _author_name(post_or_comment, viewer) -> str:
    author = post_or_comment.author
    name = author.full_name or author.username
    return name if author.pk == viewer.pk else selectors.mask_name(name)


@login_required
def post_list(request):
    user = request.user
    kind = request.GET.get("kind", "")
    kind = kind if kind in Post.Kind.values else ""
    q = request.GET.get("q", "").strip()[:100]
    qs = selectors.posts_for(user, kind=kind, q=q).filter(status=Post.Status.PUBLISHED)
    page = paginate(request, qs)
    counts = selectors.live_counts(list(page))
    return render(
        request,
        "practice/worker/posts.html",
        {
            "nav": "posts",
            "page": page,
            "rows": [(p, _author_name(p, user), *counts.get(p.pk, (0, 0))) for p in page],
            "kind": kind,
            "q": q,
            "kinds": Post.Kind.choices,
        },
    )


def _post_organisations(user) -> list[Organisation]:
    """Where an officer may post: their own union and the unions they hold a role in."""
    scope = scope_for(user)
    if not scope.is_manager:
        return []
    worker = worker_of(user)
    ids = set(OrgRole.objects.filter(user=user).values_list("organisation_id", flat=True))
    if worker is not None:
        ids.add(worker.organisation_id)
    own = worker.organisation_id if worker is not None else None
    return [o for o in Organisation.objects.filter(pk__in=ids).order_by("path") if scope.manages(o) or o.pk == own]


@login_required
def post_new(request):
    user = request.user
    organisations = _post_organisations(user)
    form = PostForm(
        request.POST or None, news=scope_for(user).is_manager, organisations=organisations if organisations else ()
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        org = next((o for o in organisations if o.pk == data.get("organisation")), None)
        try:
            post = services.post_create(
                by=user, kind=data["kind"], title=data["title"], body=data["body"], organisation=org
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("Your post is published"))
            return redirect("practice:post", post.pk)
    return render(request, "practice/worker/post_form.html", {"nav": "posts", "form": form})


def _visible_post_or_404(user, post_id: int) -> Post:
    post = selectors.post_for_user_or_404(user, post_id)
    if post.status != Post.Status.PUBLISHED and not selectors.can_moderate(user, post):
        raise Http404("not found")
    return post


def _like_context(post: Post, user) -> dict[str, Any]:
    likes, comments = selectors.live_counts([post]).get(post.pk, (0, 0))
    return {
        "post": post,
        "likes": likes,
        "comment_count": comments,
        "liked": PostLike.objects.filter(post=post, user=user).exists(),
    }


@login_required
def post_detail(request, post_id: int):
    user = request.user
    post = _visible_post_or_404(user, post_id)
    comments = list(post.comments.filter(status=Post.Status.PUBLISHED).select_related("author"))
    return render(
        request,
        "practice/worker/post.html",
        {
            "nav": "posts",
            **_like_context(post, user),
            "author": _author_name(post, user),
            "comments": [(c, _author_name(c, user)) for c in comments],
            "comment_form": CommentForm(),
        },
    )


@login_required
@require_POST
def post_like(request, post_id: int):
    post = _visible_post_or_404(request.user, post_id)
    try:
        if request.POST.get("action") == "unlike":
            services.post_unlike(post=post, by=request.user)
        else:
            services.post_like(post=post, by=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    if _htmx(request):
        return render(request, "practice/worker/_like.html", _like_context(post, request.user))
    return redirect("practice:post", post.pk)


@login_required
@require_POST
def post_comment(request, post_id: int):
    post = _visible_post_or_404(request.user, post_id)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a comment of at most 2,000 characters"))
    else:
        try:
            services.comment_add(post=post, by=request.user, body=form.cleaned_data["body"])
            messages.success(request, _("Your comment is posted"))
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
    return redirect(reverse("practice:post", args=[post.pk]) + "#comments")


@login_required
@require_POST
def post_report(request, post_id: int):
    post = _visible_post_or_404(request.user, post_id)
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what is wrong with it"))
        return redirect("practice:post", post.pk)
    comment = None
    if form.cleaned_data.get("comment"):
        comment = post.comments.filter(pk=form.cleaned_data["comment"], status=Post.Status.PUBLISHED).first()
        if comment is None:
            raise Http404("not found")
    try:
        services.report_file(post=post, by=request.user, reason=form.cleaned_data["reason"], comment=comment)
        messages.success(request, _("Thank you: the union's moderators will look at your report"))
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect("practice:post", post.pk)

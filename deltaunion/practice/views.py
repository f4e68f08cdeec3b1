"""The workers' practice pages (网上练兵): free practice, the wrong-answer book, quizzes,
leaderboards, points campaigns and posts.

Thin views: parse the request, call a service or a selector, render. Objects are fetched for
the user (404 for missing and not-yours). A service's ValidationError or PermissionDenied
becomes a message and changes nothing. htmx requests get partials; the same URLs work
without JavaScript (full pages and redirects).

A quiz page never carries the answer key: it is rendered from `selectors.attempt_paper`.
The board pages serve every registered kind of board (quizzes here, points campaigns too):
who sees a board is its owner's view permission (`core.leaderboards.visible_owner`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import conditional_page, require_POST

from deltaunion.community.selectors import posts_for
from deltaunion.core import leaderboards, pagecache, viewer
from deltaunion.core.excel import list_join, xlsx_response
from deltaunion.core.permissions import can
from deltaunion.core.views import paginate
from deltaunion.orgs.scoping import get_for_user_or_404
from deltaunion.practice import hub, questions, selectors, services
from deltaunion.practice.models import QuestionBank, QuestionKind, QuizAttempt

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


def error_text(exc: Exception) -> str:
    """A refused service call as the message a user reads."""
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(exc) or _("You may not do this")


def _htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def int_or_none(value: Any) -> int | None:
    value = str(value or "").strip()
    return int(value) if value.isdigit() else None


def back_url(request, default: str) -> str:
    """The safe `next` the form names, or `default`."""
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
        value = int_or_none(data.get("choice"))
        return [value] if value is not None else None
    if kind == QuestionKind.MULTIPLE:
        return [v for v in (int_or_none(x) for x in data.getlist("choice")) if v is not None]
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


# --- home ------------------------------------------------------------------------------------------


@login_required
def home(request):
    user, now = request.user, timezone.now()
    quizzes = list(selectors.quizzes_for(user).filter(selectors.quiz_open_now_q(now)).order_by("closes_at", "-id")[:10])
    return render(
        request,
        "practice/worker/home.html",
        {
            "nav": "home",
            "quizzes": selectors.quiz_rows(user, quizzes),
            "cards": hub.cards("home", user),
            "banks": selectors.banks_with_topics(selectors.practice_banks(user, limit=12)),
            "wrong_count": selectors.wrong_book(user).count(),
            "posts": list(posts_for(user, published_only=True)[:5]),
            "is_officer": can(user, "practice.use_officer_pages"),
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
    bank_id = int_or_none(request.GET.get("bank"))
    bank = get_for_user_or_404(selectors.banks_for(user), user, pk=bank_id) if bank_id else None
    topics = selectors.bank_topics(bank) if bank else []
    topic = request.GET.get("topic", "").strip()
    topic = topic if topic in topics else ""
    wrong = request.GET.get("wrong") == "1"
    question = selectors.practice_question(bank, user, topic=topic, wrong_only=wrong) if bank else None
    context = {
        **_practise_context(request, bank, topic, wrong),
        "banks": selectors.practice_banks(user),
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
    question = selectors.question_for_user_or_404(user, question_id)
    response = _parse_response(question.kind, request.POST)
    result, error = None, ""
    try:
        result = services.practice_answer(question=question, by=user, response=response)
    except ValidationError as exc:
        error = error_text(exc)
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
    context["banks"] = selectors.practice_banks(user)
    context["topics"] = selectors.bank_topics(question.bank)
    return render(request, "practice/worker/practise.html", context)


# --- the wrong-answer book -------------------------------------------------------------------------------


def _wrong_filters(request) -> dict[str, Any]:
    return {"bank_id": int_or_none(request.GET.get("bank")), "include_mastered": request.GET.get("mastered") == "1"}


@login_required
def wrong_book_view(request):
    user = request.user
    filters = _wrong_filters(request)
    page = paginate(request, selectors.wrong_book(user, **filters))
    rows = [
        (
            w,
            selectors.right_answer_text(w.question),
            _response_text(w.question.kind, w.last_response, w.question.options),
        )
        for w in page
    ]
    banks = selectors.wrong_book_banks(user)
    return render(
        request,
        "practice/worker/wrong_book.html",
        {"nav": "wrong", "page": page, "rows": rows, "filters": filters, "banks": banks},
    )


@login_required
def wrong_book_export(request):
    qs = selectors.wrong_book(request.user, **_wrong_filters(request))
    question = [_("Question bank"), _("Topic"), _("Question type"), _("Question"), _("Options")]
    answers = [_("My last answer"), _("Right answer"), _("Explanation")]
    headers = [*question, *answers, _("Times wrong"), _("Last wrong at"), _("Mastered")]
    rows = (
        [
            w.question.bank.name,
            w.question.topic,
            w.question.get_kind_display(),
            w.question.stem,
            "\n".join(f"{letter}. {text}" for _i, letter, text in _options(w.question.options)),
            _response_text(w.question.kind, w.last_response, w.question.options),
            selectors.right_answer_text(w.question),
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
    entry = selectors.wrong_answer_for_user_or_404(request.user, entry_id)
    try:
        services.wrong_answer_remove(entry=entry, by=request.user)
        messages.success(request, _("The question is out of your wrong-answer book"))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    return redirect(back_url(request, reverse("practice:wrong_book")))


# --- quizzes -----------------------------------------------------------------------------------------


@login_required
def quiz_list(request):
    user, now = request.user, timezone.now()
    show = request.GET.get("show", "open")
    show = show if show in ("open", "closed", "all") else "open"
    q = request.GET.get("q", "").strip()[:100]
    qs = selectors.quizzes_for(user)
    if show == "open":
        qs = qs.filter(selectors.quiz_open_now_q(now))
    elif show == "closed":
        qs = qs.exclude(selectors.quiz_open_now_q(now))
    if q:
        qs = qs.filter(title__icontains=q)
    page = paginate(request, qs)
    return render(
        request,
        "practice/worker/quiz_list.html",
        {
            "nav": "quizzes",
            "page": page,
            "rows": selectors.quiz_rows(user, list(page)),
            "show": show,
            "q": q,
        },
    )


@login_required
def quiz_detail(request, quiz_id: int):
    def context() -> pagecache.Context:
        user, now = request.user, timezone.now()
        viewer.prime(user)  # the viewer's scope, cached per user (core.viewer)
        quiz = selectors.quiz_for_user_or_404(user, quiz_id)
        participant = selectors.participant_of(quiz, user)
        attempts, running = selectors.my_attempts_and_running(quiz, user, now)
        ctx = {
            "nav": "quizzes",
            "quiz": quiz,
            "participant": participant,
            "attempts_left": selectors.attempts_left_today(quiz, participant),
            "running": running,
            "attempts": attempts,
            "can_take": selectors.quiz_is_open_at(quiz, now),
            "now": now,
        }
        # While an attempt runs its score moves with every answer (written without a signal):
        # not kept. Otherwise the page is true until the quiz opens or closes, an attempt's
        # deadline passes, or the day (today's attempts) ends.
        if running is not None:
            return ctx, False
        deadlines = [a.deadline for a in attempts if a.finished_at is None]
        return ctx, pagecache.earliest(quiz.opens_at, quiz.closes_at, pagecache.next_midnight(), *deadlines)

    # Per viewer: the quiz, its bank and contest (`quizzes`; who may see it: also `roles`),
    # the viewer's attempts and participation (`practice:<user>`, bumped when an attempt is
    # started or a participation saved; core.viewer.connect).
    return pagecache.page(
        request,
        "quiz",
        template="practice/worker/quiz_detail.html",
        context=context,
        versions=["quizzes", f"practice:{request.user.pk}"],
        parts=(quiz_id,),
        cache=not request.GET,
    )


@login_required
@require_POST
def quiz_start(request, quiz_id: int):
    """Start an attempt, or resume the running one (the same paper in the same order)."""
    quiz = selectors.quiz_for_user_or_404(request.user, quiz_id)
    try:
        attempt = services.quiz_start(quiz=quiz, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
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
        if selectors.attempt_timed_out(attempt, now):
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
    question_id = int_or_none(request.POST.get("question"))
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
        error = error_text(exc)
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
    participant = selectors.participant_of(quiz, request.user)
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
            "attempts_left": selectors.attempts_left_today(quiz, participant),
            "can_take": selectors.quiz_open_now(quiz, now),
            "time_used_s": round(attempt.time_used_ms / 1000),
        },
    )


# --- leaderboards ------------------------------------------------------------------------------------


def board_owner_or_404(user, kind: str, object_id: int):
    """The quiz, campaign, … whose boards these are: 404 unless the user may see it."""
    owner = leaderboards.visible_owner(kind, object_id, user)
    if owner is None:
        raise Http404("not found")
    return owner


def _board_context(request, kind: str, object_id: int) -> dict[str, Any]:
    obj = board_owner_or_404(request.user, kind, object_id)
    level = request.GET.get("level", "person")
    level = level if level in leaderboards.LEVELS else "person"
    top_n = int_or_none(request.GET.get("top")) or BOARD_TOP_CHOICES[0]
    top_n = top_n if top_n in BOARD_TOP_CHOICES else BOARD_TOP_CHOICES[0]
    spec = leaderboards.kind_of(kind)
    view = leaderboards.view(
        leaderboards.Board(kind, obj.pk, level), request.user, top_n=top_n, neighbours=BOARD_NEIGHBOURS
    )
    for row in [*view.top, *view.around, *([view.me] if view.me else [])]:
        row["time_s"] = f"{row['time_ms'] / 1000:.1f}" if row.get("time_ms") is not None else ""
    return {
        "kind": kind,
        "obj": obj,
        "level": level,
        "level_label": _("Team (union)") if (kind, level) == ("quiz", "team") else dict(BOARD_LEVELS)[level],
        "timed": spec.timed,
        "top_n": top_n,
        "view": view,
        "backend": "Redis" if leaderboards.uses_redis() else _("database"),
        "show_time": spec.timed and level == "person",
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
@cache_control(private=True, no_cache=True)
@conditional_page
def board_partial(request, kind: str, object_id: int):
    """Polled by the open leaderboard: an ETag of the content, and 304 (no body) while unchanged."""
    return render(request, "practice/worker/_board.html", _board_context(request, kind, object_id))

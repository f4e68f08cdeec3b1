"""Officers' practice pages: the overview, question banks, quizzes and statistics.

Every page needs a signed-in officer (`practice.use_officer_pages`): a user who manages no
organisation gets 404. Objects are fetched among those of the organisations the officer
manages (`orgs.scoping.managed`, in the selectors), so another organisation's bank or quiz is
the same 404 as a missing one, even when it is public. Views parse input, call a service or a
selector and render; a service's ValidationError or PermissionDenied becomes a message and
changes nothing. Points campaigns (campaigns) and moderation (community) have their own pages,
linked from the same navigation.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deltaunion.community.selectors import hidden_count, open_reports
from deltaunion.core.audit import history
from deltaunion.core.excel import xlsx_bytes_response, xlsx_response
from deltaunion.core.permissions import can
from deltaunion.core.views import import_page, paginate
from deltaunion.orgs.models import Organisation
from deltaunion.orgs.scoping import managed_organisations, top_managed_organisations
from deltaunion.practice import hub, selectors, services, stats
from deltaunion.practice.forms import (
    OPTION_LETTERS,
    QUIZ_STATUS_CHOICES,
    BankForm,
    QuestionForm,
    QuizForm,
    quiz_rules_from,
)
from deltaunion.practice.imports import QuestionImport
from deltaunion.practice.models import Difficulty, QuestionBank, QuestionKind, Quiz
from deltaunion.practice.questions import CHOICE_KINDS, indices_to_letters
from deltaunion.practice.views import error_text, int_or_none

FAILED = (ValidationError, PermissionDenied)
ORG_CHOICES = 1000


def officer_only(request: HttpRequest) -> None:
    """Officers only (`practice.use_officer_pages`): anyone else gets the same 404 as a missing page."""
    if not can(request.user, "practice.use_officer_pages"):
        raise Http404("not found")


def _orgs(request: HttpRequest):
    return managed_organisations(request.user)[:ORG_CHOICES]


def org_choices(request: HttpRequest):
    """The organisations an officer may choose (as owner, lead organiser): those they manage."""
    ids = list(managed_organisations(request.user).values_list("pk", flat=True)[:ORG_CHOICES])
    return Organisation.objects.filter(pk__in=ids).order_by("path")


def _labelled(objects, attr: str, choices, name: str):
    """Set `name` on each object to the officers' label of its `attr` (see forms.py)."""
    labels = dict(choices)
    objects = list(objects)
    for obj in objects:
        setattr(obj, name, labels.get(getattr(obj, attr), getattr(obj, attr)))
    return objects


# --- the hub ----------------------------------------------------------------------------------------


@login_required
def manage_home(request):
    officer_only(request)
    user = request.user
    banks = selectors.banks_managed(user)
    quizzes = selectors.quizzes_managed(user)
    return render(
        request,
        "practice/officer/home.html",
        {
            "n_banks": banks.count(),
            "n_questions": selectors.questions_in(banks),
            "n_quizzes": quizzes.count(),
            "n_open_quizzes": quizzes.filter(status=Quiz.Status.OPEN).count(),
            "n_reports": open_reports(user).count(),
            "n_hidden": hidden_count(user),
            "quizzes": _labelled(quizzes.order_by("-id")[:5], "status", QUIZ_STATUS_CHOICES, "status_label"),
            "cards": hub.cards("overview", user),
            "top_orgs": top_managed_organisations(user),
        },
    )


# --- question banks -----------------------------------------------------------------------------


def _bank_list(request: HttpRequest):
    qs = selectors.banks_managed(request.user)
    owner = int_or_none(request.GET.get("owner"))
    if owner:
        org = managed_organisations(request.user).filter(pk=owner).first()
        qs = qs.filter(owner__path__startswith=org.path) if org else qs.none()
    trade = (request.GET.get("trade") or "").strip()
    if trade:
        qs = qs.filter(trade=trade)
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(occupation_code__icontains=q))
    return qs.order_by("owner__path", "name", "id"), {"owner": owner, "trade": trade, "q": q}


@login_required
def manage_banks(request):
    officer_only(request)
    qs, filters = _bank_list(request)
    trades = selectors.bank_trades(request.user)
    return render(
        request,
        "practice/officer/banks.html",
        {"page": paginate(request, qs), "filters": filters, "organisations": _orgs(request), "trades": trades},
    )


@login_required
def manage_banks_export(request):
    officer_only(request)
    qs, _filters = _bank_list(request)
    headers = [_("Name"), _("Owner"), _("Trade"), _("National occupation code"), _("Questions"), _("Open for practice")]
    rows = (
        (b.name, b.owner.name, b.trade, b.occupation_code, b.n_questions, _("Yes") if b.published else _("No"))
        for b in qs.iterator(chunk_size=500)
    )
    return xlsx_response("question-banks.xlsx", headers, rows, title=_("Question banks"))


@login_required
def manage_bank_create(request):
    officer_only(request)
    form = BankForm(request.POST or None, organisations=org_choices(request))
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            settings = {k: cd[k] for k in ("owner", "name", "trade", "occupation_code", "description", "published")}
            bank = services.bank_create(by=request.user, **settings)
        except FAILED as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The bank is created. Add questions one by one or import them from Excel."))
            return redirect("practice:manage_bank", bank.pk)
    return render(request, "practice/officer/bank_form.html", {"form": form})


def _answer_text(q) -> str:
    if q.kind in CHOICE_KINDS:
        return indices_to_letters(q.answer)
    if q.kind == QuestionKind.TRUE_FALSE:
        return _("True") if q.answer else _("False")
    return " | ".join(q.answer)


@login_required
def manage_bank(request, bank_id: int):
    officer_only(request)
    bank = selectors.bank_managed_or_404(request.user, bank_id)
    topic = (request.GET.get("topic") or "").strip()
    kind = request.GET.get("kind") or ""
    difficulty = int_or_none(request.GET.get("difficulty"))
    q = (request.GET.get("q") or "").strip()
    qs = selectors.bank_questions(bank, topic=topic, kind=kind, difficulty=difficulty, q=q)
    page = paginate(request, qs)
    rows = [
        (
            question,
            [(indices_to_letters([i]), o, i in (question.answer or [])) for i, o in enumerate(question.options)]
            if question.kind in CHOICE_KINDS
            else [],
            _answer_text(question),
        )
        for question in page
    ]
    return render(
        request,
        "practice/officer/bank.html",
        {
            "bank": bank,
            "page": page,
            "rows": rows,
            "filters": {"topic": topic, "kind": kind, "difficulty": difficulty, "q": q},
            "topics": selectors.bank_topics(bank),
            "kinds": QuestionKind.choices,
            "difficulties": Difficulty.choices,
            "pool": selectors.pool_table(bank),
            "n_quizzes": selectors.quizzes_of_bank(bank),
        },
    )


@login_required
def manage_bank_export(request, bank_id: int):
    officer_only(request)
    bank = selectors.bank_managed_or_404(request.user, bank_id)
    headers, rows = selectors.questions_export_rows(bank)
    return xlsx_response(f"{bank.name}.xlsx", headers, rows, title=_("Questions"))


@login_required
def manage_question_add(request, bank_id: int):
    officer_only(request)
    bank = selectors.bank_managed_or_404(request.user, bank_id)
    initial = {k: request.GET[k] for k in ("kind", "topic", "difficulty") if request.GET.get(k)}
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            fields = ("kind", "topic", "stem", "options", "answer", "difficulty", "explanation")
            services.question_add(bank=bank, by=request.user, **{k: cd[k] for k in fields})
        except FAILED as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The question is added. Add the next one, or go back to the bank."))
            keep = urlencode({"kind": cd["kind"], "topic": cd["topic"], "difficulty": cd["difficulty"]})
            return redirect(f"{reverse('practice:manage_question_add', args=[bank.pk])}?{keep}")
    return render(
        request,
        "practice/officer/question_form.html",
        {"bank": bank, "form": form, "topics": selectors.bank_topics(bank), "letters": OPTION_LETTERS},
    )


@login_required
def manage_bank_import(request, bank_id: int):
    officer_only(request)
    bank = selectors.bank_managed_or_404(request.user, bank_id)
    return import_page(
        request,
        make_importer=lambda _org: QuestionImport(bank=bank),
        title=_("Import questions into %(bank)s") % {"bank": bank.name},
        back_url=reverse("practice:manage_bank", args=[bank.pk]),
        back_label=bank.name,
        intro=_("The layout is the one the bank export writes, so an exported bank can be edited and imported again."),
        nav_template="practice/officer/_nav.html",
        extra_context={"section": "banks"},
    )


# --- quizzes ------------------------------------------------------------------------------------------


def _quiz_list(request: HttpRequest):
    qs = selectors.quizzes_managed(request.user)
    status = request.GET.get("status") or ""
    if status in Quiz.Status.values:
        qs = qs.filter(status=status)
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(contest__title__icontains=q))
    return qs.order_by("-id"), {"status": status, "q": q}


@login_required
def manage_quizzes(request):
    officer_only(request)
    qs, filters = _quiz_list(request)
    page = paginate(request, qs)
    return render(
        request,
        "practice/officer/quizzes.html",
        {
            "page": page,
            "rows": _labelled(page, "status", QUIZ_STATUS_CHOICES, "status_label"),
            "filters": filters,
            "statuses": QUIZ_STATUS_CHOICES,
        },
    )


@login_required
def manage_quizzes_export(request):
    officer_only(request)
    qs, _filters = _quiz_list(request)
    quiz = [_("Quiz title"), _("Contest"), _("Question bank"), _("Questions per paper"), _("Full marks")]
    headers = [*quiz, _("Status"), _("Opens at"), _("Closes at"), _("Participants"), _("Attempts")]
    rows = (
        (
            z.title,
            z.contest.title,
            z.bank.name,
            z.question_count,
            z.max_score,
            dict(QUIZ_STATUS_CHOICES).get(z.status, z.status),
            z.opens_at,
            z.closes_at,
            z.n_participants,
            z.n_attempts,
        )
        for z in qs.iterator(chunk_size=500)
    )
    return xlsx_response("quizzes.xlsx", headers, rows, title=_("Quizzes"))


def limited(qs, n: int = 300):
    """The first n rows of qs as a queryset that can still be filtered (form choices look up by pk)."""
    ids = list(qs.values_list("pk", flat=True)[:n])
    return qs.model.objects.filter(pk__in=ids).order_by(*qs.query.order_by)


def _quiz_choices(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "contests": limited(selectors.quiz_contests_managed(user)).select_related("lead_org"),
        "organisations": org_choices(request),
        "banks": limited(selectors.banks_for(user).order_by("name", "id")).select_related("owner"),
        "stages": limited(selectors.theory_stages_managed(user)).select_related("contest"),
    }


def _rule_rows(rules: list[dict[str, Any]], blank: int = 2) -> list[dict[str, Any]]:
    rows = [
        {"topic": r.get("topic") or "", "difficulty": str(r.get("difficulty") or ""), "count": r.get("count") or ""}
        for r in rules
    ]
    return rows + [{"topic": "", "difficulty": "", "count": ""} for _i in range(blank)]


def _quiz_page(request, *, form, quiz, rules, choices):
    banks = choices["banks"] if quiz is None else QuestionBank.objects.filter(pk=quiz.bank_id)
    topics = selectors.topic_counts(banks)
    return render(
        request,
        "practice/officer/quiz_form.html",
        {
            "form": form,
            "quiz": quiz,
            "creating": quiz is None,
            "rule_rows": _rule_rows(rules),
            "topics_by_bank": {str(k): v for k, v in topics.items()},
            "bank_topics": selectors.bank_topics(quiz.bank) if quiz else [],
            "difficulties": Difficulty.choices,
            "pool": selectors.pool_table(quiz.bank) if quiz else None,
            "entries": history(quiz) if quiz else [],
            "can_feed": bool(quiz and quiz.stage_id and quiz.status == Quiz.Status.CLOSED),
        },
    )


def _quiz_settings(cd: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": cd["title"],
        "points_per_question": cd["points_per_question"],
        "time_limit_seconds": cd["time_limit_seconds"],
        "attempts_per_day": cd["attempts_per_day"],
        "opens_at": cd["opens_at"],
        "closes_at": cd["closes_at"],
        "status": cd["status"],
        "stage": cd["stage"],
    }


@login_required
def manage_quiz_create(request):
    officer_only(request)
    choices = _quiz_choices(request)
    form = QuizForm(request.POST or None, creating=True, statuses=[Quiz.Status.DRAFT, Quiz.Status.OPEN], **choices)
    rules = quiz_rules_from(request.POST) if request.method == "POST" else []
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            quiz = services.quiz_create_in_contest(
                contest=cd["contest"],
                new_contest_title=cd["new_contest_title"],
                new_contest_lead=cd["new_contest_lead"],
                bank=cd["bank"],
                draw_rules=rules,
                by=request.user,
                **_quiz_settings(cd),
            )
        except FAILED as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The quiz is saved."))
            return redirect("practice:manage_quiz", quiz.pk)
    return _quiz_page(request, form=form, quiz=None, rules=rules, choices=choices)


@login_required
def manage_quiz(request, quiz_id: int):
    officer_only(request)
    quiz = selectors.quiz_managed_or_404(request.user, quiz_id)
    choices = _quiz_choices(request)
    initial = {
        "title": quiz.title,
        "points_per_question": quiz.points_per_question,
        "time_limit_seconds": quiz.time_limit_seconds,
        "attempts_per_day": quiz.attempts_per_day,
        "opens_at": quiz.opens_at,
        "closes_at": quiz.closes_at,
        "status": quiz.status,
        "stage": quiz.stage_id,
    }
    stages = choices["stages"]
    if quiz.stage_id:  # the current stage stays choosable
        stages = selectors.stages_with(stages, quiz.stage_id)
    form = QuizForm(
        request.POST or None,
        initial=initial,
        creating=False,
        contests=choices["contests"],
        organisations=choices["organisations"],
        banks=choices["banks"],
        stages=stages,
        statuses=[quiz.status, *(target for target, _label in Quiz.workflow.choices(quiz, request.user))],
    )
    rules = quiz_rules_from(request.POST) if request.method == "POST" else list(quiz.draw_rules)
    if request.method == "POST" and form.is_valid():
        changes = _quiz_settings(form.cleaned_data)
        current = [
            {"topic": r.get("topic") or "", "difficulty": r.get("difficulty"), "count": int(r.get("count") or 0)}
            for r in quiz.draw_rules
        ]
        typed = [
            {
                "topic": r["topic"],
                "difficulty": int_or_none(r["difficulty"]),
                "count": int_or_none(r["count"]) or r["count"],
            }
            for r in rules
        ]
        if typed != current:
            changes["draw_rules"] = rules
        try:
            services.quiz_update(quiz=quiz, by=request.user, **changes)
        except FAILED as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The quiz is saved."))
            return redirect("practice:manage_quiz", quiz.pk)
    return _quiz_page(request, form=form, quiz=quiz, rules=rules, choices=choices)


@login_required
@require_POST
def manage_quiz_feed(request, quiz_id: int):
    officer_only(request)
    quiz = selectors.quiz_managed_or_404(request.user, quiz_id)
    try:
        n = services.quiz_theory_feed(quiz=quiz, by=request.user)
    except FAILED as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Theory scores set for %(n)d competitors.") % {"n": n})
    return redirect("practice:manage_quiz", quiz.pk)


# --- statistics -------------------------------------------------------------------------------------------------


def _subject(request: HttpRequest) -> stats.Subject:
    """What the statistics cover: ?subject=kind:id, or ?org=, ?quiz=, ?campaign= (any kind a
    source registered); by default the officer's own (outermost) organisation."""
    kinds = ["org", *(s.kind for s in stats.sources())]
    kind, _sep, pk = (request.GET.get("subject") or "").partition(":")
    if kind in kinds and int_or_none(pk):
        return stats.subject_for(request.user, kind, int_or_none(pk))
    for kind in kinds:
        if int_or_none(request.GET.get(kind)):
            return stats.subject_for(request.user, kind, int_or_none(request.GET.get(kind)))
    tops = top_managed_organisations(request.user)
    if not tops:
        raise Http404("not found")
    return stats.Subject.for_org(tops[0])


@login_required
def manage_stats(request):
    officer_only(request)
    subject = _subject(request)
    rep = stats.report(subject)
    page = paginate(request, rep.unit_rows, per_page=50)
    user = request.user
    org_ids = list(
        managed_organisations(user)
        .exclude(kind=Organisation.Kind.GRASSROOTS)
        .values_list("pk", flat=True)[:ORG_CHOICES]
    )
    current = subject.obj
    org_pk = current.pk if subject.kind == "org" else 0
    organisations = Organisation.objects.filter(Q(pk__in=org_ids) | Q(pk=org_pk))
    subject_choices = [
        (
            _("All practice of the workers of a union"),
            [(f"org:{o.pk}", o.name) for o in organisations.order_by("path")],
        ),
        *[
            (str(s.label), [(f"{s.kind}:{o.pk}", str(o)) for o in s.managed(user).order_by("-id")[:200]])
            for s in stats.sources()
        ],
    ]
    return render(
        request,
        "practice/officer/stats.html",
        {
            "rep": rep,
            "subject": subject,
            "selected": f"{subject.kind}:{current.pk}",
            "subject_choices": subject_choices,
            "page": page,
            "chart": rep.chart_data(),
            "export_query": urlencode({"subject": f"{subject.kind}:{current.pk}"}),
        },
    )


@login_required
def manage_stats_export(request):
    officer_only(request)
    subject = _subject(request)
    data = stats.workbook(stats.report_sheets(stats.report(subject)))
    return xlsx_bytes_response(data, f"{subject.title}-statistics.xlsx")

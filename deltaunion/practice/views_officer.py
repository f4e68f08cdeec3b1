"""Officers' practice pages: question banks, quizzes, points campaigns, moderation, statistics.

Every page needs a signed-in officer: a user who manages no organisation gets 404. Objects
are fetched among those of the organisations the officer manages (`stats.managed`) through
`get_for_user_or_404`, so another organisation's bank, quiz or campaign is the same 404 as a
missing one, even when it is public. Views parse input, call a service or a selector and
render; a service's ValidationError or PermissionDenied becomes a message and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, Sum
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deltaunion.contests.models import Contest, ContestFormat, Stage
from deltaunion.core.excel import build_workbook, xlsx_bytes_response, xlsx_response
from deltaunion.core.views import import_report_download, import_report_store, paginate
from deltaunion.orgs.models import Organisation
from deltaunion.orgs.scoping import get_for_user_or_404, history_for_manager, scope_for
from deltaunion.practice import presets, selectors, services, stats
from deltaunion.practice.forms_officer import (
    OPTION_LETTERS,
    QUIZ_STATUS_CHOICES,
    REPORT_STATUS_CHOICES,
    RULE_COLUMNS,
    BankForm,
    BankImportForm,
    CampaignForm,
    EnrolForm,
    QuestionForm,
    QuizForm,
    ReasonForm,
    TeamForm,
    campaign_rule_from,
    campaign_rules_from,
    quiz_rules_from,
)
from deltaunion.practice.models import (
    AbuseReport,
    Campaign,
    CampaignMember,
    Comment,
    Difficulty,
    Post,
    Question,
    QuestionBank,
    QuestionKind,
    Quiz,
)
from deltaunion.practice.questions import CHOICE_KINDS, indices_to_letters
from deltaunion.practice.services.banks import IMPORT_OPTIONAL, IMPORT_REQUIRED

FAILED = (ValidationError, PermissionDenied)
ORG_CHOICES = 1000
# The Wuyi county weight-loss campaign (seeds/004), offered as a starting point.
WUYI_PRESET = presets.WUYI_RULES


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(exc) or _("You may not do this")


def _int(value: Any) -> int | None:
    value = str(value or "").strip()
    return int(value) if value.isdigit() else None


def _officer(request: HttpRequest) -> None:
    """Officers only: a user who manages no organisation gets the same 404 as a missing page."""
    if not scope_for(request.user).is_manager:
        raise Http404("not found")


def _mine(qs, request: HttpRequest, pk: int):
    """One object of an organisation the officer manages, or 404."""
    return get_for_user_or_404(stats.managed(qs, request.user), request.user, pk=pk)


def _orgs(request: HttpRequest):
    return stats.managed_organisations(request.user)[:ORG_CHOICES]


def _org_choices(request: HttpRequest):
    ids = list(stats.managed_organisations(request.user).values_list("pk", flat=True)[:ORG_CHOICES])
    return Organisation.objects.filter(pk__in=ids).order_by("path")


def _labelled(objects, attr: str, choices, name: str):
    """Set `name` on each object to the officers' label of its `attr` (see forms_officer)."""
    labels = dict(choices)
    objects = list(objects)
    for obj in objects:
        setattr(obj, name, labels.get(getattr(obj, attr), getattr(obj, attr)))
    return objects


def _back(request: HttpRequest, default: str) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    nxt = request.POST.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return default


# --- the hub ----------------------------------------------------------------------------------------


@login_required
def manage_home(request):
    _officer(request)
    user = request.user
    banks = stats.banks_managed(user)
    quizzes = stats.quizzes_managed(user)
    campaigns = stats.campaigns_managed(user)
    return render(
        request,
        "practice/officer/home.html",
        {
            "n_banks": banks.count(),
            "n_questions": Question.objects.filter(bank__in=banks.values("pk")).count(),
            "n_quizzes": quizzes.count(),
            "n_open_quizzes": quizzes.filter(status=Quiz.Status.OPEN).count(),
            "n_campaigns": campaigns.count(),
            "n_reports": stats.open_reports(user).count(),
            "n_hidden": stats.managed(Post.objects.filter(status=Post.Status.HIDDEN), user).count()
            + stats.managed(Comment.objects.filter(status=Post.Status.HIDDEN), user).count(),
            "quizzes": _labelled(quizzes.order_by("-id")[:5], "status", QUIZ_STATUS_CHOICES, "status_label"),
            "campaigns": campaigns.order_by("-id")[:5],
            "top_orgs": stats.top_organisations(user),
        },
    )


# --- question banks -----------------------------------------------------------------------------


def _bank_list(request: HttpRequest):
    qs = stats.banks_managed(request.user)
    owner = _int(request.GET.get("owner"))
    if owner:
        org = stats.managed_organisations(request.user).filter(pk=owner).first()
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
    _officer(request)
    qs, filters = _bank_list(request)
    trades = (
        stats.managed(QuestionBank.objects.exclude(trade=""), request.user)
        .order_by("trade")
        .values_list("trade", flat=True)
        .distinct()
    )
    return render(
        request,
        "practice/officer/banks.html",
        {"page": paginate(request, qs), "filters": filters, "organisations": _orgs(request), "trades": trades},
    )


@login_required
def manage_banks_export(request):
    _officer(request)
    qs, _filters = _bank_list(request)
    headers = [_("Name"), _("Owner"), _("Trade"), _("National occupation code"), _("Questions"), _("Open for practice")]
    rows = (
        (b.name, b.owner.name, b.trade, b.occupation_code, b.n_questions, _("Yes") if b.published else _("No"))
        for b in qs.iterator(chunk_size=500)
    )
    return xlsx_response("question-banks.xlsx", headers, rows, title=_("Question banks"))


@login_required
def manage_bank_create(request):
    _officer(request)
    form = BankForm(request.POST or None, organisations=_org_choices(request))
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            bank = services.bank_create(
                owner=cd["owner"],
                name=cd["name"],
                by=request.user,
                trade=cd["trade"],
                occupation_code=cd["occupation_code"],
                description=cd["description"],
                published=cd["published"],
            )
        except FAILED as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("The bank is created. Add questions one by one or import them from Excel."))
            return redirect("practice:manage_bank", bank.pk)
    return render(request, "practice/officer/bank_form.html", {"form": form})


def _answer_text(q: Question) -> str:
    if q.kind in CHOICE_KINDS:
        return indices_to_letters(q.answer)
    if q.kind == QuestionKind.TRUE_FALSE:
        return _("True") if q.answer else _("False")
    return " | ".join(q.answer)


@login_required
def manage_bank(request, bank_id: int):
    _officer(request)
    bank = _mine(QuestionBank.objects.select_related("owner"), request, bank_id)
    qs = Question.objects.filter(bank=bank).order_by("topic", "id")
    topic = (request.GET.get("topic") or "").strip()
    kind = request.GET.get("kind") or ""
    difficulty = _int(request.GET.get("difficulty"))
    q = (request.GET.get("q") or "").strip()
    if topic:
        qs = qs.filter(topic=topic)
    if kind in QuestionKind.values:
        qs = qs.filter(kind=kind)
    if difficulty:
        qs = qs.filter(difficulty=difficulty)
    if q:
        qs = qs.filter(stem__icontains=q)
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
            "pool": stats.pool_table(bank),
            "n_quizzes": Quiz.objects.filter(bank=bank).count(),
        },
    )


@login_required
def manage_bank_export(request, bank_id: int):
    _officer(request)
    bank = _mine(QuestionBank.objects.all(), request, bank_id)
    headers, rows = services.questions_export_rows(bank)
    return xlsx_response(f"{bank.name}.xlsx", headers, rows, title=_("Questions"))


@login_required
def manage_question_add(request, bank_id: int):
    _officer(request)
    bank = _mine(QuestionBank.objects.select_related("owner"), request, bank_id)
    initial = {k: request.GET[k] for k in ("kind", "topic", "difficulty") if request.GET.get(k)}
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            services.question_add(
                bank=bank,
                by=request.user,
                kind=cd["kind"],
                topic=cd["topic"],
                stem=cd["stem"],
                options=cd["options"],
                answer=cd["answer"],
                difficulty=cd["difficulty"],
                explanation=cd["explanation"],
            )
        except FAILED as exc:
            messages.error(request, _error_text(exc))
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
    _officer(request)
    bank = _mine(QuestionBank.objects.select_related("owner"), request, bank_id)
    form = BankImportForm(request.POST or None, request.FILES or None)
    result = None
    report_key = None
    if request.method == "POST" and form.is_valid():
        result = services.questions_import(data=form.cleaned_data["file"].read(), bank=bank, by=request.user)
        if result.ok:
            messages.success(request, _("Import complete: %(n)d questions added") % {"n": result.created})
            return redirect("practice:manage_bank", bank.pk)
        report_key = import_report_store(request, result.errors)
    return render(
        request,
        "practice/officer/bank_import.html",
        {
            "bank": bank,
            "form": form,
            "result": result,
            "report_key": report_key,
            "required": IMPORT_REQUIRED,
            "optional": IMPORT_OPTIONAL,
        },
    )


@login_required
def manage_bank_import_report(request, key: str):
    _officer(request)
    return import_report_download(request, key, "question-import-errors.xlsx")


@login_required
def manage_bank_import_template(request):
    _officer(request)
    headers = ["题型", "主题", "难度", "题干", "选项A", "选项B", "选项C", "选项D", "选项E", "选项F", "答案", "解析"]
    examples = [
        [
            "单选",
            "安全生产",
            "1",
            "(示例)安全帽的主要作用是什么?",
            "防止头部受伤",
            "装饰",
            "保暖",
            "",
            "",
            "",
            "A",
            "安全帽用于防护坠落物。",
        ],
        [
            "多选",
            "安全生产",
            "2",
            "(示例)动火作业前应当做到哪些?",
            "办理动火审批",
            "清理周边可燃物",
            "配备灭火器材",
            "无需监护",
            "",
            "",
            "ABC",
            "",
        ],
        ["判断", "劳动法规", "1", "(示例)劳动合同应当以书面形式订立。", "", "", "", "", "", "", "对", ""],
        [
            "填空",
            "劳动法规",
            "3",
            "(示例)我国法定的劳动者最低就业年龄是___周岁。",
            "",
            "",
            "",
            "",
            "",
            "",
            "16|十六",
            "",
        ],
    ]
    data = build_workbook(headers, examples, title=_("Question import template"))
    return xlsx_bytes_response(data, "questions-template.xlsx")


# --- quizzes ------------------------------------------------------------------------------------------


def _quiz_list(request: HttpRequest):
    qs = stats.quizzes_managed(request.user)
    status = request.GET.get("status") or ""
    if status in Quiz.Status.values:
        qs = qs.filter(status=status)
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(contest__title__icontains=q))
    return qs.order_by("-id"), {"status": status, "q": q}


@login_required
def manage_quizzes(request):
    _officer(request)
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
    _officer(request)
    qs, _filters = _quiz_list(request)
    headers = [
        _("Quiz title"),
        _("Contest"),
        _("Question bank"),
        _("Questions per paper"),
        _("Full marks"),
        _("Status"),
        _("Opens at"),
        _("Closes at"),
        _("Participants"),
        _("Attempts"),
    ]
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


def _limited(qs, n: int = 300):
    """The first n rows of qs as a queryset that can still be filtered (form choices look up by pk)."""
    ids = list(qs.values_list("pk", flat=True)[:n])
    return qs.model.objects.filter(pk__in=ids).order_by(*qs.query.order_by)


def _quiz_choices(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    contests = stats.managed(Contest.objects.filter(format=ContestFormat.QUIZ), user).order_by("-id")
    stages = stats.managed(Stage.objects.filter(contest__format=ContestFormat.JUDGED_SKILL), user)
    return {
        "contests": _limited(contests).select_related("lead_org"),
        "organisations": _org_choices(request),
        "banks": _limited(selectors.banks_for(user).order_by("name", "id")).select_related("owner"),
        "stages": _limited(stages.order_by("-contest_id", "order")).select_related("contest"),
    }


def _rule_rows(rules: list[dict[str, Any]], blank: int = 2) -> list[dict[str, Any]]:
    rows = [
        {"topic": r.get("topic") or "", "difficulty": str(r.get("difficulty") or ""), "count": r.get("count") or ""}
        for r in rules
    ]
    return rows + [{"topic": "", "difficulty": "", "count": ""} for _i in range(blank)]


def _quiz_page(request, *, form, quiz, rules, choices):
    banks = choices["banks"] if quiz is None else QuestionBank.objects.filter(pk=quiz.bank_id)
    topics = stats.topic_counts(banks)
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
            "pool": stats.pool_table(quiz.bank) if quiz else None,
            "entries": history_for_manager(request.user, quiz, quiz.contest.lead_org) if quiz else [],
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
    _officer(request)
    choices = _quiz_choices(request)
    form = QuizForm(request.POST or None, creating=True, **choices)
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
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("The quiz is saved."))
            return redirect("practice:manage_quiz", quiz.pk)
    return _quiz_page(request, form=form, quiz=None, rules=rules, choices=choices)


@login_required
def manage_quiz(request, quiz_id: int):
    _officer(request)
    quiz = _mine(Quiz.objects.select_related("contest__lead_org", "bank", "stage__contest"), request, quiz_id)
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
        stages = (stages | Stage.objects.filter(pk=quiz.stage_id)).select_related("contest")
    form = QuizForm(
        request.POST or None,
        initial=initial,
        creating=False,
        contests=choices["contests"],
        organisations=choices["organisations"],
        banks=choices["banks"],
        stages=stages,
    )
    rules = quiz_rules_from(request.POST) if request.method == "POST" else list(quiz.draw_rules)
    if request.method == "POST" and form.is_valid():
        changes = _quiz_settings(form.cleaned_data)
        current = [
            {"topic": r.get("topic") or "", "difficulty": r.get("difficulty"), "count": int(r.get("count") or 0)}
            for r in quiz.draw_rules
        ]
        typed = [
            {"topic": r["topic"], "difficulty": _int(r["difficulty"]), "count": _int(r["count"]) or r["count"]}
            for r in rules
        ]
        if typed != current:
            changes["draw_rules"] = rules
        try:
            services.quiz_update(quiz=quiz, by=request.user, **changes)
        except FAILED as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("The quiz is saved."))
            return redirect("practice:manage_quiz", quiz.pk)
    return _quiz_page(request, form=form, quiz=quiz, rules=rules, choices=choices)


@login_required
@require_POST
def manage_quiz_feed(request, quiz_id: int):
    _officer(request)
    quiz = _mine(Quiz.objects.select_related("contest", "stage"), request, quiz_id)
    try:
        n = services.quiz_theory_feed(quiz=quiz, by=request.user)
    except FAILED as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Theory scores set for %(n)d competitors.") % {"n": n})
    return redirect("practice:manage_quiz", quiz.pk)


# --- points campaigns -----------------------------------------------------------------------------------


def _campaign_list(request: HttpRequest):
    qs = stats.campaigns_managed(request.user)
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(contest__title__icontains=q))
    return qs.order_by("-starts_on", "-id"), {"q": q}


@login_required
def manage_campaigns(request):
    _officer(request)
    qs, filters = _campaign_list(request)
    return render(request, "practice/officer/campaigns.html", {"page": paginate(request, qs), "filters": filters})


@login_required
def manage_campaigns_export(request):
    _officer(request)
    qs, _filters = _campaign_list(request)
    headers = [
        _("Campaign title"),
        _("Contest"),
        _("Starts on"),
        _("Ends on"),
        _("Total points available"),
        _("Rules"),
        _("Participants"),
    ]
    rows = (
        (c.title, c.contest.title, c.starts_on, c.ends_on, c.max_points or "", c.n_rules, c.n_members)
        for c in qs.iterator(chunk_size=500)
    )
    return xlsx_response("points-campaigns.xlsx", headers, rows, title=_("Points campaigns"))


def _campaign_rule_rows(rules: list[dict[str, Any]], blank: int = 2) -> list[dict[str, Any]]:
    rows = [{c: r.get(c) if r.get(c) is not None else "" for c in RULE_COLUMNS} for r in rules]
    return rows + [dict.fromkeys(RULE_COLUMNS, "") for _i in range(blank)]


@login_required
def manage_campaign_create(request):
    _officer(request)
    user = request.user
    contests = _limited(
        stats.managed(Contest.objects.filter(format=ContestFormat.POINTS), user).order_by("-id")
    ).select_related("lead_org")
    organisations = _org_choices(request)
    preset = request.GET.get("preset") == "wuyi"
    initial = {}
    if preset:
        initial = {"title": "全民健身减重大赛", "max_points": 490, "teams": "第一队\n第二队\n第三队"}
    form = CampaignForm(request.POST or None, initial=initial, contests=contests, organisations=organisations)
    if request.method == "POST":
        rules = campaign_rules_from(request.POST)
    else:
        rules = WUYI_PRESET if preset else []
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            campaign = services.campaign_create_in_contest(
                contest=cd["contest"],
                new_contest_lead=cd["new_contest_lead"],
                title=cd["title"],
                starts_on=cd["starts_on"],
                ends_on=cd["ends_on"],
                rules=rules,
                teams=cd["team_names"],
                max_points=cd["max_points"],
                open_to_join=cd["open_to_join"],
                by=user,
            )
        except FAILED as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("The campaign is created."))
            return redirect("practice:manage_campaign", campaign.pk)
    return render(
        request,
        "practice/officer/campaign_form.html",
        {"form": form, "rule_rows": _campaign_rule_rows(rules), "preset": preset},
    )


def _campaign(request: HttpRequest, campaign_id: int) -> Campaign:
    return _mine(Campaign.objects.select_related("contest__lead_org"), request, campaign_id)


@login_required
def manage_campaign(request, campaign_id: int):
    _officer(request)
    campaign = _campaign(request, campaign_id)
    totals = CampaignMember.objects.filter(campaign=campaign).aggregate(points=Sum("points"))
    return render(
        request,
        "practice/officer/campaign.html",
        {
            "campaign": campaign,
            "rules": list(campaign.rules.all()),
            "teams": stats.team_totals(campaign),
            "team_form": TeamForm(),
            "n_members": CampaignMember.objects.filter(campaign=campaign).count(),
            "points": totals["points"] or 0,
            "entries": history_for_manager(request.user, campaign, campaign.contest.lead_org),
        },
    )


@login_required
@require_POST
def manage_campaign_rule(request, campaign_id: int):
    _officer(request)
    campaign = _campaign(request, campaign_id)
    try:
        rule = services.campaign_rule_save(campaign=campaign, by=request.user, rule=campaign_rule_from(request.POST))
    except FAILED as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Rule %(name)s is saved.") % {"name": rule.name})
    return redirect(reverse("practice:manage_campaign", args=[campaign.pk]) + "#rules")


@login_required
@require_POST
def manage_campaign_team(request, campaign_id: int):
    _officer(request)
    campaign = _campaign(request, campaign_id)
    form = TeamForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the team a name"))
    else:
        try:
            services.campaign_team_add(campaign=campaign, name=form.cleaned_data["name"], by=request.user)
        except FAILED as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("The team is added."))
    return redirect(reverse("practice:manage_campaign", args=[campaign.pk]) + "#teams")


def _member_list(request: HttpRequest, campaign: Campaign):
    qs = CampaignMember.objects.filter(campaign=campaign).select_related("user", "team", "unit", "organisation")
    team = request.GET.get("team") or ""
    if team == "none":
        qs = qs.filter(team__isnull=True)
    elif _int(team):
        qs = qs.filter(team_id=_int(team))
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(user__full_name__icontains=q) | Q(user__username=q) | Q(unit__name__icontains=q))
    return qs.order_by("-points", "user_id"), {"team": team, "q": q}


@login_required
def manage_campaign_members(request, campaign_id: int):
    _officer(request)
    campaign = _campaign(request, campaign_id)
    qs, filters = _member_list(request, campaign)
    return render(
        request,
        "practice/officer/campaign_members.html",
        {
            "campaign": campaign,
            "page": paginate(request, qs),
            "filters": filters,
            "teams": campaign.teams.all(),
            "enrol_form": EnrolForm(campaign=campaign),
        },
    )


@login_required
def manage_campaign_members_export(request, campaign_id: int):
    _officer(request)
    campaign = _campaign(request, campaign_id)
    qs, _filters = _member_list(request, campaign)
    headers = [_("Name"), _("Login name"), _("Campaign team"), _("Unit"), _("Union"), _("Points"), _("Joined at")]
    rows = (
        (
            m.user.full_name,
            m.user.username,
            m.team.name if m.team_id else "",
            m.unit.name if m.unit_id else "",
            m.organisation.name if m.organisation_id else "",
            m.points,
            m.joined_at,
        )
        for m in qs.iterator(chunk_size=1000)
    )
    return xlsx_response(f"{campaign.title}-members.xlsx", headers, rows, title=_("Participants"))


@login_required
@require_POST
def manage_campaign_enrol(request, campaign_id: int):
    _officer(request)
    campaign = _campaign(request, campaign_id)
    form = EnrolForm(request.POST, campaign=campaign)
    target = reverse("practice:manage_campaign_members", args=[campaign.pk])
    if not form.is_valid():
        messages.error(request, _("Enter the login name of a worker"))
        return redirect(target)
    username = form.cleaned_data["username"].strip()
    user = get_user_model().objects.filter(username=username).first()
    if user is None:  # the service refuses workers of unions the officer does not manage
        messages.error(
            request, _("No worker of the unions you manage has the login name %(name)s") % {"name": username}
        )
        return redirect(target)
    try:
        member = services.campaign_join(campaign=campaign, by=request.user, team=form.cleaned_data["team"], user=user)
    except FAILED as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("%(name)s is enrolled.") % {"name": member.user})
    return redirect(target)


@login_required
def manage_campaign_standings(request, campaign_id: int):
    _officer(request)
    campaign = _campaign(request, campaign_id)
    return render(
        request,
        "practice/officer/campaign_standings.html",
        {"campaign": campaign, "standings": stats.standings(campaign)},
    )


@login_required
def manage_campaign_standings_export(request, campaign_id: int):
    _officer(request)
    campaign = _campaign(request, campaign_id)
    data = stats.workbook(stats.standings_sheets(stats.standings(campaign)))
    return xlsx_bytes_response(data, f"{campaign.title}-awards.xlsx")


# --- moderation ---------------------------------------------------------------------------------------------


def _report_list(request: HttpRequest):
    qs = stats.managed(
        AbuseReport.objects.select_related("post__organisation", "comment", "reporter", "decided_by"), request.user
    )
    status = request.GET.get("status", AbuseReport.Status.OPEN)
    if status in AbuseReport.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id"), {"status": status}


def _masked(user) -> str:
    return selectors.mask_name(user.full_name or user.username)


@login_required
def manage_reports(request):
    _officer(request)
    qs, filters = _report_list(request)
    page = paginate(request, qs)
    return render(
        request,
        "practice/officer/reports.html",
        {
            "page": page,
            "rows": [
                (r, _masked(r.reporter)) for r in _labelled(page, "status", REPORT_STATUS_CHOICES, "status_label")
            ],
            "kind_labels": stats.post_kind_labels(),
            "filters": filters,
            "statuses": REPORT_STATUS_CHOICES,
            "tab": "reports",
            "n_open": stats.open_reports(request.user).count(),
        },
    )


@login_required
def manage_reports_export(request):
    _officer(request)
    qs, _filters = _report_list(request)
    headers = [
        _("Reported at"),
        _("Union"),
        _("Post"),
        _("Comment"),
        _("Reporter"),
        _("Reason"),
        _("Status"),
        _("Note"),
    ]
    rows = (
        (
            r.created_at,
            r.post.organisation.name,
            r.post.title,
            r.comment.body if r.comment_id else "",
            _masked(r.reporter),
            r.reason,
            dict(REPORT_STATUS_CHOICES).get(r.status, r.status),
            r.decision_note,
        )
        for r in qs.iterator(chunk_size=500)
    )
    return xlsx_response("abuse-reports.xlsx", headers, rows, title=_("Abuse reports"))


@login_required
@require_POST
def manage_report_decide(request, report_id: int):
    _officer(request)
    report = _mine(AbuseReport.objects.select_related("post__organisation", "comment"), request, report_id)
    uphold = request.POST.get("decision") == "uphold"
    try:
        services.report_decide(report=report, uphold=uphold, by=request.user, note=request.POST.get("note", ""))
    except FAILED as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Report upheld: the content is hidden.") if uphold else _("Report dismissed."))
    return redirect(_back(request, reverse("practice:manage_reports")))


def _content(request: HttpRequest, status: str):
    what = "comments" if request.GET.get("what") == "comments" else "posts"
    q = (request.GET.get("q") or "").strip()
    kind = request.GET.get("kind") or ""
    if what == "posts":
        qs = stats.managed(Post.objects.filter(status=status).select_related("author", "organisation"), request.user)
        if kind in Post.Kind.values:
            qs = qs.filter(kind=kind)
        if q:
            qs = qs.filter(Q(title__icontains=q) | Q(body__icontains=q))
        qs = qs.order_by("-created_at", "-id")
    else:
        qs = stats.managed(
            Comment.objects.filter(status=status).select_related("author", "post__organisation"), request.user
        )
        if q:
            qs = qs.filter(body__icontains=q)
        qs = qs.order_by("-created_at", "-id")
    return qs, {"what": what, "q": q, "kind": kind}


def _content_page(request: HttpRequest, qs, filters):
    page = paginate(request, qs)
    if filters["what"] == "posts":
        page.object_list = _labelled(page.object_list, "kind", stats.post_kind_labels().items(), "kind_label")
    return page


def _content_view(request, status: str, tab: str):
    _officer(request)
    qs, filters = _content(request, status)
    return render(
        request,
        "practice/officer/content.html",
        {
            "page": _content_page(request, qs, filters),
            "filters": filters,
            "kinds": list(stats.post_kind_labels().items()),
            "tab": tab,
            "hidden": status == Post.Status.HIDDEN,
            "n_open": stats.open_reports(request.user).count(),
        },
    )


@login_required
def manage_content(request):
    """Published posts and comments of the officer's unions, each with a "hide" form."""
    return _content_view(request, Post.Status.PUBLISHED, "content")


@login_required
def manage_hidden(request):
    """Hidden posts and comments, each with a "restore" form."""
    return _content_view(request, Post.Status.HIDDEN, "hidden")


def _target(request: HttpRequest):
    what = request.POST.get("what")
    pk = _int(request.POST.get("id"))
    if pk is None or what not in ("post", "comment"):
        raise Http404("not found")
    if what == "post":
        return _mine(Post.objects.select_related("organisation"), request, pk)
    return _mine(Comment.objects.select_related("post__organisation"), request, pk)


@login_required
@require_POST
def manage_content_hide(request):
    _officer(request)
    obj = _target(request)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.content_hide(obj=obj, by=request.user, reason=reason)
    except FAILED as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Hidden. It is listed under “Hidden content”, where it can be restored."))
    return redirect(_back(request, reverse("practice:manage_content")))


@login_required
@require_POST
def manage_content_restore(request):
    _officer(request)
    obj = _target(request)
    try:
        services.content_restore(obj=obj, by=request.user, reason=request.POST.get("reason", ""))
    except FAILED as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Restored: it is visible again."))
    return redirect(_back(request, reverse("practice:manage_hidden")))


# --- statistics -------------------------------------------------------------------------------------------------


def _subject(request: HttpRequest) -> stats.Subject:
    """What the statistics cover: ?quiz=, ?campaign=, ?org= or ?subject=kind:id; by default the
    officer's own (outermost) organisation."""
    kind, _sep, pk = (request.GET.get("subject") or "").partition(":")
    params = {kind: pk} if kind in ("quiz", "campaign", "org") else request.GET
    if _int(params.get("quiz")):
        quiz = _mine(Quiz.objects.select_related("contest"), request, _int(params.get("quiz")))
        return stats.Subject.for_quiz(quiz)
    if _int(params.get("campaign")):
        return stats.Subject.for_campaign(_campaign(request, _int(params.get("campaign"))))
    if _int(params.get("org")):
        org = stats.managed_organisations(request.user).filter(pk=_int(params.get("org"))).first()
        if org is None:
            raise Http404("not found")
        return stats.Subject.for_org(org)
    tops = stats.top_organisations(request.user)
    if not tops:
        raise Http404("not found")
    return stats.Subject.for_org(tops[0])


@login_required
def manage_stats(request):
    _officer(request)
    subject = _subject(request)
    rep = stats.report(subject)
    page = paginate(request, rep.unit_rows, per_page=50)
    user = request.user
    org_ids = list(
        stats.managed_organisations(user)
        .exclude(kind=Organisation.Kind.GRASSROOTS)
        .values_list("pk", flat=True)[:ORG_CHOICES]
    )
    current = {"quiz": subject.quiz, "campaign": subject.campaign, "org": subject.org}[subject.kind]
    organisations = Organisation.objects.filter(Q(pk__in=org_ids) | Q(pk=getattr(subject.org, "pk", 0)))
    subject_choices = [
        (
            _("All practice of the workers of a union"),
            [(f"org:{o.pk}", o.name) for o in organisations.order_by("path")],
        ),
        (
            _("Quizzes"),
            [(f"quiz:{z.pk}", z.title) for z in stats.managed(Quiz.objects.all(), user).order_by("-id")[:200]],
        ),
        (
            _("Points campaigns"),
            [(f"campaign:{c.pk}", c.title) for c in stats.managed(Campaign.objects.all(), user).order_by("-id")[:200]],
        ),
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
    _officer(request)
    subject = _subject(request)
    data = stats.workbook(stats.report_sheets(stats.report(subject)))
    return xlsx_bytes_response(data, f"{subject.title}-statistics.xlsx")

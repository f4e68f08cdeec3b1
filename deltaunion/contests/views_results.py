"""Pages about how results are made and checked: the contest's scoring rule (评分规则) with its
worked example, the printable result sheet, and a module's marks where the chief judge voids
a stray one. Thin views: selectors read, services write, `can` decides."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from deltaunion.contests import scoring, selectors
from deltaunion.contests.models import Contest, ContestFormat, Mark, ResultSet
from deltaunion.contests.services.marking import mark_void
from deltaunion.contests.services.results import result_integrity_alert
from deltaunion.core.excel import build_workbook_sheets, xlsx_bytes_response
from deltaunion.core.pdf import table_pdf
from deltaunion.core.permissions import require


def rules_view(request, contest_id: int):
    """The scoring rule of a contest, for everyone who may see the contest."""
    contest = selectors.contest_for_user_or_404(request.user, contest_id)
    judged = contest.format == ContestFormat.JUDGED_SKILL
    stages = [
        (stage, selectors.stage_scheme(stage))
        for stage in (contest.stages.select_related("contest").order_by("order") if judged else [])
    ]
    tie_breaks = stages[0][1].tie_breaks if stages else tuple(contest.tie_breaks or scoring.DEFAULT_TIE_BREAKS)
    return render(
        request,
        "contests/rules.html",
        {
            "contest": contest,
            "judged": judged,
            "stages": stages,
            "example": scoring.worked_example(contest.theory_weight, contest.practical_weight),
            "tie_breaks": selectors.tie_break_labels(tie_breaks),
            "rules_version": scoring.RULES_VERSION,
            "theory_percent": contest.theory_weight * 100,
            "practical_percent": contest.practical_weight * 100,
        },
    )


@login_required
def results_pdf_view(request, stage_id: int):
    """The result sheets as a PDF, for the same people as the Excel sheets."""
    stage = selectors.stage_for_user_or_404(request.user, stage_id)
    require(request.user, "contests.manage_scores", stage)
    data = table_pdf(
        title=f"{stage.contest.title} · {stage.name}",
        subtitle=_("Result sheet. Scoring rule version %(version)s: every figure rounded to 2 places, half up.")
        % {"version": scoring.RULES_VERSION},
        sections=selectors.results_workbook(stage),
        wide=True,
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename=results-{stage.pk}.pdf"
    return response


@login_required
def module_marks_view(request, module_id: int):
    """Every mark of a module (secret numbers only) for the chief judge and the organisers;
    the chief judge voids a stray mark here, with a reason, before sign-off."""
    module = selectors.module_for_user_or_404(request.user, module_id)
    require(request.user, "contests.manage_scores", module)
    if request.method == "POST":
        mark = Mark.objects.filter(pk=_int(request.POST.get("mark")), aspect__module=module).first()
        if mark is None:
            raise Http404("not found")
        try:
            mark_void(mark=mark, reason=request.POST.get("reason", ""), by=request.user)
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, _("The mark of %(number)s is voided") % {"number": mark.secret_number.number})
        return redirect(reverse("contests:module_marks", args=[module.pk]))
    stage = module.stage
    return render(
        request,
        "contests/module_marks.html",
        {
            "module": module,
            "stage": stage,
            "contest": stage.contest,
            "access": selectors.stage_access(stage, request.user),
            "marks": selectors.module_marks(module),
        },
    )


def _int(value: object) -> int:
    text = str(value or "").strip()
    return int(text) if text.isdigit() else 0


def results_integrity(result_set: ResultSet | None) -> dict[str, Any]:
    """For the public results page: whether the published results verify (`integrity_problems`,
    empty when they do). A failure is reported to the contest's managers (once per problem set)."""
    if result_set is None:
        return {"integrity_problems": []}
    problems = selectors.published_results_check(result_set)
    if problems:
        with translation.override(settings.LANGUAGE_CODE):  # the managers read the site's language
            told = selectors.published_results_check(result_set)
        result_integrity_alert(result_set=result_set, problems=told)
    return {"integrity_problems": problems}


def chain_integrity(report: selectors.ChainReport, contest: Contest) -> None:
    """A broken chain seen on the chain page is reported like one seen on a results page."""
    if not report.ok:
        latest = selectors.final_result_sets(contest).last()
        if latest is not None:
            problems = report.problems
            if translation.get_language() != settings.LANGUAGE_CODE:  # the managers read the site's language
                with translation.override(settings.LANGUAGE_CODE):
                    problems = selectors.result_chain_verify(contest).problems
            result_integrity_alert(result_set=latest, problems=problems)


@login_required
def results_export(request, stage_id: int) -> HttpResponse:
    """The result sheets as Excel: ranking with every component, aspect marks, the rule."""
    stage = selectors.stage_for_user_or_404(request.user, stage_id)
    require(request.user, "contests.manage_scores", stage)
    return xlsx_bytes_response(build_workbook_sheets(selectors.results_workbook(stage)), f"results-{stage.pk}.xlsx")

"""Format strategies: how a stage's competitors get a score. Everything else (registration,
stages, ranking, result sets, appeals, notice, awards, certificates) is shared.

A strategy turns a stage into `scoring.CompetitorScore`s keyed by an anonymous key (the
secret number). To add a format, write a class with the same two methods and register it.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Protocol

from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from deltaunion.contests import scoring
from deltaunion.contests.models import Aspect, ContestFormat, Mark, Module, SecretNumber, Stage


class ScoringStrategy(Protocol):
    format: str

    def competitor_scores(self, stage: Stage, *, confirmed_only: bool = True) -> list[scoring.CompetitorScore]: ...

    def tie_breaks(self, stage: Stage) -> tuple[str, ...]: ...


class JudgedSkillStrategy:
    """Theory exam + practical marking scheme, weighted (default 30/70)."""

    format = ContestFormat.JUDGED_SKILL

    def tie_breaks(self, stage: Stage) -> tuple[str, ...]:
        configured = stage.contest.tie_breaks
        return tuple(configured) if configured else scoring.DEFAULT_TIE_BREAKS

    def competitor_scores(self, stage: Stage, *, confirmed_only: bool = True) -> list[scoring.CompetitorScore]:
        contest = stage.contest
        module_ids = list(Module.objects.filter(stage=stage).order_by("order").values_list("id", flat=True))
        aspects = {
            a["id"]: a for a in Aspect.objects.filter(module__stage=stage).values("id", "module_id", "kind", "max_mark")
        }
        practical_max = sum((a["max_mark"] for a in aspects.values()), Decimal(0))
        marks = Mark.objects.filter(aspect__module__stage=stage)
        if confirmed_only:
            marks = marks.filter(status=Mark.Status.CONFIRMED)
        per_number: dict[int, dict[int, Decimal]] = defaultdict(lambda: dict.fromkeys(module_ids, Decimal(0)))
        for row in marks.values_list("secret_number_id", "aspect_id").annotate(s=Sum("mark"), n=Count("id")):
            number_id, aspect_id, total, n = row
            aspect = aspects[aspect_id]
            if aspect["kind"] == Aspect.Kind.JUDGEMENT:
                value = scoring.judgement_mark_from_sum(aspect["max_mark"], total, n)
            else:
                value = scoring.q2(total)
            per_number[number_id][aspect["module_id"]] += value
        out = []
        for number_id, number, theory in SecretNumber.objects.filter(stage=stage).values_list(
            "id", "number", "theory_score"
        ):
            modules = tuple(per_number[number_id][m] for m in module_ids) if number_id in per_number else ()
            modules = modules or tuple(Decimal("0.00") for _m in module_ids)
            practical = sum(modules, Decimal("0.00"))
            total = scoring.weighted_total(
                theory=theory,
                theory_max=stage.theory_max,
                practical=practical,
                practical_max=practical_max or Decimal(1),
                theory_weight=contest.theory_weight,
                practical_weight=contest.practical_weight,
            )
            out.append(
                scoring.CompetitorScore(
                    key=number,
                    total=total,
                    modules=modules,
                    theory=theory,
                    practical=practical,
                    extra={"id": number_id},
                )
            )
        return out


STRATEGIES: dict[str, ScoringStrategy] = {ContestFormat.JUDGED_SKILL: JudgedSkillStrategy()}


def strategy_for(stage_or_format: Stage | str) -> ScoringStrategy:
    fmt = stage_or_format if isinstance(stage_or_format, str) else stage_or_format.contest.format
    try:
        return STRATEGIES[fmt]
    except KeyError:
        raise ValidationError(_("Scoring for this contest format is not available yet")) from None

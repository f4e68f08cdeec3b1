"""Re-check, appeals, public notice, final results with their hash chain, awards, certificates."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deltaunion.contests import scoring
from deltaunion.contests.models import (
    Appeal,
    Award,
    Certificate,
    Contest,
    ContestRole,
    Mark,
    Module,
    Objection,
    PrizeTier,
    PromotionRule,
    Recheck,
    RecheckItem,
    Registration,
    ResultRow,
    ResultSet,
    SecretNumber,
    Stage,
    TitleRule,
)
from deltaunion.core.audit import log_action, snapshot
from deltaunion.people.models import SkillLevelRecord

from ._common import has_role, manages_contest, now_or, require_contest_manager, require_role, sha256_hex
from .marking import mark_remark

CERTIFICATE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def _require_chief_or_manager(contest: Contest, user: Any) -> None:
    if not (has_role(contest, user, ContestRole.Kind.CHIEF_JUDGE) or manages_contest(contest, user)):
        raise PermissionDenied(_("Only the chief judge or the organisers can do this"))


def _all_signed_off(stage: Stage) -> bool:
    modules = Module.objects.filter(stage=stage)
    return modules.exists() and not modules.filter(signed_off_at__isnull=True).exists()


# --- re-check -----------------------------------------------------------------------


@transaction.atomic
def recheck_start(*, stage: Stage, by: Any, seed: str | None = None) -> Recheck:
    """Pick the scores to re-check: all of the top places plus a seeded random share of the
    rest (contest settings, default top 10 + 15%). The seed is recorded on the re-check."""
    from deltaunion.contests.selectors import stage_ranking

    contest = stage.contest
    _require_chief_or_manager(contest, by)
    stage = Stage.objects.select_for_update().get(pk=stage.pk)
    if not _all_signed_off(stage):
        raise ValidationError(_("Every module must be signed off before the re-check"))
    if Recheck.objects.filter(stage=stage, status=Recheck.Status.OPEN).exists():
        raise ValidationError(_("A re-check is already under way"))
    seed = seed or secrets.token_hex(16)
    ranked = stage_ranking(stage)
    top, sample = scoring.recheck_sample(
        [r.score.key for r in ranked], top=contest.recheck_top, share=contest.recheck_share, seed=seed
    )
    recheck = Recheck.objects.create(
        stage=stage, seed=seed, top_n=contest.recheck_top, share=contest.recheck_share, created_by=by
    )
    ids = dict(SecretNumber.objects.filter(stage=stage).values_list("number", "id"))
    RecheckItem.objects.bulk_create(
        [RecheckItem(recheck=recheck, secret_number_id=ids[k], reason=RecheckItem.Reason.TOP) for k in top]
        + [RecheckItem(recheck=recheck, secret_number_id=ids[k], reason=RecheckItem.Reason.SAMPLE) for k in sample]
    )
    log_action(
        actor=by,
        action="recheck.start",
        obj=stage,
        after={"recheck": recheck.pk, "seed": seed, "top": top, "sample": sample},
    )
    return recheck


@transaction.atomic
def recheck_item_record(*, item: RecheckItem, error_found: bool, by: Any, note: str = "") -> RecheckItem:
    """Record one re-checked score. A wrong score is then corrected with mark_remark."""
    _require_chief_or_manager(item.recheck.stage.contest, by)
    item = RecheckItem.objects.select_for_update().select_related("recheck").get(pk=item.pk)
    if item.recheck.status != Recheck.Status.OPEN:
        raise ValidationError(_("This re-check is closed"))
    if error_found and not note.strip():
        raise ValidationError(_("Describe the error found"))
    before = snapshot(item, ["checked_at", "error_found", "note"])
    item.checked_at, item.checked_by, item.error_found, item.note = timezone.now(), by, error_found, note.strip()[:300]
    item.save()
    log_action(
        actor=by,
        action="recheck.item",
        obj=item,
        before=before,
        after=snapshot(item, ["checked_at", "error_found", "note"]),
    )
    return item


@transaction.atomic
def recheck_complete(*, recheck: Recheck, by: Any) -> Recheck:
    """Close a re-check. Error rate above the limit (default 5%) fails it and opens a full
    re-check of every competitor, which is returned instead."""
    stage = recheck.stage
    _require_chief_or_manager(stage.contest, by)
    recheck = Recheck.objects.select_for_update().get(pk=recheck.pk)
    if recheck.status != Recheck.Status.OPEN:
        raise ValidationError(_("This re-check is closed"))
    items = recheck.items.all()
    pending = items.filter(checked_at__isnull=True).count()
    if pending:
        raise ValidationError(_("%(n)d scores are still to be re-checked") % {"n": pending})
    recheck.checked = items.count()
    recheck.errors = items.filter(error_found=True).count()
    recheck.completed_at = timezone.now()
    failed = not recheck.full and scoring.needs_full_recheck(
        recheck.checked, recheck.errors, stage.contest.recheck_error_limit
    )
    recheck.status = Recheck.Status.FAILED if failed else Recheck.Status.PASSED
    recheck.save()
    log_action(
        actor=by,
        action="recheck.complete",
        obj=stage,
        after={"recheck": recheck.pk, "checked": recheck.checked, "errors": recheck.errors, "status": recheck.status},
    )
    if not failed:
        return recheck
    full = Recheck.objects.create(stage=stage, full=True, top_n=0, share=1, created_by=by)
    RecheckItem.objects.bulk_create(
        [
            RecheckItem(recheck=full, secret_number_id=sid, reason=RecheckItem.Reason.FULL)
            for sid in SecretNumber.objects.filter(stage=stage).values_list("id", flat=True)
        ]
    )
    log_action(actor=by, action="recheck.full", obj=stage, after={"recheck": full.pk})
    return full


# --- appeals ------------------------------------------------------------------------


def appeal_deadline(stage: Stage) -> dt.datetime | None:
    if stage.ends_at is None:
        return None
    return stage.ends_at + dt.timedelta(minutes=stage.contest.appeal_window_minutes)


@transaction.atomic
def appeal_open(stage: Stage, now: dt.datetime | None = None) -> bool:
    """Appeals are taken until the deadline, and never once the results are final."""
    deadline = appeal_deadline(stage)
    if deadline is None or now_or(now) > deadline:
        return False
    return not ResultSet.objects.filter(stage=stage, status=ResultSet.Status.FINAL).exists()


def appeal_file(*, registration: Registration, reason: str, by: Any, now: dt.datetime | None = None) -> Appeal:
    """The competitor's team leader appeals, within the window after the stage ends."""
    now = now_or(now)
    stage = registration.stage
    if registration.leader_id is None or registration.leader_id != getattr(by, "pk", None):
        raise PermissionDenied(_("Only the competitor's team leader can appeal"))
    if not (reason or "").strip():
        raise ValidationError(_("Give the grounds of the appeal"))
    deadline = appeal_deadline(stage)
    if deadline is None:
        raise ValidationError(_("The stage has no end time, so appeals are not open"))
    if now > deadline:
        raise ValidationError(
            _("The appeal window closed at %(deadline)s")
            % {"deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")}
        )
    if ResultSet.objects.filter(stage=stage, status=ResultSet.Status.FINAL).exists():
        raise ValidationError(_("The results are final"))
    appeal = Appeal.objects.create(
        stage=stage, registration=registration, filed_by=by, filed_at=now, reason=reason.strip()
    )
    log_action(actor=by, action="appeal.file", obj=appeal, after=snapshot(appeal))
    return appeal


@transaction.atomic
def appeal_rule(
    *,
    appeal: Appeal,
    upheld: bool,
    ruling: str,
    by: Any,
    remarks: Iterable[tuple[Mark, Any]] = (),
) -> Appeal:
    """The arbitration group records its ruling. Mark changes go through mark_remark (audited),
    each with the ruling as its reason; a dismissed appeal changes no mark."""
    require_role(appeal.stage.contest, by, ContestRole.Kind.ARBITER)
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status != Appeal.Status.PENDING:
        raise ValidationError(_("This appeal has already been ruled on"))
    ruling = (ruling or "").strip()
    if not ruling:
        raise ValidationError(_("Write the ruling"))
    remarks = list(remarks)
    if remarks and not upheld:
        raise ValidationError(_("A dismissed appeal cannot change marks"))
    for mark, _value in remarks:
        if mark.secret_number.stage_id != appeal.stage_id:
            raise ValidationError(_("The mark belongs to another stage"))
    before = snapshot(appeal)
    for mark, value in remarks:
        mark_remark(
            mark=mark, value=value, reason=_("Appeal %(id)d: %(ruling)s") % {"id": appeal.pk, "ruling": ruling}, by=by
        )
    appeal.status = Appeal.Status.UPHELD if upheld else Appeal.Status.DISMISSED
    appeal.ruling = ruling
    appeal.ruled_by = by
    appeal.ruled_at = timezone.now()
    appeal.marks_changed = len(remarks)
    appeal.save()
    log_action(actor=by, action="appeal.rule", obj=appeal, before=before, after=snapshot(appeal))
    return appeal


# --- publication and the hash chain ---------------------------------------------------


def result_content(stage: Stage) -> dict[str, Any]:
    """The canonical content of a stage's results (JSON-safe; Decimals as strings)."""
    from deltaunion.contests.selectors import stage_results

    rows = stage_results(stage)
    return {
        "contest": {"id": stage.contest_id, "title": stage.contest.title},
        "stage": {"id": stage.pk, "name": stage.name, "level": stage.level},
        "weights": {"theory": str(stage.contest.theory_weight), "practical": str(stage.contest.practical_weight)},
        "rows": [
            {
                "registration": r["registration_id"],
                "number": r["number"],
                "name": r["name"],
                "organisation": r["organisation"],
                "rank": r["rank"],
                "total": str(r["total"]),
                "theory": None if r["theory"] is None else str(r["theory"]),
                "practical": str(r["practical"]),
                "modules": [str(m) for m in r["modules"]],
                "standardised": None if r["standardised"] is None else str(r["standardised"]),
            }
            for r in rows
        ],
    }


@transaction.atomic
def result_set_publish(*, stage: Stage, by: Any, now: dt.datetime | None = None) -> ResultSet:
    """Put a revealed stage's results on public notice for the contest's notice period."""
    now = now_or(now)
    contest = stage.contest
    require_contest_manager(contest, by)
    stage = Stage.objects.select_for_update().get(pk=stage.pk)
    if stage.revealed_at is None:
        raise ValidationError(_("Reveal the stage before publishing its results"))
    latest = Recheck.objects.filter(stage=stage).order_by("-id").first()
    if latest is None or latest.status != Recheck.Status.PASSED:
        raise ValidationError(_("The scores must pass a re-check before publication"))
    if Appeal.objects.filter(stage=stage, status=Appeal.Status.PENDING).exists():
        raise ValidationError(_("Appeals are still pending"))
    deadline = appeal_deadline(stage)
    if deadline is not None and now <= deadline:
        raise ValidationError(_("The appeal window is still open"))
    if ResultSet.objects.filter(stage=stage, status__in=[ResultSet.Status.NOTICE, ResultSet.Status.FINAL]).exists():
        raise ValidationError(_("The results are already published"))
    content = result_content(stage)
    result_set = ResultSet.objects.create(
        contest=contest,
        stage=stage,
        content=content,
        published_at=now,
        published_by=by,
        notice_until=now + dt.timedelta(days=contest.notice_days),
    )
    ResultRow.objects.bulk_create(
        [
            ResultRow(
                result_set=result_set,
                registration_id=r["registration"],
                number=r["number"],
                rank=r["rank"],
                total=r["total"],
                theory=r["theory"],
                practical=r["practical"],
                standardised=r["standardised"],
                name=r["name"][:100],
                organisation_name=r["organisation"][:120],
            )
            for r in content["rows"]
        ],
        batch_size=500,
    )
    stage.status = Stage.Status.NOTICE
    stage.save(update_fields=["status", "updated_at"])
    log_action(
        actor=by,
        action="result_set.publish",
        obj=result_set,
        after={"stage": stage.pk, "rows": len(content["rows"]), "notice_until": result_set.notice_until.isoformat()},
    )
    return result_set


@transaction.atomic
def result_set_withdraw(*, result_set: ResultSet, reason: str, by: Any) -> ResultSet:
    """Take results off notice (e.g. an upheld objection) so marks can be corrected and republished."""
    require_contest_manager(result_set.contest, by)
    result_set = ResultSet.objects.select_for_update().get(pk=result_set.pk)
    if result_set.status != ResultSet.Status.NOTICE:
        raise ValidationError(_("Only results on notice can be withdrawn; final results are immutable"))
    if not (reason or "").strip():
        raise ValidationError(_("Give a reason for withdrawing the results"))
    result_set.status = ResultSet.Status.WITHDRAWN
    result_set.save(update_fields=["status"])
    Stage.objects.filter(pk=result_set.stage_id).update(status=Stage.Status.REVEALED)
    Recheck.objects.filter(stage_id=result_set.stage_id, status=Recheck.Status.PASSED).update(
        status=Recheck.Status.FAILED
    )
    log_action(actor=by, action="result_set.withdraw", obj=result_set, after={"status": result_set.status}, note=reason)
    return result_set


@transaction.atomic
def objection_file(
    *, result_set: ResultSet, text: str, by: Any = None, contact: str = "", now: dt.datetime | None = None
) -> Objection:
    """Anyone (signed in or not, with a contact) may object while results are on notice."""
    now = now_or(now)
    if result_set.status != ResultSet.Status.NOTICE or now > result_set.notice_until:
        raise ValidationError(_("These results are not on public notice"))
    if not (text or "").strip():
        raise ValidationError(_("Write the objection"))
    user = by if getattr(by, "is_authenticated", False) else None
    if user is None and not contact.strip():
        raise ValidationError(_("Leave a contact so that the organisers can answer"))
    objection = Objection.objects.create(
        result_set=result_set, filed_by=user, contact=contact.strip()[:100], text=text.strip()
    )
    log_action(actor=user, action="objection.file", obj=objection, after={"result_set": result_set.pk})
    return objection


@transaction.atomic
def objection_resolve(*, objection: Objection, upheld: bool, response: str, by: Any) -> Objection:
    require_contest_manager(objection.result_set.contest, by)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.status != Objection.Status.OPEN:
        raise ValidationError(_("This objection has already been answered"))
    if not (response or "").strip():
        raise ValidationError(_("Write a response"))
    objection.status = Objection.Status.UPHELD if upheld else Objection.Status.DISMISSED
    objection.response = response.strip()
    objection.resolved_by = by
    objection.resolved_at = timezone.now()
    objection.save()
    log_action(actor=by, action="objection.resolve", obj=objection, after={"status": objection.status})
    return objection


def result_set_hash(content: dict[str, Any]) -> str:
    """SHA-256 (hex) over the canonical JSON of the content (which includes previous_hash)."""
    return sha256_hex(content)


@transaction.atomic
def result_set_finalise(*, result_set: ResultSet, by: Any, now: dt.datetime | None = None) -> ResultSet:
    """After the notice period with every objection answered (none upheld), the results become
    final: chained to the contest's previous final set, hashed, and awards are applied."""
    now = now_or(now)
    require_contest_manager(result_set.contest, by)
    # The contest row serialises appends to its chain.
    Contest.objects.select_for_update().get(pk=result_set.contest_id)
    result_set = ResultSet.objects.select_for_update().get(pk=result_set.pk)
    if result_set.status != ResultSet.Status.NOTICE:
        raise ValidationError(_("Only results on notice can become final"))
    if now < result_set.notice_until:
        raise ValidationError(
            _("The notice period runs until %(until)s")
            % {"until": timezone.localtime(result_set.notice_until).strftime("%Y-%m-%d %H:%M")}
        )
    if result_set.objections.filter(status=Objection.Status.OPEN).exists():
        raise ValidationError(_("Answer every objection first"))
    if result_set.objections.filter(status=Objection.Status.UPHELD).exists():
        raise ValidationError(_("An objection was upheld: withdraw these results and publish corrected ones"))
    previous = (
        ResultSet.objects.filter(contest_id=result_set.contest_id, status=ResultSet.Status.FINAL)
        .order_by("-chain_index")
        .first()
    )
    content = dict(result_set.content)
    content["chain_index"] = (previous.chain_index + 1) if previous else 1
    content["previous_hash"] = previous.content_hash if previous else ""
    content["finalised_at"] = now.isoformat()
    result_set.content = content
    result_set.chain_index = content["chain_index"]
    result_set.previous_hash = content["previous_hash"]
    result_set.content_hash = result_set_hash(content)
    result_set.finalised_at = now
    result_set.status = ResultSet.Status.FINAL
    result_set.save()
    Stage.objects.filter(pk=result_set.stage_id).update(status=Stage.Status.FINAL)
    log_action(
        actor=by,
        action="result_set.finalise",
        obj=result_set,
        after={
            "chain_index": result_set.chain_index,
            "hash": result_set.content_hash,
            "previous_hash": result_set.previous_hash,
        },
    )
    awards_apply(result_set=result_set, by=by)
    return result_set


# --- awards, promotion, certificates --------------------------------------------------


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CERTIFICATE_ALPHABET) for _i in range(12))
        if not Certificate.objects.filter(code=code).exists():
            return code


def promotion_for(rules: list[PromotionRule], *, level: str, rank: int, current: int | None) -> PromotionRule | None:
    for rule in rules:
        if rule.level != level or not rule.rank_from <= rank <= rule.rank_to:
            continue
        if rule.current_level is not None and rule.current_level != current:
            continue
        if current is not None and rule.new_level >= current:
            continue  # never a demotion or a no-op
        return rule
    return None


@transaction.atomic
def awards_apply(*, result_set: ResultSet, by: Any) -> list[Award]:
    """Prizes, titles and promotions for a final result set — once only. A second call returns
    the awards already made; promotions go through people.services.skill_level_record_add."""
    from deltaunion.people.services import skill_level_record_add

    result_set = ResultSet.objects.select_for_update().select_related("stage", "contest").get(pk=result_set.pk)
    if result_set.status != ResultSet.Status.FINAL:
        raise ValidationError(_("Awards follow final results only"))
    if result_set.awards_applied_at is not None:
        return list(result_set.awards.all())
    contest, stage = result_set.contest, result_set.stage
    tiers = list(PrizeTier.objects.filter(contest=contest).order_by("order"))
    titles = list(TitleRule.objects.filter(contest=contest))
    own_rules = list(PromotionRule.objects.filter(contest=contest).order_by("rank_from", "id"))
    rules = own_rules or list(PromotionRule.objects.filter(contest__isnull=True).order_by("rank_from", "id"))
    rows = list(result_set.rows.select_related("registration__worker").order_by("rank", "number"))
    field_size = len(rows)
    obtained_on = min(timezone.localdate(), timezone.localtime(result_set.finalised_at).date())
    awards: list[Award] = []
    for row in rows:
        reg = row.registration
        workers = [reg.worker, *[m.worker for m in reg.members.select_related("worker")]]
        tier_index = scoring.prize_for_rank(row.rank, field_size, [(t.rank_to, t.share) for t in tiers])
        tier = tiers[tier_index] if tier_index is not None else None
        title = next((t.title for t in titles if t.rank_from <= row.rank <= t.rank_to), "")
        for worker in workers:
            rule = promotion_for(rules, level=stage.level, rank=row.rank, current=worker.skill_level)
            if tier is None and not title and rule is None:
                continue
            promoted = (
                rule is not None
                and not Award.objects.filter(contest=contest, worker=worker, promoted_to__isnull=False).exists()
            )
            award = Award.objects.create(
                result_set=result_set,
                contest=contest,
                registration=reg,
                worker=worker,
                rank=row.rank,
                prize_kind=tier.kind if tier else "",
                prize_name=tier.name if tier else "",
                title=title,
                promoted_from=worker.skill_level if promoted else None,
                promoted_to=rule.new_level if promoted else None,
            )
            if promoted:
                record = skill_level_record_add(
                    worker=worker,
                    level=rule.new_level,
                    obtained_on=obtained_on,
                    by=by,
                    source=SkillLevelRecord.Source.CONTEST,
                    reference=f"{contest.title} · {stage.name} · #{row.rank}"[:200],
                    check_scope=False,
                )
                award.skill_record_id = record.pk
                award.save(update_fields=["skill_record_id"])
            for kind, text in (
                (Certificate.Kind.PRIZE, award.prize_name),
                (Certificate.Kind.TITLE, award.title),
                (
                    Certificate.Kind.PROMOTION,
                    _("Promoted to skill level %(level)d") % {"level": award.promoted_to} if award.promoted_to else "",
                ),
            ):
                if text:
                    Certificate.objects.create(code=_new_code(), award=award, kind=kind, text=text[:300])
            awards.append(award)
    result_set.awards_applied_at = timezone.now()
    result_set.save(update_fields=["awards_applied_at"])
    log_action(
        actor=by,
        action="awards.apply",
        obj=result_set,
        after={
            "awards": len(awards),
            "promotions": [[a.worker_id, a.promoted_from, a.promoted_to] for a in awards if a.promoted_to],
        },
    )
    return awards

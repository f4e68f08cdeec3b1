"""Re-check, appeals, public notice, final results with their hash chain, awards, certificates."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deltaunion.contests import scoring
from deltaunion.contests.hashing import sha256_hex
from deltaunion.contests.models import (
    Appeal,
    Award,
    Certificate,
    Contest,
    Mark,
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
from deltaunion.contests.selectors import (
    all_signed_off,
    appeal_deadline,
    contest_managers,
    has_final_results,
    result_content,
    result_set_verify,
    stage_ranking,
)
from deltaunion.contests.selectors import result_set_hash as selectors_result_set_hash
from deltaunion.core.audit import log_action
from deltaunion.core.notifications import notify
from deltaunion.core.permissions import require
from deltaunion.core.services import model_update
from deltaunion.core.statemachine import TransitionError
from deltaunion.people.models import SkillLevelRecord

from . import notices
from ._log import create_logged, log_created
from .marking import mark_remark

CERTIFICATE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


# --- re-check -----------------------------------------------------------------------


@transaction.atomic
def recheck_start(*, stage: Stage, by: Any, seed: str | None = None) -> Recheck:
    """Pick the scores to re-check: all of the top places plus a seeded random share of the
    rest (contest settings, default top 10 + 15%). The seed is recorded on the re-check."""
    require(by, "contests.manage_scores", stage)
    stage = Stage.objects.select_for_update().select_related("contest").get(pk=stage.pk)
    contest = stage.contest
    if not all_signed_off(stage):
        raise ValidationError(_("Every module must be signed off before the re-check"))
    if Recheck.objects.filter(stage=stage, status=Recheck.Status.OPEN).exists():
        raise ValidationError(_("A re-check is already under way"))
    seed = seed or secrets.token_hex(16)
    top, sample = scoring.recheck_sample(
        [r.score.key for r in stage_ranking(stage)], top=contest.recheck_top, share=contest.recheck_share, seed=seed
    )
    recheck = Recheck.objects.create(
        stage=stage, seed=seed, top_n=contest.recheck_top, share=contest.recheck_share, created_by=by
    )
    _recheck_items(
        recheck, {**dict.fromkeys(top, RecheckItem.Reason.TOP), **dict.fromkeys(sample, RecheckItem.Reason.SAMPLE)}
    )
    log_created(by=by, action="recheck.start", obj=recheck, top=top, sample=sample)
    return recheck


def _recheck_items(recheck: Recheck, reasons: dict[str, str]) -> None:
    """The items of a re-check: secret number → why it is checked."""
    ids = dict(SecretNumber.objects.filter(stage_id=recheck.stage_id).values_list("number", "id"))
    RecheckItem.objects.bulk_create(
        [RecheckItem(recheck=recheck, secret_number_id=ids[n], reason=why) for n, why in reasons.items()]
    )


@transaction.atomic
def recheck_item_record(*, item: RecheckItem, error_found: bool, by: Any, note: str = "") -> RecheckItem:
    """Record one re-checked score. A wrong score is then corrected with mark_remark."""
    require(by, "contests.manage_scores", item)
    item = RecheckItem.objects.select_for_update().select_related("recheck").get(pk=item.pk)
    if item.recheck.status != Recheck.Status.OPEN:
        raise ValidationError(_("This re-check is closed"))
    if error_found and not note.strip():
        raise ValidationError(_("Describe the error found"))
    model_update(
        instance=item,
        fields=["checked_at", "checked_by", "error_found", "note"],
        data={"checked_at": timezone.now(), "checked_by": by, "error_found": error_found, "note": note.strip()[:300]},
        by=by,
        action="recheck.item",
    )
    return item


@transaction.atomic
def recheck_complete(*, recheck: Recheck, by: Any) -> Recheck:
    """Close a re-check. Error rate above the limit (default 5%) fails it and opens a full
    re-check of every competitor, which is returned instead."""
    require(by, "contests.manage_scores", recheck)
    recheck = Recheck.objects.select_for_update().select_related("stage__contest").get(pk=recheck.pk)
    stage = recheck.stage
    Recheck.workflow.check(recheck.status, Recheck.workflow.get("pass"))
    items = recheck.items.all()
    pending = items.filter(checked_at__isnull=True).count()
    if pending:
        raise ValidationError(_("%(n)d scores are still to be re-checked") % {"n": pending})
    checked, errors = items.count(), items.filter(error_found=True).count()
    failed = not recheck.full and scoring.needs_full_recheck(checked, errors, stage.contest.recheck_error_limit)
    Recheck.workflow.fire(
        recheck,
        "fail" if failed else "pass",
        by=by,
        changes={"checked": checked, "errors": errors, "completed_at": timezone.now()},
    )
    if not failed:
        return recheck
    full = Recheck.objects.create(stage=stage, full=True, top_n=0, share=1, created_by=by)
    numbers = SecretNumber.objects.filter(stage=stage).values_list("number", flat=True)
    _recheck_items(full, dict.fromkeys(numbers, RecheckItem.Reason.FULL))
    log_created(by=by, action="recheck.full", obj=full)
    return full


# --- appeals ------------------------------------------------------------------------


def appeal_file(*, registration: Registration, reason: str, by: Any, now: dt.datetime | None = None) -> Appeal:
    """The competitor's team leader appeals, within the window after the stage ends."""
    now = now or timezone.now()
    stage = registration.stage
    require(by, "contests.file_appeal", registration)
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
    if has_final_results(stage):
        raise ValidationError(_("The results are final"))
    fields = {"stage": stage, "registration": registration, "filed_at": now, "reason": reason.strip()}
    return create_logged(Appeal, by=by, action="appeal.file", filed_by=by, **fields)


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
    require(by, "contests.rule_appeal", appeal)
    transition = Appeal.workflow.get("uphold" if upheld else "dismiss")
    Appeal.workflow.check(Appeal.objects.values_list("status", flat=True).get(pk=appeal.pk), transition)
    ruling = (ruling or "").strip()
    if not ruling:
        raise ValidationError(_("Write the ruling"))
    remarks = list(remarks)
    if remarks and not upheld:
        raise ValidationError(_("A dismissed appeal cannot change marks"))
    if any(mark.secret_number.stage_id != appeal.stage_id for mark, _value in remarks):
        raise ValidationError(_("The mark belongs to another stage"))
    for mark, value in remarks:
        mark_remark(mark=mark, value=value, reason=_("Appeal: %(ruling)s") % {"ruling": ruling}, by=by)
    appeal = Appeal.workflow.fire(
        appeal,
        transition.name,
        by=by,
        changes={"ruling": ruling, "ruled_by": by, "ruled_at": timezone.now(), "marks_changed": len(remarks)},
    )
    notices.appeal_ruled(appeal)
    return appeal


# --- publication and the hash chain ---------------------------------------------------


@transaction.atomic
def result_set_publish(*, stage: Stage, by: Any, now: dt.datetime | None = None) -> ResultSet:
    """Put a revealed stage's results on public notice for the contest's notice period."""
    now = now or timezone.now()
    require(by, "contests.manage_contest", stage)
    stage = Stage.objects.select_for_update().select_related("contest").get(pk=stage.pk)
    contest = stage.contest
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
    notice = {"published_at": now, "published_by": by, "notice_until": now + dt.timedelta(days=contest.notice_days)}
    result_set = ResultSet.objects.create(
        contest=contest, stage=stage, content=content, rules_version=content["rules"]["version"], **notice
    )
    same = ("number", "rank", "total", "theory", "theory_percent", "practical", "practical_percent", "standardised")
    ResultRow.objects.bulk_create(
        [
            ResultRow(
                result_set=result_set,
                registration_id=r["registration"],
                name=r["name"][:100],
                organisation_name=r["organisation"][:120],
                modules=r["modules"],
                **{k: r[k] for k in same},
            )
            for r in content["rows"]
        ],
        batch_size=500,
    )
    # The hash of what is published, taken over the rows as stored (the chain fields follow
    # when the results become final).
    result_set.content_hash = result_set_hash(result_set)
    result_set.save(update_fields=["content_hash"])
    Stage.workflow.fire(stage, "publish", by=by)
    log_action(
        actor=by,
        action="result_set.publish",
        obj=result_set,
        after={"rows": len(content["rows"]), "notice_until": result_set.notice_until},
    )
    notices.results_published(result_set)
    return result_set


@transaction.atomic
def result_set_withdraw(*, result_set: ResultSet, reason: str, by: Any) -> ResultSet:
    """Take results off notice (e.g. an upheld objection) so marks can be corrected and
    republished: the stage goes back to revealed and its passed re-check is set aside."""
    reason = (reason or "").strip()
    require(by, "contests.manage_contest", result_set)
    if ResultSet.objects.values_list("status", flat=True).get(pk=result_set.pk) != ResultSet.Status.NOTICE:
        raise TransitionError(_("Only results on notice can be withdrawn; final results are immutable"))
    if not reason:
        raise ValidationError(_("Give a reason for withdrawing the results"))
    ResultSet.workflow.fire(result_set, "withdraw", by=by, note=reason)
    Stage.workflow.fire(result_set.stage, "withdraw_results", by=by, note=reason)
    for recheck in Recheck.objects.filter(stage_id=result_set.stage_id, status=Recheck.Status.PASSED):
        Recheck.workflow.fire(recheck, "void", by=by, note=reason)
    return result_set


@transaction.atomic
def objection_file(
    *, result_set: ResultSet, text: str, by: Any = None, contact: str = "", now: dt.datetime | None = None
) -> Objection:
    """Anyone (signed in or not, with a contact) may object while results are on notice."""
    now = now or timezone.now()
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
    """The organisers answer an objection: upheld (the results must then be withdrawn and
    corrected) or dismissed."""
    require(by, "contests.manage_contest", objection)
    transition = Objection.workflow.get("uphold" if upheld else "dismiss")
    Objection.workflow.check(Objection.objects.values_list("status", flat=True).get(pk=objection.pk), transition)
    response = (response or "").strip()
    if not response:
        raise ValidationError(_("Write a response"))
    objection = Objection.workflow.fire(
        objection,
        transition.name,
        by=by,
        changes={"response": response, "resolved_by": by, "resolved_at": timezone.now()},
    )
    notices.objection_resolved(objection)
    return objection


def result_set_hash(result_set: ResultSet) -> str:
    """SHA-256 (hex) over every published field of the set and of its stored rows
    (`selectors.result_set_payload`)."""
    return selectors_result_set_hash(result_set)


@transaction.atomic
def result_set_finalise(*, result_set: ResultSet, by: Any, now: dt.datetime | None = None) -> ResultSet:
    """After the notice period with every objection answered (none upheld), the results become
    final: chained to the contest's previous final set, hashed, and awards are applied."""
    now = now or timezone.now()
    require(by, "contests.manage_contest", result_set)
    # The contest row serialises appends to its chain.
    Contest.objects.select_for_update().get(pk=result_set.contest_id)
    result_set = ResultSet.objects.select_for_update().get(pk=result_set.pk)
    if result_set.status != ResultSet.Status.NOTICE:
        raise TransitionError(_("Only results on notice can become final"))
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
    problems = result_set_verify(result_set)
    if problems:
        raise ValidationError(
            _("The published results do not verify; withdraw them and publish again: %(problems)s")
            % {"problems": "; ".join(problems)}
        )
    content = dict(result_set.content)
    content["chain_index"] = (previous.chain_index + 1) if previous else 1
    content["previous_hash"] = previous.content_hash if previous else ""
    content["finalised_at"] = now.isoformat()
    chained = {
        "content": content,
        "chain_index": content["chain_index"],
        "previous_hash": content["previous_hash"],
        "finalised_at": now,
    }
    for key, value in chained.items():
        setattr(result_set, key, value)
    ResultSet.workflow.fire(
        result_set, "finalise", by=by, changes={**chained, "content_hash": result_set_hash(result_set)}
    )
    Stage.workflow.fire(result_set.stage, "finalise", by=by)
    awards_apply(result_set=result_set, by=by)
    return result_set


def result_integrity_alert(*, result_set: ResultSet, problems: list[str]) -> bool:
    """Tell the contest's managers (an in-site message each) that published results fail
    verification, once for each distinct set of problems; recorded in the stage's history.
    Returns whether a message went out."""
    if not problems:
        return False
    digest = sha256_hex(sorted(problems))
    with transaction.atomic():
        locked = ResultSet.objects.select_for_update().select_related("contest", "stage").get(pk=result_set.pk)
        if locked.integrity_alert == digest:
            return False
        model_update(
            instance=locked,
            fields=["integrity_alert"],
            data={"integrity_alert": digest},
            by=None,
            action="result_set.integrity_alert",
            note="; ".join(problems)[:1000],
        )
        url = reverse("contests:chain", args=[locked.contest_id])
        for user in contest_managers(locked.contest):
            notify(
                user,
                kind="contests.results_integrity",
                title=_("The published results of %(stage)s fail verification") % {"stage": locked.stage.name},
                body="\n".join(problems),
                url=url,
            )
    return True


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
            level_before = worker.skill_level
            record = (
                skill_level_record_add(
                    worker=worker,
                    level=rule.new_level,
                    obtained_on=obtained_on,
                    by=by,
                    source=SkillLevelRecord.Source.CONTEST,
                    reference=f"{contest.title} · {stage.name} · #{row.rank}"[:200],
                    check_scope=False,
                )
                if promoted
                else None
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
                promoted_from=level_before if promoted else None,
                promoted_to=rule.new_level if promoted else None,
                skill_record_id=record.pk if record else None,
            )
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
    promotions = sum(1 for a in awards if a.promoted_to)
    model_update(
        instance=result_set,
        fields=["awards_applied_at"],
        data={"awards_applied_at": timezone.now()},
        by=by,
        action="awards.apply",
        note=_("%(awards)d awards, %(promotions)d promotions") % {"awards": len(awards), "promotions": promotions},
    )
    notices.certificates_issued(awards)
    return awards

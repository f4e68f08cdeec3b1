"""Entries: eligibility, quota, approval, bulk import, qualification between stages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deltaunion.contests.models import Contest, Qualification, Quota, Registration, Stage, TeamMember
from deltaunion.contests.selectors import (
    eligibility_problems,
    entered_worker_ids,
    final_result_set,
    signup_organisation,
    worker_of,
)
from deltaunion.core.audit import log_action
from deltaunion.core.notifications import notify
from deltaunion.core.permissions import can, require
from deltaunion.orgs.models import Organisation
from deltaunion.people.models import Worker

from ._log import log_created

OPEN_FOR_ENTRY = (Stage.Status.REGISTRATION,)


# --- quota -------------------------------------------------------------------------


def _take_places(stage: Stage, organisation: Organisation, n: int = 1) -> None:
    """Take n places of the sending organisation's quota, or refuse. The quota row is locked
    (SELECT … FOR UPDATE) so concurrent entries queue; the CHECK used ≤ places backs it up.
    A stage without any quota rows is unlimited; once it has some, an organisation without one
    has no places."""
    if not Quota.objects.filter(stage=stage).exists():
        return
    quota = Quota.objects.select_for_update().filter(stage=stage, organisation=organisation).first()
    if quota is None:
        raise ValidationError(_("%(org)s has no places on this stage") % {"org": organisation})
    if quota.used + n > quota.places:
        raise ValidationError(
            _("The quota of %(org)s is full: %(used)d of %(places)d places taken")
            % {"org": organisation, "used": quota.used, "places": quota.places}
        )
    try:
        with transaction.atomic():
            Quota.objects.filter(pk=quota.pk).update(used=F("used") + n)
    except IntegrityError:
        raise ValidationError(_("The quota of %(org)s is full") % {"org": organisation}) from None


def _release_place(stage: Stage, organisation: Organisation) -> None:
    Quota.objects.filter(stage=stage, organisation=organisation, used__gt=0).update(used=F("used") - 1)


# --- entries -----------------------------------------------------------------------


def _check_entry(
    *, stage: Stage, worker: Worker, organisation: Organisation, members: Sequence[Worker], team_name: str
) -> list[str]:
    contest = stage.contest
    problems: list[str] = []
    if not worker.organisation.path.startswith(organisation.path):
        problems.append(_("%(name)s does not belong to %(org)s") % {"name": worker.name, "org": organisation})
    if contest.entry_kind == Contest.EntryKind.TEAM:
        size = 1 + len(members)
        if not team_name.strip():
            problems.append(_("A team entry needs a team name"))
        if not contest.team_size_min <= size <= contest.team_size_max:
            problems.append(
                _("A team has %(min)d to %(max)d members; this one has %(n)d")
                % {"min": contest.team_size_min, "max": contest.team_size_max, "n": size}
            )
    elif members:
        problems.append(_("This contest takes individual entries only"))
    everyone = [worker, *members]
    if len({w.pk for w in everyone}) != len(everyone):
        problems.append(_("A worker appears twice in the entry"))
    for w in everyone:
        problems.extend(eligibility_problems(stage=stage, worker=w))
        if w is not worker and not w.organisation.path.startswith(organisation.path):
            problems.append(_("%(name)s does not belong to %(org)s") % {"name": w.name, "org": organisation})
    for wid in entered_worker_ids(stage, [w.pk for w in everyone]):
        name = next(w.name for w in everyone if w.pk == wid)
        problems.append(_("%(name)s has already entered this stage") % {"name": name})
    return problems


@transaction.atomic
def registration_create(
    *,
    stage: Stage,
    worker: Worker,
    by: Any,
    organisation: Organisation | None = None,
    leader: Any = None,
    team_name: str = "",
    members: Iterable[Worker] = (),
) -> Registration:
    """Enter a worker (or a team captained by `worker`) for a stage.

    An officer of the sending organisation enters and approves in one step; a worker entering
    themself waits for the sending union's approval. Eligibility and quota are checked here;
    the quota row is locked so concurrent entries never over-fill it.
    """
    organisation = organisation or worker.organisation
    entry = Registration(stage=stage, organisation=organisation, worker=worker)
    require(by, "contests.enter_competitor", entry)
    # The sending union's officers enter and approve in one step; a worker waits for them.
    approved = can(by, "contests.decide_registration", entry)
    if stage.status not in OPEN_FOR_ENTRY:
        raise ValidationError(_("Registration for this stage is not open"))
    members = list(members)
    problems = _check_entry(stage=stage, worker=worker, organisation=organisation, members=members, team_name=team_name)
    if problems:
        raise ValidationError(problems)
    _take_places(stage, organisation)
    now = timezone.now()
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                stage=stage,
                organisation=organisation,
                worker=worker,
                team_name=team_name.strip(),
                leader=leader,
                status=Registration.Status.APPROVED if approved else Registration.Status.PENDING,
                decided_by=by if approved else None,
                decided_at=now if approved else None,
            )
            TeamMember.objects.bulk_create(
                [TeamMember(registration=registration, stage=stage, worker=m) for m in members]
            )
    except IntegrityError:
        raise ValidationError(_("%(name)s has already entered this stage") % {"name": worker.name}) from None
    log_created(by=by, action="registration.create", obj=registration, members=[m.pk for m in members])
    return registration


def _my_contests_url() -> str:
    try:
        return reverse("me:contests")
    except Exception:  # the worker's space is not installed
        return ""


@transaction.atomic
def registration_sign_up(*, stage: Stage, by: Any) -> Registration:
    """A worker signs themself up for a stage: a pending entry for the union above them that
    holds the places (`selectors.signup_organisation`), decided by that union's officers.
    Eligibility, the quota (locked) and one entry per worker are the officers' path's rules."""
    worker = worker_of(by)
    if worker is None:
        raise ValidationError(_("Only workers with a record at a union can sign up"))
    if stage.contest.entry_kind == Contest.EntryKind.TEAM:
        raise ValidationError(_("This contest takes team entries, made by your union's officers"))
    registration = registration_create(
        stage=stage, worker=worker, by=by, organisation=signup_organisation(stage, worker)
    )
    if registration.status == Registration.Status.PENDING:
        notify(
            by,
            kind="contests.registration_submitted",
            title=_("Your sign-up for %(contest)s · %(stage)s is submitted")
            % {"contest": stage.contest.title, "stage": stage.name},
            body=_("%(org)s will approve or refuse it.") % {"org": registration.organisation},
            url=_my_contests_url(),
        )
    return registration


@transaction.atomic
def registration_decide(*, registration: Registration, approve: bool, by: Any, reason: str = "") -> Registration:
    """The sending union approves or rejects a pending entry; a rejection frees the place."""
    require(by, "contests.decide_registration", registration)
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError(_("Give a reason for the rejection"))
    registration = Registration.workflow.fire(
        registration,
        "approve" if approve else "reject",
        by=by,
        note=reason,
        changes={"reject_reason": reason[:300], "decided_by": by, "decided_at": timezone.now()},
    )
    if not approve:
        _release_place(registration.stage, registration.organisation)
    stage = registration.stage
    names = {"contest": stage.contest.title, "stage": stage.name}
    if approve:
        title = _("Your entry for %(contest)s · %(stage)s is approved") % names
        body = _("Check in at the time and place shown in My contests.")
    else:
        title = _("Your entry for %(contest)s · %(stage)s is refused") % names
        body = _("Reason: %(reason)s") % {"reason": reason}
    notify(
        registration.worker.user,
        kind="contests.registration_approved" if approve else "contests.registration_refused",
        title=title,
        body=body,
        url=_my_contests_url(),
    )
    return registration


@transaction.atomic
def registrations_approve(*, registrations: Iterable[Registration], by: Any) -> int:
    """Approve several pending entries at once (the officer's "approve selected"): each by
    `registration_decide`, so each is checked, audited and its worker told; all or none."""
    n = 0
    for registration in registrations:
        registration_decide(registration=registration, approve=True, by=by)
        n += 1
    return n


@transaction.atomic
def registration_withdraw(*, registration: Registration, by: Any, reason: str = "") -> Registration:
    """The sending union (or the competitor) withdraws an entry before check-in; the place is freed."""
    registration = (
        Registration.objects.select_for_update().select_related("stage", "organisation").get(pk=registration.pk)
    )
    registration = Registration.workflow.fire(registration, "withdraw", by=by, note=reason)
    _release_place(registration.stage, registration.organisation)
    return registration


# --- bulk import (declared in contests/imports.py) ------------------------------------------


def registrations_import(*, data: bytes, stage: Stage, organisation: Organisation, by: Any) -> Any:
    """Enter workers from .xlsx for `organisation`: every row is entered, or none is, with every
    error of every row reported. Rows are entered as approved by the sending union."""
    from deltaunion.contests.imports import RegistrationImport
    from deltaunion.core.imports import run_import

    return run_import(RegistrationImport(stage=stage, organisation=organisation), data, by=by)


# --- qualification -----------------------------------------------------------------


@transaction.atomic
def stage_qualify(*, stage: Stage, next_stage: Stage, rule: dict[str, Any], by: Any) -> list[Qualification]:
    """Enter the best of `stage`'s final results into `next_stage`.

    rule = {"mode": "overall", "top": N} — every competitor ranked N or better (ties at the
    cut all go through); or {"mode": "per_organisation", "top": N} — within each sending
    organisation, those placed N or better in that organisation's own order (shared places
    shared). Qualifiers hold no quota place and are entered approved. Each one gets a
    Qualification row saying why; the whole list is in the audit log.
    """
    require(by, "contests.manage_contest", stage)
    if next_stage.contest_id != stage.contest_id or next_stage.order <= stage.order:
        raise ValidationError(_("Qualifiers go to a later stage of the same contest"))
    mode = rule.get("mode")
    top = rule.get("top")
    if mode not in ("overall", "per_organisation") or not isinstance(top, int) or top < 1:
        raise ValidationError(_("The rule needs a mode (overall or per organisation) and a number of places ≥ 1"))
    final = final_result_set(stage)
    if final is None:
        raise ValidationError(_("The stage has no final results yet"))
    if Qualification.objects.filter(from_stage=stage, to_stage=next_stage).exists():
        raise ValidationError(_("Qualifiers from this stage have already been entered"))
    rows = list(
        final.rows.select_related("registration__organisation", "registration__worker").order_by("rank", "number")
    )
    chosen: list[tuple[Any, int, str]] = []
    if mode == "overall":
        for r in rows:
            if r.rank <= top:
                chosen.append((r, r.rank, _("Rank %(rank)d overall (top %(top)d)") % {"rank": r.rank, "top": top}))
    else:
        by_org: dict[int, list] = {}
        for r in rows:
            by_org.setdefault(r.registration.organisation_id, []).append(r)
        for org_rows in by_org.values():
            place = 0
            for i, r in enumerate(org_rows):
                if i == 0 or r.rank != org_rows[i - 1].rank:
                    place = i + 1
                if place <= top:
                    chosen.append(
                        (
                            r,
                            r.rank,
                            _("Place %(place)d in %(org)s, rank %(rank)d overall (top %(top)d per organisation)")
                            % {"place": place, "org": r.registration.organisation, "rank": r.rank, "top": top},
                        )
                    )
    already = entered_worker_ids(next_stage, [r.registration.worker_id for r, _rank, _why in chosen])
    if already:
        raise ValidationError(_("Some qualifiers are already entered in the next stage"))
    out: list[Qualification] = []
    now = timezone.now()
    for r, rank, why in sorted(chosen, key=lambda c: (c[1], c[0].number)):
        src = r.registration
        reg = Registration.objects.create(
            stage=next_stage,
            organisation=src.organisation,
            worker=src.worker,
            team_name=src.team_name,
            leader=src.leader,
            status=Registration.Status.APPROVED,
            source=Registration.Source.QUALIFICATION,
            qualified_from=src,
            decided_by=by,
            decided_at=now,
        )
        TeamMember.objects.bulk_create(
            [TeamMember(registration=reg, stage=next_stage, worker_id=m.worker_id) for m in src.members.all()]
        )
        out.append(
            Qualification.objects.create(
                from_stage=stage,
                to_stage=next_stage,
                source_registration=src,
                registration=reg,
                rank=rank,
                rule={"mode": mode, "top": top},
                reason=why,
                created_by=by,
            )
        )
    log_action(
        actor=by,
        action="stage.qualify",
        obj=next_stage,
        after={"from_stage": stage.name, "qualified": len(out)},
        note=_("Top %(top)d overall") % {"top": top}
        if mode == "overall"
        else _("Top %(top)d of each sending union") % {"top": top},
    )
    return out

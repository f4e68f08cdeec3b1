"""Selections: setting one up, nominations through their state machine (with the unions'
quotas), public notice with objections, and naming — which writes the honours to the records
and issues the certificates."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deltaunion.core.audit import log_action, snapshot
from deltaunion.core.excel import list_join
from deltaunion.core.notifications import notify
from deltaunion.core.permissions import require
from deltaunion.core.services import model_update
from deltaunion.core.statemachine import TransitionError
from deltaunion.honours.eligibility import completeness_problems, nominee_problems
from deltaunion.honours.models import (
    Award,
    Category,
    Criterion,
    Honour,
    MaterialAnswer,
    Nomination,
    Objection,
    Panel,
    PanelMember,
    Quota,
    RecipientKind,
    RequiredMaterial,
    Selection,
    StudioRecognition,
)
from deltaunion.honours.services.studios import recognition_record
from deltaunion.honours.services.uploads import check_document
from deltaunion.honours.standard import StudioLevel
from deltaunion.orgs.models import Organisation
from deltaunion.people.models import Title

S = Selection.Status
N = Nomination.Status

SELECTION_FIELDS = (
    "title",
    "year",
    "issuing_body",
    "key_task",
    "contest",
    "campaign",
    "description",
    "nominations_open_on",
    "nominations_close_on",
    "review_by",
    "notice_days",
    "naming_on",
    "trades",
    "min_years",
    "skill_level_at_least",
    "prior_title_kinds",
    "members_only",
    "conflict_same_city",
    "min_reviews",
)
# Once the review has started, the rules the nominations were checked against stay as they were.
RULE_FIELDS = ("trades", "min_years", "skill_level_at_least", "prior_title_kinds", "members_only", "min_reviews")
SETUP_STATES = (S.DRAFT, S.OPEN)


def _text(value: Any) -> str:
    return (value or "").strip()


def _lock(selection: Selection) -> Selection:
    return Selection.objects.select_for_update().select_related("lead_org").get(pk=selection.pk)


def _require_setup(selection: Selection) -> None:
    if selection.status not in SETUP_STATES:
        raise ValidationError(_("The selection's setup is closed once the review has started"))


def _clean_rules(fields: dict[str, Any]) -> dict[str, Any]:
    out = dict(fields)
    if "trades" in out:
        out["trades"] = sorted({_text(t) for t in out["trades"] or [] if _text(t)})
    if "prior_title_kinds" in out:
        kinds = list(dict.fromkeys(out["prior_title_kinds"] or []))
        unknown = [k for k in kinds if k not in Title.Kind.values]
        if unknown:
            raise ValidationError(_("Unknown kind of honour: %(kinds)s") % {"kinds": list_join(unknown)})
        out["prior_title_kinds"] = kinds
    return out


# --- setting up -----------------------------------------------------------------------------------------


@transaction.atomic
def selection_create(
    *, lead_org: Organisation, title: str, year: int, issuing_body: str, by: Any, **fields: Any
) -> Selection:
    """A selection in preparation, organised by `lead_org` (officers who manage it)."""
    require(by, "honours.create_selection", lead_org)
    unknown = set(fields) - set(SELECTION_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be set: %(f)s") % {"f": ", ".join(sorted(unknown))})
    selection = Selection(
        lead_org=lead_org,
        title=_text(title),
        year=year,
        issuing_body=_text(issuing_body) or lead_org.name,
        **_clean_rules(fields),
    )
    selection.full_clean()
    selection.save()
    log_action(
        actor=by, action="selection.create", obj=selection, after=snapshot(selection, ["title", "year", "issuing_body"])
    )
    return selection


@transaction.atomic
def selection_update(*, selection: Selection, by: Any, **changes: Any) -> Selection:
    require(by, "honours.manage_selection", selection)
    selection = _lock(selection)
    if selection.status in (S.NOTICE, S.PUBLISHED, S.CANCELLED):
        raise ValidationError(_("The selection can no longer be changed"))
    changes = _clean_rules(changes)
    if selection.status not in SETUP_STATES and any(
        getattr(selection, k) != v for k, v in changes.items() if k in RULE_FIELDS
    ):
        raise ValidationError(_("The eligibility and review rules cannot change once the review has started"))
    model_update(instance=selection, fields=SELECTION_FIELDS, data=changes, by=by)
    return selection


@transaction.atomic
def selection_transition(*, selection: Selection, name: str, by: Any, note: str = "") -> Selection:
    """open, unpublish, close, reopen or cancel (notice and naming have their own services)."""
    if name not in {"open", "unpublish", "close", "reopen", "cancel"}:
        raise TransitionError(_("This step is taken by its own action"))
    if name == "cancel" and not _text(note):
        raise ValidationError(_("Give a reason for cancelling"))
    if name == "unpublish" and selection.nominations.exists():
        raise ValidationError(_("Nominations exist: the selection can no longer go back to preparation"))
    return Selection.workflow.fire(selection, name, by=by, note=_text(note))


@transaction.atomic
def category_add(
    *,
    selection: Selection,
    honour_name: str,
    recipient_kind: str,
    places: int,
    by: Any,
    title_kind: str = "",
    studio_level: str = "",
) -> Category:
    """Add a category: the honour (found by its name, or created) and how many may be named."""
    require(by, "honours.manage_selection", selection)
    selection = _lock(selection)
    _require_setup(selection)
    name = _text(honour_name)
    if not name:
        raise ValidationError(_("Name the honour"))
    if recipient_kind not in RecipientKind.values:
        raise ValidationError(_("Choose on whom the honour is conferred"))
    if recipient_kind != RecipientKind.PERSON:
        title_kind = ""
    if recipient_kind != RecipientKind.STUDIO:
        studio_level = ""
    if title_kind and title_kind not in Title.Kind.values:
        raise ValidationError(_("Unknown kind of title"))
    if studio_level and studio_level not in StudioLevel.values:
        raise ValidationError(_("Unknown studio level"))
    honour = Honour.objects.filter(name=name).first()
    if honour is None:
        honour = Honour.objects.create(
            name=name, recipient_kind=recipient_kind, title_kind=title_kind, studio_level=studio_level
        )
    elif honour.recipient_kind != recipient_kind:
        raise ValidationError(
            _("“%(name)s” is an existing honour conferred on: %(kind)s")
            % {"name": name, "kind": RecipientKind(honour.recipient_kind).label}
        )
    if Category.objects.filter(selection=selection, honour=honour).exists():
        raise ValidationError(_("The selection already confers “%(name)s”") % {"name": name})
    try:
        places = int(places)
    except (TypeError, ValueError):
        raise ValidationError(_("Give the number of places")) from None
    if places < 1:
        raise ValidationError(_("A category has at least one place"))
    category = Category.objects.create(
        selection=selection, honour=honour, places=places, order=selection.categories.count() + 1
    )
    log_action(actor=by, action="selection.category_add", obj=selection, after={"category": name, "places": places})
    return category


@transaction.atomic
def category_set_places(*, category: Category, places: int, by: Any) -> Category:
    require(by, "honours.manage_selection", category)
    selection = _lock(category.selection)
    if selection.status in (S.NOTICE, S.PUBLISHED, S.CANCELLED):
        raise ValidationError(_("The places can no longer change"))
    model_update(instance=category, fields=["places"], data={"places": places}, by=by)
    return category


@transaction.atomic
def quota_set(*, selection: Selection, organisation: Organisation, places: int, by: Any) -> Quota:
    """How many nominations a union may put forward (never fewer than it already has)."""
    require(by, "honours.manage_selection", selection)
    selection = _lock(selection)
    _require_setup(selection)
    if places < 0:
        raise ValidationError(_("The number of places cannot be negative"))
    quota = Quota.objects.select_for_update().filter(selection=selection, organisation=organisation).first()
    if quota is None:
        quota = Quota.objects.create(selection=selection, organisation=organisation, places=places)
    else:
        if places < quota.used:
            raise ValidationError(
                _("%(org)s already has %(n)d nominations") % {"org": organisation.name, "n": quota.used}
            )
        Quota.objects.filter(pk=quota.pk).update(places=places)
        quota.places = places
    log_action(
        actor=by,
        action="selection.quota_set",
        obj=selection,
        after={"organisation": organisation.name, "places": places},
    )
    return quota


@transaction.atomic
def material_add(
    *, selection: Selection, label: str, kind: str, by: Any, required: bool = True, help: str = ""
) -> RequiredMaterial:
    require(by, "honours.manage_selection", selection)
    selection = _lock(selection)
    _require_setup(selection)
    label = _text(label)
    if not label:
        raise ValidationError(_("Name the material"))
    if kind not in RequiredMaterial.Kind.values:
        raise ValidationError(_("Choose text or file"))
    if RequiredMaterial.objects.filter(selection=selection, label=label).exists():
        raise ValidationError(_("The selection already asks for “%(label)s”") % {"label": label})
    material = RequiredMaterial(
        selection=selection,
        label=label,
        kind=kind,
        required=required,
        help=_text(help),
        order=selection.materials.count() + 1,
    )
    material.full_clean()
    material.save()
    log_action(actor=by, action="selection.material_add", obj=selection, after={"material": label})
    return material


@transaction.atomic
def material_remove(*, material: RequiredMaterial, by: Any) -> None:
    require(by, "honours.manage_selection", material)
    selection = _lock(material.selection)
    _require_setup(selection)
    if material.answers.exists():
        raise ValidationError(_("Nominations have already given this material"))
    log_action(actor=by, action="selection.material_remove", obj=selection, before={"material": material.label})
    material.delete()


def _decimal(value: Any, message: str) -> Decimal:
    try:
        out = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(message) from None
    if not out.is_finite():
        raise ValidationError(message)
    return out


@transaction.atomic
def criterion_add(
    *, category: Category, name: str, weight: Any, by: Any, max_score: Any = 10, guidance: str = ""
) -> Criterion:
    """A line of the review; the criteria are fixed once the first score sheet is in."""
    require(by, "honours.manage_selection", category)
    _lock(category.selection)
    if category.nominations.filter(reviews__isnull=False).exists():
        raise ValidationError(_("Experts have started scoring: the criteria are fixed"))
    criterion = Criterion(
        category=category,
        name=_text(name),
        weight=_decimal(weight, _("The weight is a number")),
        max_score=_decimal(max_score, _("Full marks is a number")),
        guidance=_text(guidance),
        order=category.criteria.count() + 1,
    )
    if criterion.weight <= 0 or criterion.max_score <= 0:
        raise ValidationError(_("The weight and full marks must be greater than 0"))
    criterion.full_clean()
    criterion.save()
    log_action(
        actor=by,
        action="selection.criterion_add",
        obj=category.selection,
        after={"category": category.honour.name, "criterion": criterion.name},
    )
    return criterion


@transaction.atomic
def criterion_remove(*, criterion: Criterion, by: Any) -> None:
    require(by, "honours.manage_selection", criterion)
    category = criterion.category
    _lock(category.selection)
    if category.nominations.filter(reviews__isnull=False).exists():
        raise ValidationError(_("Experts have started scoring: the criteria are fixed"))
    log_action(
        actor=by,
        action="selection.criterion_remove",
        obj=category.selection,
        before={"category": category.honour.name, "criterion": criterion.name},
    )
    criterion.delete()


@transaction.atomic
def panel_add(*, selection: Selection, name: str, categories: list[Category], by: Any) -> Panel:
    """A review panel for some categories; each category is reviewed by one panel."""
    require(by, "honours.manage_selection", selection)
    selection = _lock(selection)
    if selection.status not in (S.DRAFT, S.OPEN, S.REVIEW):
        raise ValidationError(_("The review is over"))
    name = _text(name)
    if not name:
        raise ValidationError(_("Name the panel"))
    if not categories:
        raise ValidationError(_("Choose the categories the panel reviews"))
    if any(c.selection_id != selection.pk for c in categories):
        raise ValidationError(_("The category does not belong to this selection"))
    taken = Category.objects.filter(pk__in=[c.pk for c in categories], panels__isnull=False)
    if taken.exists():
        raise ValidationError(
            _("Already reviewed by another panel: %(names)s") % {"names": list_join(str(c) for c in taken)}
        )
    if Panel.objects.filter(selection=selection, name=name).exists():
        raise ValidationError(_("A panel of this name exists"))
    panel = Panel.objects.create(selection=selection, name=name)
    panel.categories.set(categories)
    log_action(actor=by, action="selection.panel_add", obj=selection, after={"panel": name})
    return panel


@transaction.atomic
def panel_member_add(
    *,
    panel: Panel,
    user: Any,
    by: Any,
    is_chair: bool = False,
    employer: Any = None,
    employer_name: str = "",
    city: Any = None,
) -> PanelMember:
    """Appoint an expert, with their employer and city (for conflicts of interest)."""
    require(by, "honours.manage_selection", panel)
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    if panel.signed_off_at is not None:
        raise ValidationError(_("The panel is signed off"))
    if PanelMember.objects.filter(panel=panel, user=user).exists():
        raise ValidationError(_("%(name)s is already on the panel") % {"name": user})
    if is_chair and PanelMember.objects.filter(panel=panel, is_chair=True).exists():
        raise ValidationError(_("The panel already has a chair"))
    member = PanelMember.objects.create(
        panel=panel, user=user, is_chair=is_chair, employer=employer, employer_name=_text(employer_name), city=city
    )
    log_action(
        actor=by,
        action="selection.expert_add",
        obj=panel.selection,
        after={"panel": panel.name, "expert": str(user)},
    )
    return member


@transaction.atomic
def panel_member_remove(*, member: PanelMember, by: Any) -> None:
    require(by, "honours.manage_selection", member)
    if member.reviews.exists():
        raise ValidationError(_("The expert has scored nominations and stays on the panel"))
    log_action(
        actor=by,
        action="selection.expert_remove",
        obj=member.panel.selection,
        before={"panel": member.panel.name, "expert": str(member.user)},
    )
    member.delete()


# --- nominations ----------------------------------------------------------------------------------------


def _check_window(selection: Selection, today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    if selection.status != S.OPEN:
        raise ValidationError(_("The selection is not open for nominations"))
    if selection.nominations_open_on and today < selection.nominations_open_on:
        raise ValidationError(_("Nominations open on %(d)s") % {"d": selection.nominations_open_on.isoformat()})
    if selection.nominations_close_on and today > selection.nominations_close_on:
        raise ValidationError(_("Nominations closed on %(d)s") % {"d": selection.nominations_close_on.isoformat()})


def nomination_create(
    *,
    selection: Selection,
    category: Category,
    organisation: Organisation,
    by: Any,
    worker: Any = None,
    studio: Any = None,
    result: Any = None,
    team_name: str = "",
    team_employer: Any = None,
    years_in_trade: int | None = None,
    statement: str = "",
    today: dt.date | None = None,
) -> Nomination:
    """A union drafts a nomination: it takes one of the union's places (the quota row is locked,
    so concurrent nominations never over-fill it) and the nominee must be eligible."""
    quota = Quota.objects.filter(selection=selection, organisation=organisation).first()
    if quota is None:
        require(by, "honours.nominate", selection)
        raise ValidationError(_("%(org)s has no nomination places on this selection") % {"org": organisation.name})
    require(by, "honours.nominate", quota)
    kind = category.honour.recipient_kind
    nomination = Nomination(
        selection=selection,
        category=category,
        organisation=organisation,
        kind=kind,
        worker=worker if kind == RecipientKind.PERSON else None,
        studio=studio if kind == RecipientKind.STUDIO else None,
        result=result if kind == RecipientKind.RESULT else None,
        team_name=_text(team_name) if kind == RecipientKind.TEAM else "",
        team_employer=team_employer if kind == RecipientKind.TEAM else None,
        years_in_trade=years_in_trade,
        statement=_text(statement),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    missing = {
        RecipientKind.PERSON: nomination.worker is None,
        RecipientKind.STUDIO: nomination.studio is None,
        RecipientKind.RESULT: nomination.result is None,
        RecipientKind.TEAM: not nomination.team_name,
    }[kind]
    if missing:
        raise ValidationError(_("Choose the nominee"))
    with transaction.atomic():
        selection = _lock(selection)
        nomination.selection = selection
        _check_window(selection, today)
        problems = nominee_problems(nomination)
        if problems:
            raise ValidationError(problems)
        quota = Quota.objects.select_for_update().get(pk=quota.pk)
        if quota.used >= quota.places:
            raise ValidationError(
                _("%(org)s has used all its %(n)d nomination places") % {"org": organisation.name, "n": quota.places}
            )
        Quota.objects.filter(pk=quota.pk).update(used=F("used") + 1)
        try:
            with transaction.atomic():
                nomination.full_clean(exclude=["outlier_review"], validate_constraints=False)
                nomination.save()
        except IntegrityError:
            raise ValidationError(
                _("%(name)s is already nominated for this category") % {"name": nomination.nominee_name}
            ) from None
        log_action(
            actor=by,
            action="nomination.create",
            obj=nomination,
            after=snapshot(nomination, ["category_id", "kind", "worker_id", "studio_id", "result_id", "team_name"]),
        )
    return nomination


NOMINATION_FIELDS = ("statement", "years_in_trade", "team_name", "team_employer")


@transaction.atomic
def nomination_update(*, nomination: Nomination, by: Any, **changes: Any) -> Nomination:
    require(by, "honours.nominate", nomination)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.status not in (N.DRAFT, N.RETURNED):
        raise ValidationError(_("Only a draft or a returned nomination can be changed"))
    if "statement" in changes:
        changes["statement"] = _text(changes["statement"])
    if nomination.kind != RecipientKind.TEAM:
        changes.pop("team_name", None)
        changes.pop("team_employer", None)
    model_update(instance=nomination, fields=NOMINATION_FIELDS, data=changes, by=by)
    return nomination


@transaction.atomic
def material_give(
    *, nomination: Nomination, material: RequiredMaterial, by: Any, text: str | None = None, upload: Any = None
) -> MaterialAnswer:
    """Give a required material: its text, or a file (PDF, Word, JPEG or PNG)."""
    require(by, "honours.nominate", nomination)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.status not in (N.DRAFT, N.RETURNED):
        raise ValidationError(_("Only a draft or a returned nomination can be changed"))
    if material.selection_id != nomination.selection_id:
        raise ValidationError(_("The material does not belong to this selection"))
    answer = MaterialAnswer.objects.filter(nomination=nomination, material=material).first() or MaterialAnswer(
        nomination=nomination, material=material
    )
    if material.kind == RequiredMaterial.Kind.FILE:
        content_type, suffix = check_document(upload)
        original = str(getattr(upload, "name", "") or "")[:200]
        upload.name = f"material{suffix}"
        if answer.file:
            answer.file.delete(save=False)
        answer.file = upload
        answer.content_type = content_type
        answer.filename = original or f"material{suffix}"
        after = {"material": material.label, "file": answer.filename}
    else:
        value = _text(text)
        if not value:
            raise ValidationError(_("Write the material"))
        answer.text = value
        after = {"material": material.label}
    answer.full_clean(exclude=["file"])
    answer.save()
    log_action(actor=by, action="nomination.material", obj=nomination, after=after)
    return answer


@transaction.atomic
def nomination_submit(*, nomination: Nomination, by: Any, today: dt.date | None = None) -> Nomination:
    """The union submits a complete nomination while nominations are open."""
    selection = _lock(nomination.selection)
    transition = Nomination.workflow.get("submit")
    Nomination.workflow.check(Nomination.objects.values_list("status", flat=True).get(pk=nomination.pk), transition)
    require(by, "honours.nominate", nomination)
    _check_window(selection, today)
    problems = completeness_problems(nomination)
    if problems:
        raise ValidationError(problems)
    return Nomination.workflow.fire(
        nomination, "submit", by=by, changes={"submitted_by": by, "submitted_at": timezone.now(), "reason": ""}
    )


def _checkable(nomination: Nomination) -> Selection:
    selection = _lock(nomination.selection)
    if selection.status not in (S.OPEN, S.REVIEW):
        raise ValidationError(_("Nominations are checked while the selection is open or in review"))
    return selection


@transaction.atomic
def nomination_return(*, nomination: Nomination, reasons: str, by: Any) -> Nomination:
    """The organisers return a nomination with the reasons (not eligible, incomplete, …)."""
    _checkable(nomination)
    reasons = _text(reasons)
    if not reasons:
        raise ValidationError(_("Give the reasons for returning the nomination"))
    return Nomination.workflow.fire(
        nomination,
        "return",
        by=by,
        note=reasons,
        changes={"reason": reasons, "checked_by": by, "checked_at": timezone.now()},
    )


@transaction.atomic
def nomination_accept(*, nomination: Nomination, by: Any) -> Nomination:
    """The organisers find a nomination eligible and complete: it goes to the experts. Another
    person than the one who submitted it checks it (the two-person rule)."""
    _checkable(nomination)
    transition = Nomination.workflow.get("accept")
    current = Nomination.objects.select_for_update().get(pk=nomination.pk)
    Nomination.workflow.check(current.status, transition)
    require(by, "honours.check_nomination", current)
    if Panel.objects.filter(categories=current.category_id, signed_off_at__isnull=False).exists():
        raise ValidationError(_("The review of this category is signed off: no nomination can join it"))
    problems = nominee_problems(current) + completeness_problems(current)
    if problems:
        raise ValidationError([_("The nomination cannot go to the experts; return it with the reasons:"), *problems])
    return Nomination.workflow.fire(
        nomination, "accept", by=by, changes={"checked_by": by, "checked_at": timezone.now(), "reason": ""}
    )


def _release_place(nomination: Nomination) -> None:
    quota = Quota.objects.select_for_update().get(
        selection_id=nomination.selection_id, organisation_id=nomination.organisation_id
    )
    Quota.objects.filter(pk=quota.pk, used__gt=0).update(used=F("used") - 1)


@transaction.atomic
def nomination_withdraw(*, nomination: Nomination, by: Any, reason: str = "") -> Nomination:
    """The union withdraws its nomination before public notice; its place is free again."""
    Nomination.workflow.fire(nomination, "withdraw", by=by, note=_text(reason), changes={"reason": _text(reason)})
    _release_place(nomination)
    return nomination


@transaction.atomic
def nomination_disqualify(*, nomination: Nomination, reason: str, by: Any) -> Nomination:
    """The organisers disqualify a nomination, with the reason (the place stays used)."""
    reason = _text(reason)
    transition = Nomination.workflow.get("disqualify")
    Nomination.workflow.check(Nomination.objects.values_list("status", flat=True).get(pk=nomination.pk), transition)
    require(by, "honours.manage_selection", nomination)
    if not reason:
        raise ValidationError(_("Give the reason for the disqualification"))
    return Nomination.workflow.fire(nomination, "disqualify", by=by, note=reason, changes={"reason": reason})


# --- public notice and objections ------------------------------------------------------------------------


@transaction.atomic
def selection_notice(*, selection: Selection, by: Any, now: dt.datetime | None = None) -> Selection:
    """After every panel's sign-off, the nominations ranked within their category's places go on
    public notice for `notice_days`; the others are not selected. A tie at the last place is not
    broken by the platform: raise the places or have the panel review again."""
    require(by, "honours.manage_selection", selection)
    selection = _lock(selection)
    Selection.workflow.check(selection.status, Selection.workflow.get("notice"))
    now = now or timezone.now()
    pending = selection.nominations.filter(status=N.SUBMITTED).count()
    if pending:
        raise ValidationError(_("%(n)d submitted nominations are not checked yet") % {"n": pending})
    in_review = list(selection.nominations.filter(status=N.IN_REVIEW).select_related("category__honour"))
    if not in_review:
        raise ValidationError(_("No nomination is in review"))
    for category in selection.categories.select_related("honour"):
        mine = [n for n in in_review if n.category_id == category.pk]
        if not mine:
            continue
        panel = category.panels.first()
        if panel is None or panel.signed_off_at is None:
            raise ValidationError(
                _("The review of “%(category)s” is not signed off by its panel's chair") % {"category": category}
            )
        chosen = [n for n in mine if n.rank is not None and n.rank <= category.places]
        if len(chosen) > category.places:
            raise ValidationError(
                _(
                    "“%(category)s”: %(n)d nominations share the places up to rank %(places)d; raise the places or "
                    "have the panel review them again"
                )
                % {"category": category, "n": len(chosen), "places": category.places}
            )
    selected = [n for n in in_review if n.rank is not None and n.rank <= n.category.places]
    for n in in_review:
        Nomination.workflow.fire(n, "notice" if n in selected else "not_selected", by=by, system=True)
    for n in selected:
        if n.kind == RecipientKind.PERSON and n.worker.user_id:
            notify(
                n.worker.user,
                kind="honours.on_notice",
                title=_("Your nomination is on public notice"),
                body=_("%(selection)s: %(category)s") % {"selection": selection.title, "category": n.category},
                url=reverse("honours:notice", args=[selection.pk]),
            )
    Selection.workflow.fire(
        selection,
        "notice",
        by=by,
        system=True,
        changes={"notice_until": now + dt.timedelta(days=selection.notice_days)},
    )
    return selection


@transaction.atomic
def objection_file(
    *, nomination: Nomination, text: str, by: Any = None, contact: str = "", now: dt.datetime | None = None
) -> Objection:
    """Anyone (signed in, or leaving a contact) may object to a nomination on public notice."""
    now = now or timezone.now()
    selection = nomination.selection
    if nomination.status != N.ON_NOTICE or selection.notice_until is None or now > selection.notice_until:
        raise ValidationError(_("This nomination is not on public notice"))
    text = _text(text)
    if not text:
        raise ValidationError(_("Write the objection"))
    user = by if getattr(by, "is_authenticated", False) else None
    contact = _text(contact)
    if user is None and not contact:
        raise ValidationError(_("Leave a contact so that the organisers can answer"))
    objection = Objection(nomination=nomination, filed_by=user, contact=contact, text=text)
    objection.full_clean()
    objection.save()
    log_action(actor=user, action="honour_objection.file", obj=objection, after={"nomination": nomination.pk})
    return objection


@transaction.atomic
def objection_answer(*, objection: Objection, upheld: bool, response: str, by: Any) -> Objection:
    """The organisers answer an objection; an upheld one disqualifies the nomination."""
    transition = Objection.workflow.get("uphold" if upheld else "dismiss")
    Objection.workflow.check(Objection.objects.values_list("status", flat=True).get(pk=objection.pk), transition)
    require(by, "honours.answer_objection", objection)
    response = _text(response)
    if not response:
        raise ValidationError(_("Write a response"))
    Objection.workflow.fire(
        objection,
        transition.name,
        by=by,
        changes={"response": response, "resolved_by": by, "resolved_at": timezone.now()},
    )
    if upheld:
        nomination = Nomination.objects.get(pk=objection.nomination_id)
        if nomination.status == N.ON_NOTICE:
            Nomination.workflow.fire(nomination, "disqualify", by=by, note=response, changes={"reason": response})
    return objection


# --- naming ---------------------------------------------------------------------------------------------

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from paper


def new_certificate_code() -> str:
    while True:
        code = "HR" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
        if not Award.objects.filter(code=code).exists():
            return code


def _record_title(award: Award, nomination: Nomination, by: Any) -> Title | None:
    """Write the honour to the person's record. The people app has no service for titles, so the
    Title is written here, with an audit entry on the worker."""
    if nomination.kind != RecipientKind.PERSON:
        return None
    honour = award.honour
    title = Title.objects.create(
        worker=nomination.worker,
        kind=honour.title_kind or Title.Kind.OTHER,
        name=f"{award.selection.title}·{honour.name}"
        if honour.name not in award.selection.title
        else award.selection.title,
        awarded_by=award.selection.lead_org,
        year=award.year,
    )
    log_action(
        actor=by,
        action="worker.honour_recorded",
        obj=nomination.worker,
        note=_("%(title)s, conferred by %(body)s on %(date)s")
        % {"title": title.name, "body": award.issuing_body, "date": award.named_on.isoformat()},
    )
    return title


def _employer_name(nomination: Nomination) -> str:
    employer = nomination.nominee_employer()
    return employer.name if employer is not None else ""


@transaction.atomic
def selection_name(
    *, selection: Selection, by: Any, now: dt.datetime | None = None, named_on: dt.date | None = None
) -> list[Award]:
    """After the notice period, with every objection answered: the nominations on notice are
    named. Each honour goes on the roll, on the person's record (a people Title), the studio's
    (a recognition at the honour's level) or the team's and result's (the honour itself), with
    its date and issuing body, and gets a certificate code. Named by an organiser who did not
    chair a panel (two people)."""
    now = now or timezone.now()
    selection = _lock(selection)
    Selection.workflow.check(selection.status, Selection.workflow.get("publish"))
    require(by, "honours.name_honours", selection)
    if selection.notice_until and now < selection.notice_until:
        raise ValidationError(
            _("The public notice runs until %(until)s")
            % {"until": timezone.localtime(selection.notice_until).strftime("%Y-%m-%d %H:%M")}
        )
    open_objections = Objection.objects.filter(nomination__selection=selection, status=Objection.Status.OPEN).count()
    if open_objections:
        raise ValidationError(_("Answer every objection first (%(n)d open)") % {"n": open_objections})
    named_on = named_on or selection.naming_on or timezone.localdate(now)
    awards = []
    on_notice = selection.nominations.filter(status=N.ON_NOTICE).select_related(
        "category__honour",
        "worker__user",
        "worker__employer",
        "studio__employer",
        "result__studio__employer",
        "team_employer",
    )
    for nomination in on_notice:
        Nomination.workflow.fire(nomination, "name", by=by, system=True)
        honour = nomination.category.honour
        award = Award.objects.create(
            nomination=nomination,
            selection=selection,
            honour=honour,
            year=selection.year,
            named_on=named_on,
            issuing_body=selection.issuing_body,
            recipient_kind=nomination.kind,
            recipient_name=nomination.nominee_name,
            worker=nomination.worker,
            studio=nomination.studio,
            result=nomination.result,
            team_name=nomination.team_name,
            employer_name=_employer_name(nomination),
            organisation=nomination.organisation,
            code=new_certificate_code(),
        )
        title = _record_title(award, nomination, by)
        if title is not None:
            Award.objects.filter(pk=award.pk).update(title=title)
            award.title = title
        if nomination.kind == RecipientKind.STUDIO and honour.studio_level:
            recognition_record(
                studio=nomination.studio,
                level=honour.studio_level,
                recognised_on=named_on,
                body=selection.issuing_body,
                title=honour.name,
                award=award,
                by=by,
            )
        log_action(
            actor=by,
            action="award.name",
            obj=award,
            after=snapshot(award, ["honour_id", "year", "named_on", "issuing_body", "recipient_name"]),
        )
        if nomination.kind == RecipientKind.PERSON and nomination.worker.user_id:
            notify(
                nomination.worker.user,
                kind="honours.named",
                title=_("You have been named: %(honour)s") % {"honour": honour.name},
                body=_("%(selection)s. Your certificate can be downloaded in “My honours”.")
                % {"selection": selection.title},
                url=reverse("honours:mine"),
            )
        awards.append(award)
    Selection.workflow.fire(
        selection, "publish", by=by, system=True, changes={"named_at": now, "named_by": by, "naming_on": named_on}
    )
    return awards


@transaction.atomic
def award_revoke(*, award: Award, reason: str, by: Any) -> Award:
    """Revoke a named honour (the certificate stops verifying; it leaves the roll and the record)."""
    reason = _text(reason)
    transition = Award.workflow.get("revoke")
    Award.workflow.check(Award.objects.values_list("status", flat=True).get(pk=award.pk), transition)
    require(by, "honours.revoke_award", award)
    if not reason:
        raise ValidationError(_("Give the reason for revoking the honour"))
    Award.workflow.fire(award, "revoke", by=by, note=reason, changes={"revoke_reason": reason})
    if award.title_id:
        title = award.title
        log_action(actor=by, action="worker.honour_removed", obj=title.worker, note=f"{title.name}：{reason}")
        Award.objects.filter(pk=award.pk).update(title=None)
        title.delete()
    recognition = StudioRecognition.objects.filter(award=award).first()
    if recognition is not None:
        from deltaunion.honours.services.studios import recognition_remove

        recognition_remove(recognition=recognition, by=by, note=reason)
    return award

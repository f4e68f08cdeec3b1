"""Every write of the labour-relations app: signals and their sharing, cases and their steps,
referrals, evidence, projects and their prevention measures, recorded reports, read logs.

Services check permissions (`require`), validate, write inside one transaction through
`model_update` / the state machines, write the audit log and tell the people concerned
(`core.notifications.notify`, after the commit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deltaunion.core.audit import log_action, snapshot
from deltaunion.core.excel import list_join
from deltaunion.core.idnumber import IdNumberError, parse_id_number
from deltaunion.core.notifications import notify
from deltaunion.core.permissions import can, require
from deltaunion.core.privacy import mask_name
from deltaunion.core.services import model_update
from deltaunion.orgs.models import MANAGING_ROLES, Organisation, OrgRole
from deltaunion.relations import evidence as files
from deltaunion.relations import matching, workdays
from deltaunion.relations.models import (
    PROVINCE_CODES,
    Case,
    CaseParty,
    CaseStatus,
    Channel,
    DeclineReason,
    Evidence,
    EvidenceKind,
    MeasureKind,
    Outcome,
    PreventionMeasure,
    Project,
    Referral,
    ReferralMode,
    Signal,
    SignalShare,
    SignalWorker,
    SituationReport,
    province_label,
    province_of,
)

PROVINCE_SHORT = {"310000": "沪", "320000": "苏", "330000": "浙", "340000": "皖"}
MAX_PARTIES = 500
MAX_AMOUNT = Decimal("9999999999.99")

READ_ACTION = "relations_case.read_personal"
SIGNAL_READ_ACTION = "relations_signal.read_personal"


def today() -> dt.date:
    return timezone.localdate()


def officers_of(organisation: Organisation) -> list[Any]:
    """The users who manage the union itself (its officers and administrators)."""
    from django.contrib.auth import get_user_model

    ids = OrgRole.objects.filter(organisation=organisation, role__in=MANAGING_ROLES).values("user_id")
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def provincial_federation(province_code: str) -> Organisation | None:
    return (
        Organisation.objects.filter(kind=Organisation.Kind.PROVINCIAL, region_id=province_code).order_by("id").first()
    )


def _text(value: Any, limit: int, message: str | None = None) -> str:
    value = (value or "").strip() if isinstance(value, str) else ("" if value is None else str(value).strip())
    if message and not value:
        raise ValidationError(message)
    if len(value) > limit:
        raise ValidationError(_("The text is too long: at most %(n)d characters") % {"n": limit})
    return value


def _amount(value: Any) -> Decimal:
    if value in (None, ""):
        return Decimal("0")
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("An amount must be a number of yuan, e.g. 3500.00")) from None
    if amount < 0 or amount > MAX_AMOUNT:
        raise ValidationError(_("An amount must be between 0 and 9,999,999,999.99 yuan"))
    return amount


def _check_city(city: Any) -> None:
    if city is None:
        raise ValidationError(_("Choose the city"))
    if province_of(city.code) not in PROVINCE_CODES:
        raise ValidationError(_("Only places in Shanghai, Jiangsu, Zhejiang and Anhui are recorded here"))


# --- signals ---------------------------------------------------------------------------------------------

SIGNAL_FIELDS = [
    "kind",
    "severity",
    "workers_affected",
    "site_provinces",
    "occurred_on",
    "description",
    "city",
    "employer_name",
    "employer",
    "industry",
    "ownership",
]


def _origins(origins: dict[str, Any] | None, workers_affected: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for code, n in (origins or {}).items():
        if code not in PROVINCE_CODES and code != "other":
            raise ValidationError(_("Unknown province of origin"))
        try:
            count = int(n or 0)
        except (TypeError, ValueError):
            raise ValidationError(_("The numbers of workers must be whole numbers")) from None
        if count < 0:
            raise ValidationError(_("The numbers of workers must be whole numbers"))
        if count:
            out[code] = count
    if sum(out.values()) > workers_affected:
        raise ValidationError(_("More workers are counted by origin than are affected"))
    return out


def _sites(sites: Iterable[str] | None) -> list[str]:
    sites = sorted(set(sites or []))
    if any(s not in PROVINCE_CODES for s in sites):
        raise ValidationError(_("Unknown province"))
    return sites


def _origins_text(origins: dict[str, int]) -> str:
    return list_join(f"{province_label(code)} {n}" for code, n in sorted(origins.items()))


def _signal_worker(data: dict[str, Any]) -> SignalWorker:
    name = _text(data.get("name"), 100, _("Give the worker's name"))
    try:
        info = parse_id_number(data.get("id_number") or "")
    except IdNumberError as exc:
        raise ValidationError(str(exc)) from None
    phone = _text(data.get("phone"), 20)
    return SignalWorker(name=name, id_number=info.number, phone=phone, home_province=province_of(info.region_code))


def signal_create(
    *,
    organisation: Organisation,
    by: Any,
    origins: dict[str, Any] | None = None,
    workers: Sequence[dict[str, Any]] = (),
    is_demo: bool = False,
    **fields: Any,
) -> Signal:
    """Record a signal; the federations of the provinces its workers come from, or where the
    employer has sites, are told and see it."""
    require(by, "relations.open_signal", organisation)
    unknown = set(fields) - set(SIGNAL_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be set: %(f)s") % {"f": ", ".join(sorted(unknown))})
    _check_city(fields.get("city"))
    fields["site_provinces"] = _sites(fields.get("site_provinces"))
    workers_affected = int(fields.get("workers_affected") or 0)
    clean_origins = _origins(origins, workers_affected)
    rows = [_signal_worker(w) for w in workers]
    if len({r.id_number for r in rows}) != len(rows):
        raise ValidationError(_("A worker is listed twice"))
    with transaction.atomic():
        signal = Signal(organisation=organisation, recorded_by=by, origins=clean_origins, is_demo=is_demo, **fields)
        signal.full_clean()
        signal.save()
        for row in rows:
            row.signal = signal
        SignalWorker.objects.bulk_create(rows)
        after = snapshot(signal)
        after["origins_text"] = _origins_text(clean_origins)
        log_action(actor=by, action="relations_signal.create", obj=signal, after=after)
        _share(signal, by)
    return signal


def signal_update(*, signal: Signal, by: Any, origins: dict[str, Any] | None = None, **fields: Any) -> Signal:
    require(by, "relations.manage_signal", signal)
    if "city" in fields:
        _check_city(fields["city"])
    if "site_provinces" in fields:
        fields["site_provinces"] = _sites(fields["site_provinces"])
    with transaction.atomic():
        model_update(instance=signal, fields=SIGNAL_FIELDS, data=fields, by=by, action="relations_signal.update")
        if origins is not None:
            clean = _origins(origins, signal.workers_affected)
            if clean != signal.origins:
                before = _origins_text(signal.origins)
                Signal.objects.filter(pk=signal.pk).update(origins=clean)
                signal.origins = clean
                log_action(
                    actor=by,
                    action="relations_signal.update",
                    obj=signal,
                    before={"origins_text": before},
                    after={"origins_text": _origins_text(clean)},
                )
        elif sum(signal.origins.values()) > signal.workers_affected:
            raise ValidationError(_("More workers are counted by origin than are affected"))
        _share(signal, by)
    return signal


def signal_add_worker(*, signal: Signal, by: Any, name: str, id_number: str, phone: str = "") -> SignalWorker:
    require(by, "relations.manage_signal", signal)
    row = _signal_worker({"name": name, "id_number": id_number, "phone": phone})
    if signal.workers.filter(id_number=row.id_number).exists():
        raise ValidationError(_("A worker is listed twice"))
    if signal.workers.count() >= signal.workers_affected:
        raise ValidationError(_("More workers are listed than are affected: change the number affected first"))
    with transaction.atomic():
        row.signal = signal
        row.save()
        log_action(
            actor=by,
            action="relations_signal.worker_add",
            obj=signal,
            after={"worker": mask_name(row.name), "home_province": row.home_province},
        )
        _share(signal, by)
    return row


def _share_targets(signal: Signal) -> dict[str, str]:
    """province code → why the signal is shared there (not its own province)."""
    own = signal.province_code
    worker_provinces = {c for c, n in signal.origins.items() if n and c in PROVINCE_CODES}
    worker_provinces |= set(signal.workers.exclude(home_province="other").values_list("home_province", flat=True))
    site_provinces = set(signal.site_provinces)
    out = {}
    for code in (worker_provinces | site_provinces) - {own}:
        if code not in PROVINCE_CODES:
            continue
        both = code in worker_provinces and code in site_provinces
        out[code] = (
            SignalShare.Reason.BOTH
            if both
            else SignalShare.Reason.WORKERS
            if code in worker_provinces
            else SignalShare.Reason.SITES
        )
    return out


def _share(signal: Signal, by: Any) -> list[SignalShare]:
    """Share the signal with the federations it concerns (once each) and tell their officers.

    Sharing needs the deployment's matching key (what is shared about workers is keyed hashes):
    without it this refuses, and nothing is saved."""
    targets = _share_targets(signal)
    existing = set(signal.shares.values_list("federation__region_id", flat=True))
    new = []
    for code, reason in sorted(targets.items()):
        if code in existing:
            continue
        federation = provincial_federation(code)
        if federation is None:
            continue
        new.append(SignalShare(signal=signal, federation=federation, reason=reason))
    if not new:
        return []
    matching.match_secret()  # MatchKeyMissing (a ValidationError) when sharing is not configured
    SignalShare.objects.bulk_create(new)
    log_action(
        actor=by,
        action="relations_signal.share",
        obj=signal,
        after={"shared_with_text": list_join(s.federation.name for s in new)},
    )
    url = reverse("relations:signal", args=[signal.pk])
    for share in new:
        for officer in officers_of(share.federation):
            notify(
                officer,
                kind="relations.signal_shared",
                title=_("Early warning from %(union)s: %(employer)s")
                % {"union": signal.organisation.name, "employer": signal.employer_name},
                body=_("%(kind)s, %(n)d workers affected. %(reason)s.")
                % {
                    "kind": signal.get_kind_display(),
                    "n": signal.workers_affected,
                    "reason": share.get_reason_display(),
                },
                url=url,
            )
    return new


def signal_set_status(*, signal: Signal, status: str, by: Any, note: str = "") -> Signal:
    return Signal.workflow.fire(signal, to=status, by=by, note=_text(note, 500))


def signal_log_read(*, signal: Signal, by: Any, what: str) -> None:
    """Someone read the personal data of the signal's workers."""
    log_action(actor=by, action=SIGNAL_READ_ACTION, obj=signal, note=what)


# --- cases: opening ------------------------------------------------------------------------------------------


def _party(data: dict[str, Any], *, required_id: bool = False) -> CaseParty:
    name = _text(data.get("name"), 100, _("Give the worker's name"))
    raw = (data.get("id_number") or "").strip()
    number, home = "", ""
    if raw or required_id:
        try:
            info = parse_id_number(raw)
        except IdNumberError as exc:
            raise ValidationError(str(exc)) from None
        number, home = info.number, province_of(info.region_code)
    owed, recovered = _amount(data.get("amount_owed")), _amount(data.get("amount_recovered"))
    if recovered > owed:
        raise ValidationError(_("More cannot be recovered than is owed"))
    return CaseParty(
        worker=data.get("worker"),
        user=data.get("user"),
        name=name,
        id_number=number,
        phone=_text(data.get("phone"), 20),
        home_province=home,
        amount_owed=owed,
        amount_recovered=recovered,
    )


def _past(day: dt.date | None) -> dt.date | None:
    if day is not None and day > today():
        raise ValidationError(_("A step cannot be dated in the future"))
    return day


def _step_changes(state: str, start: dt.date | None = None) -> dict[str, Any]:
    start = start or today()
    deadline = workdays.step_deadline(state, start)
    return {
        "step_started_on": start,
        "due_on": deadline.due if deadline else None,
        "due_estimated": bool(deadline and deadline.estimated),
    }


def _number(case: Case) -> str:
    short = PROVINCE_SHORT.get(case.province_code, "LR")
    return f"{short}{case.opened_on:%Y}-{case.pk:06d}"


CASE_FIELDS = ["summary", "city", "employer_name", "employer", "industry", "ownership", "project", "kind"]


def case_open(
    *,
    organisation: Organisation,
    by: Any,
    kind: str,
    summary: str,
    city: Any,
    employer_name: str,
    parties: Sequence[dict[str, Any]],
    industry: str = "other",
    ownership: str = "private",
    employer: Any = None,
    project: Project | None = None,
    signal: Signal | None = None,
    opened_on: dt.date | None = None,
    channel: str = Channel.OFFICER,
    applicant: Any = None,
    is_demo: bool = False,
) -> Case:
    """Open a case for one worker or a group (`parties`). Officers open cases for the unions they
    manage; a worker's own request comes through `case_request`."""
    if channel == Channel.OFFICER:
        require(by, "relations.open_case", organisation)
    else:
        require(by, "relations.ask_for_help")
    _check_city(city)
    if (
        project is not None
        and project.organisation_id != organisation.pk
        and not can(by, "relations.manage_project", project)
    ):
        raise ValidationError(_("Choose a project of the union"))
    rows = [_party(p) for p in parties]
    if not rows:
        raise ValidationError(_("A case is for at least one worker"))
    if len(rows) > MAX_PARTIES:
        raise ValidationError(_("A case is for at most %(n)d workers") % {"n": MAX_PARTIES})
    numbers = [r.id_number for r in rows if r.id_number]
    if len(set(numbers)) != len(numbers):
        raise ValidationError(_("A worker is listed twice"))
    opened_on = opened_on or today()
    if opened_on > today():
        raise ValidationError(_("A case cannot be received in the future"))
    with transaction.atomic():
        case = Case(
            organisation=organisation,
            kind=kind,
            channel=channel,
            summary=_text(summary, 5000, _("Describe what happened")),
            city=city,
            employer_name=_text(employer_name, 200, _("Name the employer")),
            employer=employer,
            industry=industry,
            ownership=ownership,
            project=project,
            signal=signal,
            opened_on=opened_on,
            applicant=applicant,
            is_demo=is_demo,
            **_step_changes(CaseStatus.RECEIVED, opened_on),
        )
        case.full_clean(exclude=["number"])
        case.save()
        case.number = _number(case)
        Case.objects.filter(pk=case.pk).update(number=case.number)
        for row in rows:
            row.case = case
            row.full_clean(exclude=["case"])
        CaseParty.objects.bulk_create(rows)
        after = snapshot(
            case, ["number", "kind", "channel", "organisation_id", "city_id", "employer_name", "opened_on"]
        )
        after["parties_text"] = _parties_text(rows)
        action = "relations_case.request" if channel == Channel.ONLINE else "relations_case.create"
        log_action(actor=by, action=action, obj=case, after=after)
        url = reverse("relations:case", args=[case.pk])
        for officer in officers_of(organisation):
            if officer.pk != getattr(by, "pk", None):
                notify(
                    officer,
                    kind="relations.case_received",
                    title=_("New case %(number)s: %(kind)s") % {"number": case.number, "kind": case.get_kind_display()},
                    body=case.employer_name,
                    url=url,
                )
        _tell_workers(case, exclude=None)
    return case


def _parties_text(rows: Sequence[CaseParty]) -> str:
    if len(rows) > 5:
        return _("%(n)d workers") % {"n": len(rows)}
    return list_join(mask_name(r.name) for r in rows)


def _worker_of(user: Any) -> Any:
    from deltaunion.relations.selectors import worker_record  # selectors import this module

    return worker_record(user)


def case_request(
    *,
    by: Any,
    organisation: Organisation,
    kind: str,
    city: Any,
    employer_name: str,
    summary: str,
    phone: str = "",
    id_number: str = "",
    workers_count: int = 1,
    amount_owed: Any = None,
    uploads: Sequence[tuple[Any, str]] = (),
    is_demo: bool = False,
) -> Case:
    """A worker asks for help (or legal aid) from their phone, in their own province or the one
    they work in, with evidence (each upload a (file, kind) pair). The union they chose receives it."""
    require(by, "relations.ask_for_help")
    if organisation.kind not in (Organisation.Kind.PROVINCIAL, Organisation.Kind.CITY):
        raise ValidationError(_("Choose the federation of a province or a city"))
    if len(uploads) > files.MAX_FILES_PER_UPLOAD:
        raise ValidationError(_("At most %(n)d files at a time") % {"n": files.MAX_FILES_PER_UPLOAD})
    checked = [(files.check(f), f, k) for f, k in uploads]  # refuse bad files before anything is saved
    worker = _worker_of(by)
    party = {
        "name": getattr(worker, "name", "") or by.full_name or by.username,
        "id_number": getattr(worker, "id_number", "") or id_number,
        "phone": (phone or "").strip() or getattr(worker, "phone", ""),
        "amount_owed": amount_owed,
        "worker": worker,
        "user": by,
    }
    count = int(workers_count or 1)
    if count < 1 or count > MAX_PARTIES:
        raise ValidationError(_("Give how many workers are concerned, from 1 to %(n)d") % {"n": MAX_PARTIES})
    text = _text(summary, 5000, _("Describe what happened"))
    if count > 1:
        text = _("(On behalf of %(n)d workers)") % {"n": count} + "\n" + text
    employer = getattr(worker, "employer", None)
    if employer is not None and employer.name != (employer_name or "").strip():
        employer = None
    with transaction.atomic():
        case = case_open(
            organisation=organisation,
            by=by,
            kind=kind,
            summary=text,
            city=city,
            employer_name=employer_name,
            employer=employer,
            parties=[party],
            channel=Channel.ONLINE,
            applicant=by,
            ownership=getattr(employer, "ownership", None) or "private",
            is_demo=is_demo,
        )
        for check, upload, evidence_kind in checked:
            _evidence_save(check, upload, kind=evidence_kind, by=by, case=case)
    return case


# --- cases: steps ----------------------------------------------------------------------------------------------

NEXT_STEPS = {
    CaseStatus.RECEIVED: gettext_lazy(
        "The union has received the request and assigns an officer within 3 working days."
    ),
    CaseStatus.ASSIGNED: gettext_lazy("An officer is handling the case and will contact you."),
    CaseStatus.REFERRED: gettext_lazy(
        "The case has been passed to the union where the work took place; it answers within 5 working days."
    ),
    CaseStatus.ACCEPTED: gettext_lazy("The union where the work took place has taken the case up."),
    CaseStatus.MEDIATION: gettext_lazy(
        "Mediation is under way. Without an agreement 15 days after the application you may apply for arbitration."
    ),
    CaseStatus.AGREEMENT: gettext_lazy("An agreement was reached; the union checks that it is carried out."),
    CaseStatus.NO_AGREEMENT: gettext_lazy(
        "No agreement was reached: the union helps you apply for arbitration, go to court or get legal aid."
    ),
    CaseStatus.ARBITRATION: gettext_lazy("The case is before the labour-dispute arbitration committee."),
    CaseStatus.LITIGATION: gettext_lazy("The case is before the court."),
    CaseStatus.LEGAL_AID: gettext_lazy("A union legal-aid lawyer is helping you."),
    CaseStatus.CLOSED: gettext_lazy("The case is closed. The union will ask you how things went."),
    CaseStatus.FOLLOW_UP: gettext_lazy("The union has followed the case up with you."),
}


def _case_users(case: Case) -> list[Any]:
    from django.contrib.auth import get_user_model

    ids = set(case.parties.exclude(user_id=None).values_list("user_id", flat=True))
    if case.applicant_id:
        ids.add(case.applicant_id)
    return list(get_user_model().objects.filter(pk__in=ids))


def _tell_workers(case: Case, exclude: Any) -> None:
    """Tell the workers of the case (with a login) where it stands and what happens next."""
    url = reverse("relations:case", args=[case.pk])
    for user in _case_users(case):
        if exclude is not None and user.pk == exclude.pk:
            continue
        notify(
            user,
            kind="relations.case_step",
            title=_("Your case %(number)s: %(status)s") % {"number": case.number, "status": case.get_status_display()},
            body=str(NEXT_STEPS.get(case.status, "")),
            url=url,
        )


def _fire(
    case: Case,
    name: str,
    *,
    by: Any,
    note: str = "",
    changes: dict[str, Any] | None = None,
    on: dt.date | None = None,
) -> Case:
    target = Case.workflow.get(name).target
    all_changes = {**_step_changes(target, on), **(changes or {})}
    Case.workflow.fire(case, name, by=by, note=_text(note, 500), changes=all_changes)
    _tell_workers(case, exclude=by)
    return case


def eligible_handlers(case: Case) -> list[Any]:
    """Officers who may be assigned the case: those managing its union, the unions above it up to
    the province, or the unions below it."""
    from django.contrib.auth import get_user_model

    org = case.organisation
    paths = [p for p in org.ancestor_paths() if len(p) > 7]
    roles = OrgRole.objects.filter(role__in=MANAGING_ROLES).filter(
        organisation__path__in=paths
    ) | OrgRole.objects.filter(role__in=MANAGING_ROLES, organisation__path__startswith=org.path)
    return list(
        get_user_model().objects.filter(pk__in=roles.values("user_id"), is_active=True).order_by("full_name", "pk")
    )


def case_assign(*, case: Case, assignee: Any, by: Any, note: str = "", on: dt.date | None = None) -> Case:
    """Assign (a received case) or reassign the officer who handles it."""
    require(by, "relations.own_case", case)
    if assignee is None or assignee.pk not in {u.pk for u in eligible_handlers(case)}:
        raise ValidationError(_("Choose an officer of the union handling the case"))
    with transaction.atomic():
        if case.status == CaseStatus.RECEIVED:
            _fire(case, "assign", by=by, note=note, changes={"assignee": assignee}, on=_past(on))
        else:
            if not case.is_active:
                raise ValidationError(_("A closed case is not reassigned: reopen it first"))
            model_update(
                instance=case, fields=["assignee"], data={"assignee": assignee}, by=by, action="relations_case.reassign"
            )
        if assignee.pk != getattr(by, "pk", None):
            notify(
                assignee,
                kind="relations.case_assigned",
                title=_("Case %(number)s is assigned to you") % {"number": case.number},
                body=case.employer_name,
                url=reverse("relations:case", args=[case.pk]),
            )
    return case


def referral_targets(case: Case) -> list[Organisation]:
    """The federations a case may be referred to: the provincial and city federations of the
    region other than the case's own union."""
    return list(
        Organisation.objects.filter(
            kind__in=[Organisation.Kind.PROVINCIAL, Organisation.Kind.CITY],
            region__code__regex=r"^3[1-4]",
        )
        .exclude(pk=case.organisation_id)
        .order_by("path")
    )


def case_refer(
    *, case: Case, to_organisation: Organisation, mode: str, by: Any, message: str = "", on: dt.date | None = None
) -> Referral:
    """Pass the case to another union: a referral (it works on the case, we keep it) or a transfer
    (it takes the case over). It answers within 5 working days."""
    require(by, "relations.own_case", case)
    if mode not in ReferralMode.values:
        raise ValidationError(_("Choose a referral or a transfer"))
    if to_organisation.pk not in {o.pk for o in referral_targets(case)}:
        raise ValidationError(_("Choose the federation of another province or city"))
    with transaction.atomic():
        _fire(case, "refer", by=by, note=message, on=_past(on))
        referral = Referral(
            case=case,
            from_organisation=case.organisation,
            to_organisation=to_organisation,
            mode=mode,
            message=_text(message, 500),
            created_by=by,
        )
        referral.full_clean()
        referral.save()
        log_action(actor=by, action="relations_referral.create", obj=referral, after=snapshot(referral))
        url = reverse("relations:case", args=[case.pk])
        for officer in officers_of(to_organisation):
            notify(
                officer,
                kind="relations.referral",
                title=_("%(union)s refers case %(number)s to you")
                % {"union": case.organisation.name, "number": case.number},
                body=referral.get_mode_display(),
                url=url,
            )
    return referral


def pending_referral(case: Case) -> Referral | None:
    return case.referrals.filter(status=Referral.Status.PENDING).select_related("to_organisation").first()


def case_answer_referral(
    *, case: Case, accept: bool, by: Any, reason: str = "", note: str = "", on: dt.date | None = None
) -> Referral:
    """The receiving union accepts (a referral: it works on the case; a transfer: it owns it) or
    declines with a reason code (the case goes back to the sender, assigned)."""
    referral = pending_referral(case)
    if referral is None:
        raise ValidationError(_("There is no referral of this case to answer"))
    require(by, "relations.answer_referral", referral)
    now = timezone.now()
    with transaction.atomic():
        if accept:
            changes: dict[str, Any] = {}
            if referral.mode == ReferralMode.TRANSFER:
                changes = {"organisation": referral.to_organisation, "assignee": None}
            _fire(case, "accept", by=by, note=note, changes=changes, on=_past(on))
            Referral.workflow.fire(
                referral, "accept", by=by, note=_text(note, 500), changes={"answered_by": by, "answered_at": now}
            )
        else:
            if reason not in DeclineReason.values:
                raise ValidationError(_("Choose the reason for declining"))
            _fire(case, "decline", by=by, note=note, on=_past(on))
            Referral.workflow.fire(
                referral,
                "decline",
                by=by,
                note=_text(note, 500),
                changes={"decline_reason": reason, "answered_by": by, "answered_at": now},
            )
        if referral.created_by_id and referral.created_by_id != by.pk:
            notify(
                referral.created_by,
                kind="relations.referral_answered",
                title=(_("%(union)s accepted case %(number)s") if accept else _("%(union)s declined case %(number)s"))
                % {"union": referral.to_organisation.name, "number": case.number},
                body=referral.get_decline_reason_display() if not accept else referral.get_mode_display(),
                url=reverse("relations:case", args=[case.pk]),
            )
    return referral


def case_withdraw_referral(*, case: Case, by: Any, note: str = "") -> Referral:
    referral = pending_referral(case)
    if referral is None:
        raise ValidationError(_("There is no referral of this case to answer"))
    require(by, "relations.own_case", case)
    with transaction.atomic():
        _fire(case, "withdraw_referral", by=by, note=note)
        Referral.workflow.fire(referral, "withdraw", by=by, note=_text(note, 500))
    return referral


# The steps fired from the case page's step form (referrals and assignment have their own).
STEPS = ("mediate", "agree", "no_agreement", "arbitrate", "litigate", "legal_aid", "close", "follow_up", "reopen")


def case_step(
    *,
    case: Case,
    step: str,
    by: Any,
    note: str = "",
    outcome: str = "",
    on: dt.date | None = None,
) -> Case:
    """Move the case along one of its steps (the state machine checks where it may go and who
    may take the step). Mediation records the date of the application (art. 14); closing needs
    an outcome."""
    if step not in STEPS:
        raise ValidationError(_("Choose a step"))
    changes: dict[str, Any] = {}
    day = on or today()
    if day > today():
        raise ValidationError(_("A step cannot be dated in the future"))
    if step == "mediate":
        changes["mediation_applied_on"] = day
    elif step == "close":
        if outcome not in Outcome.values:
            raise ValidationError(_("Choose the outcome of the case"))
        changes.update(outcome=outcome, closed_on=day)
    elif step == "reopen":
        changes.update(outcome="", closed_on=None)
    with transaction.atomic():
        target = Case.workflow.get(step).target
        changes = {**_step_changes(target, day), **changes}
        Case.workflow.fire(case, step, by=by, note=_text(note, 500), changes=changes)
        _tell_workers(case, exclude=by)
    return case


def case_update(*, case: Case, by: Any, **fields: Any) -> Case:
    require(by, "relations.own_case", case)
    if "city" in fields:
        _check_city(fields["city"])
    model_update(instance=case, fields=CASE_FIELDS, data=fields, by=by, action="relations_case.update")
    return case


def case_add_party(*, case: Case, by: Any, **data: Any) -> CaseParty:
    require(by, "relations.own_case", case)
    party = _party(data)
    if party.id_number and case.parties.filter(id_number=party.id_number).exists():
        raise ValidationError(_("A worker is listed twice"))
    if case.parties.count() >= MAX_PARTIES:
        raise ValidationError(_("A case is for at most %(n)d workers") % {"n": MAX_PARTIES})
    with transaction.atomic():
        party.case = case
        party.save()
        log_action(actor=by, action="relations_case.party_add", obj=case, after={"parties_text": mask_name(party.name)})
    return party


def party_set_amounts(*, party: CaseParty, by: Any, amount_owed: Any, amount_recovered: Any) -> CaseParty:
    """The wages owed to a worker and recovered so far (the outstanding amount follows)."""
    require(by, "relations.handle_case", party.case)
    owed, recovered = _amount(amount_owed), _amount(amount_recovered)
    if recovered > owed:
        raise ValidationError(_("More cannot be recovered than is owed"))
    model_update(
        instance=party,
        fields=["amount_owed", "amount_recovered"],
        data={"amount_owed": owed, "amount_recovered": recovered},
        by=by,
        action="relations_party.update",
    )
    return party


def case_log_read(*, case: Case, by: Any, what: str) -> None:
    """Someone read the case's personal data: one audit entry per read (the case page lists them)."""
    log_action(actor=by, action=READ_ACTION, obj=case, note=what)


def deadlines_recompute(*, calendar: workdays.WorkCalendar | None = None) -> int:
    """Work out again the estimated deadlines (counted by weekends only), e.g. after the calendar
    package learnt a new year's holidays. Returns how many changed."""
    changed = 0
    cases = Case.objects.filter(due_estimated=True).exclude(status__in=[CaseStatus.CLOSED, CaseStatus.FOLLOW_UP])
    for case in cases.exclude(step_started_on=None):
        deadline = workdays.step_deadline(case.status, case.step_started_on, calendar)
        data = {"due_on": deadline.due if deadline else None, "due_estimated": bool(deadline and deadline.estimated)}
        _case, did = model_update(
            instance=case, fields=["due_on", "due_estimated"], data=data, by=None, action="relations_case.deadline"
        )
        changed += int(did)
    return changed


# --- evidence --------------------------------------------------------------------------------------------------


def _evidence_save(
    checked: tuple[files.CheckedFile, str],
    upload: Any,
    *,
    kind: str,
    by: Any,
    case: Case | None = None,
    measure: PreventionMeasure | None = None,
) -> Evidence:
    if kind not in EvidenceKind.values:
        raise ValidationError(_("Choose what the file shows"))
    found, sha256 = checked
    name = files.clean_name(getattr(upload, "name", ""), found.suffix)
    item = Evidence(
        case=case,
        measure=measure,
        kind=kind,
        original_name=name,
        content_type=found.content_type,
        size=found.size,
        sha256=sha256,
        uploaded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    upload.seek(0)
    item.file.save(files.stored_name(found), upload, save=False)
    try:
        item.save()
        target = case if case is not None else measure.project
        action = "relations_case.evidence_add" if case is not None else "relations_project.file_add"
        # The file's name may hold a person's name: the history (seen by a union deciding on a
        # referral too) records only what kind of file was attached.
        log_action(actor=by, action=action, obj=target, after={"evidence_kind": kind})
    except Exception:
        item.file.delete(save=False)
        raise
    return item


def evidence_add(
    *,
    upload: Any,
    kind: str,
    by: Any,
    case: Case | None = None,
    measure: PreventionMeasure | None = None,
) -> Evidence:
    """Attach a file (checked by content and size) to a case or to a prevention measure."""
    if (case is None) == (measure is None):
        raise ValueError("evidence belongs to a case or to a measure")
    if case is not None:
        require(by, "relations.add_evidence", case)
        if case.evidence.count() >= 100:
            raise ValidationError(_("A case holds at most 100 files"))
    else:
        require(by, "relations.manage_project", measure.project)
    checked = files.check(upload)
    with transaction.atomic():
        return _evidence_save(checked, upload, kind=kind, by=by, case=case, measure=measure)


def evidence_open(*, item: Evidence, by: Any) -> Any:
    """The stored file, for someone allowed to read it; the read is logged."""
    if item.case_id is not None:
        require(by, "relations.see_personal_data", item.case)
        case_log_read(case=item.case, by=by, what=_("evidence file “%(name)s”") % {"name": item.original_name})
    else:
        project = item.measure.project
        require(by, "relations.manage_project", project)
        log_action(actor=by, action="relations_project.file_read", obj=project, note=item.original_name)
    if not item.file or not item.file.storage.exists(item.file.name):
        raise FileNotFoundError(item.original_name)
    return item.file


# --- projects and prevention measures -------------------------------------------------------------------------

PROJECT_FIELDS = ["name", "city", "contractor", "main_contractor", "project_manager"]


def project_create(*, organisation: Organisation, by: Any, is_demo: bool = False, **fields: Any) -> Project:
    require(by, "relations.add_project", organisation)
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be set: %(f)s") % {"f": ", ".join(sorted(unknown))})
    _check_city(fields.get("city"))
    with transaction.atomic():
        project = Project(organisation=organisation, is_demo=is_demo, **fields)
        project.full_clean()
        project.save()
        log_action(actor=by, action="relations_project.create", obj=project, after=snapshot(project))
    return project


def project_update(*, project: Project, by: Any, **fields: Any) -> Project:
    require(by, "relations.manage_project", project)
    if "city" in fields:
        _check_city(fields["city"])
    model_update(instance=project, fields=PROJECT_FIELDS, data=fields, by=by, action="relations_project.update")
    return project


def measure_add(
    *,
    project: Project,
    by: Any,
    kind: str,
    done_on: dt.date,
    note: str = "",
    uploads: Sequence[Any] = (),
) -> PreventionMeasure:
    """A prevention measure in place on the project (with its date and files)."""
    require(by, "relations.manage_project", project)
    if kind not in MeasureKind.values:
        raise ValidationError(_("Choose the measure"))
    if done_on is None or done_on > today():
        raise ValidationError(_("Give the date the measure was taken (not in the future)"))
    checked = [files.check(u) for u in uploads]
    with transaction.atomic():
        measure = PreventionMeasure(project=project, kind=kind, done_on=done_on, note=_text(note, 300), recorded_by=by)
        measure.full_clean()
        measure.save()
        log_action(
            actor=by,
            action="relations_project.measure_add",
            obj=project,
            after={"measure": kind, "done_on": done_on.isoformat(), "note": measure.note},
        )
        for check, upload in zip(checked, uploads, strict=True):
            _evidence_save(check, upload, kind=EvidenceKind.RECORD, by=by, measure=measure)
    return measure


# --- situation reports --------------------------------------------------------------------------------------


def report_record(
    *, organisation: Organisation, year: int, by: Any, title: str = "", is_demo: bool = False
) -> SituationReport:
    """Record the situation report of a year as it stands (for the joint meeting)."""
    from deltaunion.relations import report

    require(by, "relations.view_report")
    require(by, "relations.open_case", organisation)
    figures = report.figures(year)
    with transaction.atomic():
        item = SituationReport.objects.create(
            organisation=organisation,
            year=year,
            title=_text(title, 200) or _("Labour-relations situation report %(year)d") % {"year": year},
            figures=figures,
            recorded_by=by,
            is_demo=is_demo,
        )
        log_action(
            actor=by,
            action="relations_report.record",
            obj=item,
            after={"title": item.title, "year": year},
        )
    return item


def help_union(*, by: Any, city: Any, choice: str, id_number: str = "") -> Organisation:
    """Where a worker's request goes: the federation of the city where they work, or the provincial
    federation of their home province (from their ID number)."""
    _check_city(city)
    if choice == "home":
        worker = _worker_of(by)
        raw = getattr(worker, "id_number", "") or id_number
        try:
            code = province_of(parse_id_number(raw).region_code)
        except IdNumberError:
            raise ValidationError(_("Give your ID number: it tells your home province")) from None
        federation = provincial_federation(code) if code in PROVINCE_CODES else None
        if federation is None:
            raise ValidationError(_("Your home province is not one of the four: choose the union where you work"))
        return federation
    federation = Organisation.objects.filter(kind=Organisation.Kind.CITY, region=city).order_by(
        "id"
    ).first() or provincial_federation(province_of(city.code))
    if federation is None:
        raise ValidationError(_("No union federation is registered for this place yet"))
    return federation

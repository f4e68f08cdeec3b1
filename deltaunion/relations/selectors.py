"""Every read of the labour-relations app, already scoped to the user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case as When_
from django.db.models import F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from deltaunion.core.audit import HistoryItem, describe
from deltaunion.core.models import AuditEntry
from deltaunion.core.permissions import can
from deltaunion.core.privacy import mask_id_number, mask_name, mask_phone
from deltaunion.orgs.models import PATH_STEP, Organisation
from deltaunion.orgs.scoping import get_for_user_or_404, managed, scope_for
from deltaunion.relations import matching, workdays
from deltaunion.relations.models import (
    FINISHED,
    Case,
    CaseKind,
    CaseParty,
    CaseStatus,
    Evidence,
    Project,
    Referral,
    Signal,
    SignalKind,
    SituationReport,
    province_label,
)
from deltaunion.relations.permissions import cases_visible_q, federation_path, signals_visible_q
from deltaunion.relations.services import NEXT_STEPS, READ_ACTION, SIGNAL_READ_ACTION, pending_referral


def today() -> dt.date:
    return timezone.localdate()


# --- cases ----------------------------------------------------------------------------------------------


def visible_cases(user: Any) -> QuerySet[Case]:
    return Case.objects.filter(pk__in=Case.objects.filter(cases_visible_q(user)).values("pk"))


def case_for_user_or_404(user: Any, case_id: int) -> Case:
    case = (
        visible_cases(user)
        .select_related("organisation", "city", "assignee", "applicant", "project", "signal")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404("not found")
    return case


@dataclass
class CaseFilters:
    state: str = "active"  # active, finished, all, or one status
    kind: str = ""
    q: str = ""
    overdue: bool = False
    year: int | None = None
    errors: list[str] = field(default_factory=list)

    def query(self) -> dict[str, str]:
        out = {"state": self.state, "kind": self.kind, "q": self.q}
        if self.overdue:
            out["overdue"] = "1"
        if self.year:
            out["year"] = str(self.year)
        return {k: v for k, v in out.items() if v}


def parse_case_filters(params: Any) -> CaseFilters:
    f = CaseFilters()
    state = params.get("state", "active")
    if state in ("active", "finished", "all") or state in CaseStatus.values:
        f.state = state
    else:
        f.errors.append("state")
    kind = params.get("kind", "")
    if kind in CaseKind.values:
        f.kind = kind
    elif kind:
        f.errors.append("kind")
    f.q = (params.get("q", "") or "").strip()[:100]
    f.overdue = params.get("overdue") == "1"
    year = params.get("year", "")
    if year.isdigit() and 2000 <= int(year) <= 2100:
        f.year = int(year)
    elif year:
        f.errors.append("year")
    return f


def _overdue_first(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.annotate(
        overdue=When_(
            When(Q(due_on__lt=today()) & ~Q(status__in=FINISHED), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    ).order_by("-overdue", F("due_on").asc(nulls_last=True), "-opened_on", "-id")


def officer_cases(user: Any, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """The cases an officer sees, overdue steps first, then by deadline."""
    f = filters or CaseFilters()
    qs = visible_cases(user).select_related("organisation", "city", "assignee")
    if f.state == "active":
        qs = qs.exclude(status__in=FINISHED)
    elif f.state == "finished":
        qs = qs.filter(status__in=FINISHED)
    elif f.state in CaseStatus.values:
        qs = qs.filter(status=f.state)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.q:
        qs = qs.filter(Q(number__icontains=f.q) | Q(employer_name__icontains=f.q))
    if f.overdue:
        qs = qs.filter(due_on__lt=today()).exclude(status__in=FINISHED)
    if f.year:
        qs = qs.filter(opened_on__year=f.year)
    return _overdue_first(qs)


def worker_record(user: Any) -> Any:
    """The signed-in worker's own record (with the employer), if they have one."""
    from deltaunion.people.models import Worker

    return Worker.objects.filter(user_id=getattr(user, "pk", None)).select_related("employer").first()


def my_cases(user: Any) -> QuerySet[Case]:
    """The cases of a worker: those they asked for help with, and those they are a party to."""
    uid = scope_for(user).user_id
    if uid is None:
        return Case.objects.none()
    ids = Case.objects.filter(Q(applicant_id=uid) | Q(parties__user_id=uid)).values("pk")
    return Case.objects.filter(pk__in=ids).select_related("organisation", "assignee").order_by("-opened_on", "-id")


def mine_count(user: Any) -> int:
    """My cases still open (the 我的 section's figure)."""
    return my_cases(user).exclude(status__in=FINISHED).count()


def is_overdue(case: Case) -> bool:
    return case.is_active and case.due_on is not None and case.due_on < today()


def ready_for_arbitration(case: Case) -> bool:
    return case.status == CaseStatus.MEDIATION and workdays.ready_for_arbitration(case.mediation_applied_on, today())


def next_step(case: Case) -> str:
    return str(NEXT_STEPS.get(case.status, ""))


def handler(case: Case) -> str:
    """Who handles the case, as the worker reads it."""
    if case.assignee_id:
        name = case.assignee.full_name or case.assignee.username
        return _("%(name)s, %(union)s") % {"name": name, "union": case.organisation.name}
    return case.organisation.name


@dataclass
class PartyRow:
    party: CaseParty
    name: str
    id_number: str
    phone: str
    home: str
    member: bool | None  # a member of the viewer's federation (matched by keyed hash); None: not asked


def party_rows(user: Any, case: Case) -> tuple[list[PartyRow], bool]:
    """The workers of the case, in full for those handling it (the caller logs the read), masked
    for others; a union deciding on a referral learns which are its own members."""
    full = can(user, "relations.see_personal_data", case)
    parties = list(case.parties.all())
    members: dict[str, int] = {}
    if not full and can(user, "relations.answer_referral", case):
        referral = pending_referral(case)
        if referral is not None:
            keys = {matching.match_key(p.id_number) for p in parties if p.id_number}
            members = matching.member_keys(federation_path(referral.to_organisation), keys)
    rows = []
    for p in parties:
        member = None
        if members or (not full and can(user, "relations.answer_referral", case)):
            member = bool(p.id_number) and matching.match_key(p.id_number) in members
        rows.append(
            PartyRow(
                party=p,
                name=p.name if full else mask_name(p.name),
                id_number=p.id_number if full else mask_id_number(p.id_number),
                phone=p.phone if full else mask_phone(p.phone),
                home=province_label(p.home_province) if p.home_province else "",
                member=member,
            )
        )
    return rows, full


def case_amounts(case: Case) -> dict[str, Any]:
    parties = list(case.parties.all())
    owed = sum((p.amount_owed for p in parties), start=0)
    recovered = sum((p.amount_recovered for p in parties), start=0)
    return {"owed": owed, "recovered": recovered, "outstanding": owed - recovered, "workers": len(parties)}


def case_history(case: Case, *, limit: int = 200) -> list[HistoryItem]:
    """The case's history as sentences: its steps and changes, its referrals and the amounts of its
    workers (reads of personal data are listed apart: `case_reads`)."""
    party_ids = [str(pk) for pk in case.parties.values_list("pk", flat=True)]
    referral_ids = [str(pk) for pk in case.referrals.values_list("pk", flat=True)]
    q = Q(object_type="relations.case", object_id=str(case.pk))
    if party_ids:
        q |= Q(object_type="relations.caseparty", object_id__in=party_ids)
    if referral_ids:
        q |= Q(object_type="relations.referral", object_id__in=referral_ids)
    entries = AuditEntry.objects.filter(q).exclude(action=READ_ACTION).select_related("actor")[:limit]
    return describe(entries)


def case_progress(case: Case) -> list[HistoryItem]:
    """What a worker reads of the history: the steps, without notes or reads."""
    items = [
        i
        for i in case_history(case)
        if i.entry.action.startswith("relations_case.") and i.entry.action != "relations_case.update"
    ]
    for item in items:
        item.note = ""
        item.changes = [c for c in item.changes if c.field == str(Case._meta.get_field("status").verbose_name)]
    return items


@dataclass
class Read:
    when: dt.datetime
    who: str
    what: str


def reads(obj: Any, action: str, limit: int = 50) -> list[Read]:
    entries = AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action
    ).select_related("actor")[:limit]
    return [
        Read(
            when=e.created_at,
            who=(e.actor.full_name or e.actor.username) if e.actor else _("System"),
            what=e.note,
        )
        for e in entries
    ]


def case_reads(case: Case, limit: int = 50) -> list[Read]:
    return reads(case, READ_ACTION, limit)


def case_evidence(case: Case) -> list[Evidence]:
    return list(case.evidence.select_related("uploaded_by"))


def evidence_for_user_or_404(user: Any, key: Any) -> Evidence:
    """An evidence file of a case the user may see, or of a project they manage (else 404)."""
    item = Evidence.objects.select_related("case", "measure__project").filter(key=key).first()
    if item is None:
        raise Http404("not found")
    if item.case_id is not None:
        if not visible_cases(user).filter(pk=item.case_id).exists():
            raise Http404("not found")
    elif not managed(Project.objects.filter(pk=item.measure.project_id), user).exists():
        raise Http404("not found")
    return item


def referrals_of(case: Case) -> list[Referral]:
    return list(case.referrals.select_related("from_organisation", "to_organisation", "created_by", "answered_by"))


def assigned_to_me(user: Any) -> int:
    uid = scope_for(user).user_id
    if uid is None:
        return 0
    return Case.objects.filter(assignee_id=uid).exclude(status__in=FINISHED).count()


def awaiting_my_answer(user: Any) -> QuerySet[Case]:
    scope = scope_for(user)
    if not scope.is_manager:
        return Case.objects.none()
    ids = Referral.objects.filter(Q(status=Referral.Status.PENDING) & scope.org_q("to_organisation")).values("case_id")
    return Case.objects.filter(pk__in=ids).select_related("organisation")


# --- signals --------------------------------------------------------------------------------------------------


def visible_signals(user: Any) -> QuerySet[Signal]:
    return Signal.objects.filter(pk__in=Signal.objects.filter(signals_visible_q(user)).values("pk"))


def signal_for_user_or_404(user: Any, signal_id: int) -> Signal:
    signal = visible_signals(user).select_related("organisation", "city", "recorded_by").filter(pk=signal_id).first()
    if signal is None:
        raise Http404("not found")
    return signal


@dataclass
class SignalFilters:
    kind: str = ""
    status: str = ""
    severity: str = ""
    scope: str = ""  # "", "ours" (recorded by our unions), "shared" (shared with us)
    year: int | None = None

    def query(self) -> dict[str, str]:
        out = {"kind": self.kind, "status": self.status, "severity": self.severity, "scope": self.scope}
        if self.year:
            out["year"] = str(self.year)
        return {k: v for k, v in out.items() if v}


def parse_signal_filters(params: Any) -> SignalFilters:
    f = SignalFilters()
    if params.get("kind") in SignalKind.values:
        f.kind = params["kind"]
    if params.get("status") in Signal.Status.values:
        f.status = params["status"]
    if params.get("severity") in dict(Signal._meta.get_field("severity").choices):
        f.severity = params["severity"]
    if params.get("scope") in ("ours", "shared"):
        f.scope = params["scope"]
    year = params.get("year", "")
    if year.isdigit() and 2000 <= int(year) <= 2100:
        f.year = int(year)
    return f


def signals_for(user: Any, filters: SignalFilters | None = None) -> QuerySet[Signal]:
    f = filters or SignalFilters()
    qs = visible_signals(user).select_related("organisation", "city")
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.severity:
        qs = qs.filter(severity=f.severity)
    if f.year:
        qs = qs.filter(occurred_on__year=f.year)
    scope = scope_for(user)
    if f.scope == "ours" and not scope.is_superuser:
        qs = qs.filter(scope.org_q("organisation"))
    elif f.scope == "shared" and not scope.is_superuser:
        qs = qs.exclude(scope.org_q("organisation"))
    return qs.order_by("-occurred_on", "-id")


@dataclass
class SignalWorkerRow:
    name: str
    id_number: str
    phone: str
    home: str
    own_member: bool


def signal_worker_rows(user: Any, signal: Signal) -> tuple[list[SignalWorkerRow], int]:
    """The affected workers the user may read in full: all of them for the union that recorded
    the signal; for a federation it is shared with, only its own members (matched by keyed hash).
    Returns those rows and how many others there are (not shown)."""
    workers = list(signal.workers.all())
    if can(user, "relations.see_signal_workers", signal):
        rows = [SignalWorkerRow(w.name, w.id_number, w.phone, province_label(w.home_province), False) for w in workers]
        return rows, 0
    scope = scope_for(user)
    paths = [s.federation.path for s in signal.shares.select_related("federation") if scope.manages(s.federation)]
    if not paths:
        return [], len(workers)
    keyed = {matching.match_key(w.id_number): w for w in workers}
    ours: set[str] = set()
    for path in paths:
        ours |= set(matching.member_keys(path, keyed))
    rows = [
        SignalWorkerRow(w.name, w.id_number, w.phone, province_label(w.home_province), True)
        for k, w in keyed.items()
        if k in ours
    ]
    return rows, len(workers) - len(rows)


def signal_reads(signal: Signal) -> list[Read]:
    return reads(signal, SIGNAL_READ_ACTION)


def origins_rows(signal: Signal) -> list[tuple[str, int]]:
    return [(province_label(code), n) for code, n in sorted(signal.origins.items())]


def shared_payload(signal: Signal) -> dict[str, Any]:
    """What is shared with another federation about a signal: the facts, the counts by origin and
    a match key per named worker — never a name, an ID number or a phone."""
    return {
        "id": signal.pk,
        "kind": signal.kind,
        "severity": signal.severity,
        "employer": signal.employer_name,
        "city": signal.city_id,
        "industry": signal.industry,
        "ownership": signal.ownership,
        "occurred_on": signal.occurred_on,
        "status": signal.status,
        "workers_affected": signal.workers_affected,
        "origins": dict(signal.origins),
        "site_provinces": list(signal.site_provinces),
        "recorded_by": signal.organisation.name,
        "match_keys": [
            {"key": matching.match_key(w.id_number), "home_province": w.home_province} for w in signal.workers.all()
        ],
    }


def shared_with_me(user: Any, year: int | None = None) -> QuerySet[Signal]:
    scope = scope_for(user)
    if not scope.is_manager:
        return Signal.objects.none()
    qs = Signal.objects.filter(
        pk__in=Signal.objects.filter(scope.org_q("shares__federation")).values("pk")
    ).select_related("organisation")
    if year:
        qs = qs.filter(occurred_on__year=year)
    return qs.order_by("-occurred_on", "-id")


# --- projects -----------------------------------------------------------------------------------------------


def projects_for(user: Any, q: str = "") -> QuerySet[Project]:
    qs = managed(Project.objects.select_related("organisation", "city"), user)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(contractor__icontains=q) | Q(main_contractor__icontains=q))
    return qs.order_by("name")


def project_for_user_or_404(user: Any, project_id: int) -> Project:
    return get_for_user_or_404(Project.objects.select_related("organisation", "city"), user, pk=project_id)


def measures_in_place(project: Project) -> dict[str, Any]:
    """For each kind of measure, the latest one taken (or None)."""
    from deltaunion.relations.models import MeasureKind

    latest: dict[str, Any] = {}
    for m in project.measures.prefetch_related("files"):
        latest.setdefault(m.kind, m)
    return {kind: (label, latest.get(kind)) for kind, label in MeasureKind.choices}


# --- reports and key tasks ---------------------------------------------------------------------------------


def recorded_reports(user: Any) -> QuerySet[SituationReport]:
    return managed(SituationReport.objects.select_related("organisation", "recorded_by"), user)


MECHANISMS = [
    ("signals", ("预警", "信息共享")),
    ("mediation", ("调处", "多元化解")),
    ("legal_aid", ("法律援助", "异地维权")),
    ("unpaid_wages", ("欠薪",)),
    ("reports", ("会商研判",)),
]


def _mechanism_label(key: str) -> str:
    return {
        "signals": _("Early-warning information sharing"),
        "mediation": _("Joint mediation across regions"),
        "legal_aid": _("Legal aid in another province"),
        "unpaid_wages": _("Joint action on unpaid wages"),
        "reports": _("Joint situation analysis"),
    }[key]


def _federations_with(key: str) -> set[str]:
    """Paths of the provincial federations where a mechanism is set up (has records)."""
    if key == "signals":
        paths = Signal.objects.values_list("organisation__path", flat=True)
    elif key == "mediation":
        paths = list(Referral.objects.values_list("from_organisation__path", flat=True)) + list(
            Referral.objects.filter(status=Referral.Status.ACCEPTED).values_list("to_organisation__path", flat=True)
        )
    elif key == "legal_aid":
        paths = Case.objects.filter(Q(kind=CaseKind.LEGAL_AID) | Q(status=CaseStatus.LEGAL_AID)).values_list(
            "organisation__path", flat=True
        )
    elif key == "unpaid_wages":
        paths = Case.objects.filter(kind=CaseKind.UNPAID_WAGES).values_list("organisation__path", flat=True)
    else:
        paths = SituationReport.objects.values_list("organisation__path", flat=True)
    return {p[: 2 * PATH_STEP] for p in set(paths) if p and len(p) >= 2 * PATH_STEP}


def key_task_evidence(task: Any) -> list[Any]:
    """For the 2022 and 2023 key tasks of the labour-relations mechanisms: in which of the four
    federations each mechanism is set up (has signals, referrals, cases or recorded reports)."""
    from django.urls import reverse

    from deltaunion.core.excel import list_join
    from deltaunion.core.registry import Evidence

    if getattr(task, "kind", "") != "mechanism":
        return []
    title = getattr(task, "title", "") or ""
    keys = [key for key, words in MECHANISMS if any(w in title for w in words)]
    if not keys:
        return []
    federations = list(
        Organisation.objects.filter(
            kind=Organisation.Kind.PROVINCIAL, region_id__in=["310000", "320000", "330000", "340000"]
        ).order_by("region_id")
    )
    target = len(federations) or 4
    urls = {"signals": "relations:signals", "reports": "relations:report"}
    out = []
    for key in keys:
        paths = _federations_with(key)
        names = [f.name for f in federations if f.path in paths]
        label = _mechanism_label(key) + _(": ") + (list_join(names) if names else _("not set up yet"))
        out.append(
            Evidence(
                label,
                done=len(names),
                target=target,
                complete=len(names) >= target,
                url=reverse(urls.get(key, "relations:cases")),
            )
        )
    return out


def federation_name(org: Organisation) -> str:
    path = federation_path(org)
    found = Organisation.objects.filter(path=path).first() if path else None
    return found.name if found else ""

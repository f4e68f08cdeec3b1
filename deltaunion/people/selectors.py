from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from deltaunion.core.audit import HistoryItem, history
from deltaunion.core.permissions import can
from deltaunion.core.privacy import personal
from deltaunion.orgs.models import Organisation
from deltaunion.orgs.scoping import get_for_user_or_404, scoped
from deltaunion.people.models import Ownership, SkillLevel, Worker


@dataclass(frozen=True)
class WorkerFilters:
    q: str = ""
    organisation_id: int | None = None
    ownership: str = ""
    skill_level: int | None = None
    is_member: bool | None = None
    is_gig_worker: bool | None = None
    trade: str = ""

    @classmethod
    def from_params(cls, params: Any) -> WorkerFilters:
        def as_int(name: str) -> int | None:
            value = (params.get(name) or "").strip()
            return int(value) if value.isdigit() else None

        def as_bool(name: str) -> bool | None:
            value = (params.get(name) or "").strip()
            return {"1": True, "true": True, "0": False, "false": False}.get(value)

        ownership = (params.get("ownership") or "").strip()
        level = as_int("skill_level")
        return cls(
            q=(params.get("q") or "").strip()[:100],
            organisation_id=as_int("organisation"),
            ownership=ownership if ownership in Ownership.values else "",
            skill_level=level if level in SkillLevel.values else None,
            is_member=as_bool("is_member"),
            is_gig_worker=as_bool("is_gig_worker"),
            trade=(params.get("trade") or "").strip()[:100],
        )


def worker_list(*, user: Any, filters: WorkerFilters | None = None) -> QuerySet[Worker]:
    f = filters or WorkerFilters()
    qs = scoped(Worker.objects.select_related("organisation", "employer"), user)
    if f.q:
        # Searching by ID number needs the full number: a prefix would let masked data leak.
        qs = qs.filter(Q(name__icontains=f.q) | Q(id_number=f.q.upper()) | Q(employer__name__icontains=f.q))
    if f.organisation_id:
        org = Organisation.objects.filter(pk=f.organisation_id).first()
        qs = qs.filter(organisation__path__startswith=org.path) if org else qs.none()
    if f.ownership:
        qs = qs.filter(employer__ownership=f.ownership)
    if f.skill_level:
        qs = qs.filter(skill_level=f.skill_level)
    if f.is_member is not None:
        qs = qs.filter(is_member=f.is_member)
    if f.is_gig_worker is not None:
        qs = qs.filter(is_gig_worker=f.is_gig_worker)
    if f.trade:
        qs = qs.filter(trade__icontains=f.trade)
    return qs.order_by("organisation__path", "name", "id")


def worker_for_user_or_404(user: Any, worker_id: int) -> Worker:
    """One worker the user may see (their union's officers, the worker); 404 otherwise, as if missing."""
    return get_for_user_or_404(Worker.objects.select_related("organisation", "employer"), user, pk=worker_id)


@dataclass(frozen=True)
class PersonalData:
    id_number: str
    phone: str
    masked: bool


def worker_personal_data(worker: Worker, user: Any) -> PersonalData:
    """The worker's ID number and mobile number as `user` may read them: in full for the
    personal-data roles over the worker's union and for the worker, masked for everyone else.
    The one place pages, the API and the export get them from."""
    full = can(user, "people.see_personal_data", worker)
    return PersonalData(
        id_number=personal(worker.id_number, "id_number", full=full),
        phone=personal(worker.phone, "phone", full=full),
        masked=not full,
    )


def worker_history(worker: Worker, *, user: Any) -> list[HistoryItem] | None:
    """The record's changes as sentences, for those who may read them (None for others)."""
    return history(worker) if can(user, "people.view_worker_history", worker) else None


def worker_export_headers() -> list[str]:
    return [
        _("Full name"),
        _("ID number"),
        _("Sex"),
        _("Date of birth"),
        _("Mobile number"),
        _("Union"),
        _("Employer"),
        _("Ownership type"),
        _("Union member?"),
        _("Trade"),
        _("Skill level"),
        _("New form of employment"),
    ]


def worker_export_rows(qs: QuerySet[Worker], user: Any) -> Iterator[list[Any]]:
    for w in qs.iterator(chunk_size=1000):
        data = worker_personal_data(w, user)
        yield [
            w.name,
            data.id_number,
            w.get_sex_display(),
            w.birth_date,
            data.phone,
            w.organisation.name,
            w.employer.name if w.employer else "",
            w.employer.get_ownership_display() if w.employer else "",
            _("Yes") if w.is_member else _("No"),
            w.trade,
            w.get_skill_level_display() if w.skill_level else "",
            _("Yes") if w.is_gig_worker else _("No"),
        ]

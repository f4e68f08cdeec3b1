from __future__ import annotations

import datetime as dt

from ninja import Query, Router, Schema

from deltaunion.core.api import Limit, Offset, SearchText
from deltaunion.core.api_auth import logged_in
from deltaunion.people.models import Worker
from deltaunion.people.selectors import WorkerFilters, worker_for_user_or_404, worker_list, worker_personal_data

router = Router(tags=["people"])


class WorkerOut(Schema):
    id: int
    name: str
    id_number: str
    masked: bool
    sex: str
    birth_date: dt.date | None  # None when the ID number is masked: it would tell the birth date
    phone: str
    organisation_id: int
    organisation: str
    employer: str | None
    ownership: str | None
    is_member: bool
    trade: str
    skill_level: int | None
    is_gig_worker: bool
    is_demo: bool


class WorkerPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[WorkerOut]


class WorkerQuery(Schema):
    q: SearchText = ""
    organisation: str = ""
    ownership: str = ""
    skill_level: str = ""
    is_member: str = ""
    is_gig_worker: str = ""
    trade: str = ""
    offset: Offset = 0
    limit: Limit = 50


def _out(worker: Worker, user) -> dict:
    personal = worker_personal_data(worker, user)
    return {
        "id": worker.pk,
        "name": worker.name,
        "id_number": personal.id_number,
        "masked": personal.masked,
        "sex": worker.sex,
        "birth_date": None if personal.masked else worker.birth_date,
        "phone": personal.phone,
        "organisation_id": worker.organisation_id,
        "organisation": worker.organisation.name,
        "employer": worker.employer.name if worker.employer else None,
        "ownership": worker.employer.ownership if worker.employer else None,
        "is_member": worker.is_member,
        "trade": worker.trade,
        "skill_level": worker.skill_level,
        "is_gig_worker": worker.is_gig_worker,
        "is_demo": worker.is_demo,
    }


@router.get("/workers", response=WorkerPage, auth=logged_in, summary="Workers in the caller's organisations")
def list_workers(request, query: Query[WorkerQuery]):
    qs = worker_list(user=request.user, filters=WorkerFilters.from_params(query.dict()))
    limit = max(1, min(query.limit, 500))
    offset = max(0, query.offset)
    return {
        "count": qs.count(),
        "offset": offset,
        "limit": limit,
        "items": [_out(w, request.user) for w in qs[offset : offset + limit]],
    }


@router.get("/workers/{worker_id}", response=WorkerOut, auth=logged_in, summary="One worker (404 if not yours)")
def get_worker(request, worker_id: int):
    return _out(worker_for_user_or_404(request.user, worker_id), request.user)

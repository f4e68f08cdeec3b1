"""Who may do what in the recuperation exchange.

- Bases are public; the officers of the union that registered a base change it. A provincial
  federation's officers recognise bases (any base, for their federation) and set their
  federation's yearly target.
- Itineraries and batches belong to the union that publishes them: its officers change them,
  open, close and draw batches. Published itineraries and open batches are public.
- A worker applies for themself; their union's officers approve, and may also withdraw,
  confirm or cancel for them (a worker without a login). The worker rates the trip.
- Applications are read by the worker, their union's officers and the batch's organisers.
- The exchange matrix and the statistics are for officers.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from deltaunion.core.permissions import define, memo, predicate
from deltaunion.orgs.models import Organisation
from deltaunion.orgs.scoping import scope_for


def federations_managed(user: Any) -> list[Organisation]:
    """The provincial federations the user manages (their officers and administrators)."""
    if not getattr(user, "is_authenticated", False):
        return []

    def compute() -> list[Organisation]:
        scope = scope_for(user)
        provincial = Organisation.objects.filter(kind=Organisation.Kind.PROVINCIAL).order_by("path")
        return [o for o in provincial if scope.manages(o)]

    return memo(user, "recuperation.federations", compute)


def worker_of(user: Any) -> Any:
    """The user's worker record, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "worker", None)


def applications_visible_q(user: Any) -> Q:
    """Applications a user may read: their own, those of the unions they manage, and those of
    the batches they organise."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Q(pk__isnull=False)
    q = Q(pk__in=[])
    if scope.is_manager:
        q |= scope.org_q("union") | scope.org_q("batch__organisation")
    if scope.is_authenticated:
        q |= Q(worker__user_id=scope.user_id)
    return q


@predicate
def manages_some_union(user: Any) -> bool:
    return scope_for(user).is_manager


@predicate
def manages_union(user: Any, organisation: Any) -> bool:
    """With no organisation: whether the user manages any (the pages); with one: that one."""
    scope = scope_for(user)
    return scope.is_manager if organisation is None else scope.manages(organisation)


@predicate
def manages_owner(user: Any, obj: Any) -> bool:
    return obj is not None and scope_for(user).manages(obj.organisation)


@predicate
def manages_recognising_federation(user: Any, recognition: Any) -> bool:
    return recognition is not None and scope_for(user).manages(recognition.federation)


@predicate
def manages_federation(user: Any, federation: Any) -> bool:
    """With no federation: whether the user manages any provincial federation."""
    if federation is None:
        return bool(federations_managed(user))
    return federation.kind == Organisation.Kind.PROVINCIAL and scope_for(user).manages(federation)


@predicate
def manages_batch(user: Any, batch: Any) -> bool:
    return batch is not None and scope_for(user).manages(batch.organisation)


@predicate
def manages_itinerary_for_batch(user: Any, itinerary: Any) -> bool:
    return itinerary is not None and scope_for(user).manages(itinerary.organisation)


@predicate
def has_worker_record(user: Any, obj: Any = None) -> bool:
    return worker_of(user) is not None


@predicate
def manages_workers_union(user: Any, worker: Any) -> bool:
    return worker is not None and scope_for(user).manages(worker.organisation)


@predicate
def is_applicant(user: Any, application: Any) -> bool:
    return (
        application is not None
        and application.worker.user_id is not None
        and application.worker.user_id == getattr(user, "pk", None)
    )


@predicate
def manages_applicants_union(user: Any, application: Any) -> bool:
    return application is not None and scope_for(user).manages(application.union)


@predicate
def sees_application(user: Any, application: Any) -> bool:
    if application is None:
        return False
    scope = scope_for(user)
    return (
        (scope.user_id is not None and application.worker.user_id == scope.user_id)
        or scope.manages(application.union)
        or scope.manages(application.batch.organisation)
    )


@predicate
def records_trip(user: Any, trip: Any) -> bool:
    return trip is not None and scope_for(user).manages(trip.sender)


define(
    "recuperation.use_officer_pages", manages_some_union, refusal=_("These pages are for the officers of the unions")
)
define("recuperation.add_base", manages_union, refusal=_("Bases are registered by the officers of a union you manage"))
define(
    "recuperation.manage_base",
    manages_owner,
    refusal=_("Only the officers of the union that registered the base may change it"),
)
define(
    "recuperation.import_bases",
    manages_union,
    refusal=_("Only the officers of the union may import bases for it"),
)
define(
    "recuperation.recognise_base",
    manages_federation,
    refusal=_("Bases are recognised by the officers of a provincial federation"),
)
define(
    "recuperation.revoke_recognition",
    manages_recognising_federation,
    refusal=_("Only the federation that recognised the base may end its recognition"),
)
define(
    "recuperation.add_itinerary",
    manages_union,
    refusal=_("Itineraries are published by the officers of a union you manage"),
)
define(
    "recuperation.manage_itinerary",
    manages_owner,
    refusal=_("Only the officers of the union that published the itinerary may change it"),
)
define(
    "recuperation.add_batch",
    manages_itinerary_for_batch,
    refusal=_("Batches of an itinerary are opened by the officers of the union that published it"),
)
define(
    "recuperation.manage_batch",
    manages_batch,
    refusal=_("Only the officers of the union that organises the batch may do this"),
)
define(
    "recuperation.set_target",
    manages_federation,
    refusal=_("A federation's yearly target is set by the officers of that provincial federation"),
)
define(
    "recuperation.apply",
    has_worker_record,
    refusal=_("Applications are made by workers whose record is kept by their union"),
)
define(
    "recuperation.apply_for",
    manages_workers_union,
    refusal=_("Only the officers of the worker's union may apply for them"),
)
define(
    "recuperation.decide_application",
    manages_applicants_union,
    refusal=_("Applications are approved by the officers of the worker's union"),
)
define(
    "recuperation.respond",
    is_applicant | manages_applicants_union,
    refusal=_("Only the worker and the officers of their union may do this"),
)
define("recuperation.rate_trip", is_applicant, refusal=_("A trip is rated by the worker who travelled"))
define(
    "recuperation.view_application",
    sees_application,
    refusal=_("An application is for the worker, their union and the batch's organisers"),
)
define(
    "recuperation.view_matrix",
    manages_some_union,
    refusal=_("The exchange matrix and the statistics are for the officers of the unions"),
)
define(
    "recuperation.record_trip",
    manages_federation,
    refusal=_("Group trips are recorded by the officers of the sending provincial federation"),
)
define(
    "recuperation.manage_trip",
    records_trip,
    refusal=_("Only the officers of the sending federation may change this record"),
)
define("recuperation.is_worker", has_worker_record, refusal=_("This page is for workers"))

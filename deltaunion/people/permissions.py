"""Who may do what with workers' records.

A worker's record is for the officers who manage their union (and above), and for the worker
themselves; only the officers change it. Full ID numbers and mobile numbers are for the
personal-data roles over the worker's union and for the worker; everyone else reads them
masked (`core.privacy`).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from deltaunion.core.permissions import define, predicate
from deltaunion.orgs.scoping import scope_for, sees_personal_data


@predicate
def manages_union(user: Any, org: Any) -> bool:
    """The user manages `org`; with no organisation, manages some organisation (the officers'
    pages and tools: the workers list, the export, the import)."""
    scope = scope_for(user)
    return scope.is_manager if org is None else scope.manages(org)


@predicate
def manages_workers_union(user: Any, worker: Any) -> bool:
    return worker is not None and scope_for(user).manages(worker.organisation)


@predicate
def is_own_record(user: Any, worker: Any) -> bool:
    return worker is not None and worker.user_id is not None and worker.user_id == scope_for(user).user_id


@predicate
def sees_workers_personal_data(user: Any, worker: Any) -> bool:
    return worker is not None and sees_personal_data(user, worker.organisation, owner_id=worker.user_id)


define(
    "people.view_worker_list",
    manages_union,
    refusal=_("The list of workers is for the officers of their unions"),
)
define(
    "people.view_worker",
    manages_workers_union | is_own_record,
    refusal=_("A worker's record is for the officers of their union and for the worker"),
)
define(
    "people.create_worker",
    manages_union,
    refusal=_("Only the officers who manage this union may register its workers"),
)
define(
    "people.create_employer",
    manages_union,
    refusal=_("Only the officers who manage this union may register its employers"),
)
define(
    "people.update_worker",
    manages_workers_union,
    refusal=_("Only the officers who manage the worker's union may change the record"),
)
define(
    "people.view_worker_history",
    manages_workers_union,
    refusal=_("The change history of a record is for the officers who manage the worker's union"),
)
define(
    "people.import_workers",
    manages_union,
    refusal=_("Only the officers who manage this union may import its workers"),
)
define(
    "people.export_workers",
    manages_union,
    refusal=_("The export of workers is for the officers of their unions"),
)
define(
    "people.see_personal_data",
    sees_workers_personal_data,
    refusal=_("Full ID numbers and mobile numbers are for the officers of the worker's union and for the worker"),
)

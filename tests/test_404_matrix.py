"""The 404 matrix: every route that takes an object, for people who must not see it.

See `deltaunion.core.testing`. An app adds its routes to the matrix with its `tests/matrix.py`;
a route whose parameters no matrix builds fails here.
"""

from __future__ import annotations

import pytest
from django.test import Client

from deltaunion.core.testing import (
    app_matrices,
    missing_kwargs,
    object_routes,
    refusal_ok,
    request,
    route_kwargs,
)

ROUTES = object_routes()
MATRICES = app_matrices()
OUTSIDERS = ("sz_officer", "worker", "zj_judge", "anonymous")


def test_every_object_route_belongs_to_an_app_with_a_matrix():
    orphans = sorted({f"{r.name} → {r.app or '?'}" for r in ROUTES if r.app not in MATRICES})
    assert not orphans, "routes with no tests/matrix.py in their app: " + "; ".join(orphans)


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("label", sorted({r.app for r in ROUTES if r.app in MATRICES}))
def test_outsiders_get_404(label, world, django_db_blocker):
    matrix = MATRICES[label]
    objs = matrix.build(world)
    problems = []
    for route in [r for r in ROUTES if r.app == label]:
        if route.name in matrix.exempt:
            continue
        try:
            kwargs, owner = route_kwargs(route, objs, matrix, world)
        except LookupError as exc:
            problems.append(str(exc))
            continue
        public = route.name in matrix.public
        for persona in OUTSIDERS:
            user = None if persona == "anonymous" else getattr(world, persona)
            client = _client(user)
            response = request(client, route, kwargs)
            if public:
                if response.status_code >= 500:
                    problems.append(f"{route.name} as {persona}: {response.status_code}")
                continue
            missing = request(client, route, missing_kwargs(route, kwargs))
            if not refusal_ok(route, response, missing, anonymous=persona == "anonymous"):
                problems.append(
                    f"{route.name} as {persona}: {response.status_code} (a missing object gets {missing.status_code})"
                )
        if owner is not None and not public:
            response = _client(owner).get(route.path(kwargs))
            if response.status_code == 404:
                problems.append(f"{route.name}: its owner {owner} gets 404 too: the matrix builds the wrong object")
    assert not problems, "\n".join(problems)

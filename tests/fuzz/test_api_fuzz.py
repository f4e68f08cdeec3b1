"""A bounded property-based fuzz run of the whole JSON API (schemathesis over /api/openapi.json).

Every operation gets generated inputs — odd strings, NUL characters, huge and negative
numbers, missing and extra fields — with a superuser's API token, so the deepest code paths are
reached, and a fixed seed (`derandomize`), so a failure reproduces. It fails on any 5xx. It runs
in `make test`, so CI runs it on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings

from deltaunion.accounts.services import api_token_create

EXAMPLES_PER_OPERATION = 15


def _schema():
    from config.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/openapi.json", application)


schema = _schema()


@pytest.fixture
def keep_connection():
    """The WSGI handler closes database connections when a request finishes; inside a test's
    transaction that would close the test's own connection (Django's test client does the same)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(world, keep_connection):
    _token, raw = api_token_create(user=world.superuser, name="fuzz", by=world.superuser)
    return raw


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_input_makes_a_server_error(case, token):
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} {case.query or ''} {str(case.body)[:200]} → "
        f"{response.status_code}: {response.text[:300]}"
    )

"""Concurrent sign-ups by workers against a quota of N on PostgreSQL: exactly N entries,
every other worker told the quota is full; approving them all gives exactly N approved."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from deltaunion.contests import services
from deltaunion.contests.models import Quota, Registration
from deltaunion.orgs.models import Role
from deltaunion.orgs.services import org_role_grant

from .factories import UserFactory, build_world
from .test_concurrency import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrent connections"),
]


def test_concurrent_sign_ups_fill_the_quota_exactly():
    w = build_world()
    places, attempts = 3, 10
    services.quota_set(stage=w.stage, organisation=w.province, places=places, by=w.officer)
    users = []
    for i in range(attempts):
        user = UserFactory()
        worker = w.worker(i)
        worker.user = user
        worker.save(update_fields=["user"])
        org_role_grant(user=user, organisation=worker.organisation, role=Role.WORKER, by=None)
        users.append(user)
    w.stage.refresh_from_db()
    results = run_together([(lambda u=u: services.registration_sign_up(stage=w.stage, by=u)) for u in users])
    ok = [r for r in results if isinstance(r, Registration)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(ok) == places, results
    assert len(refused) == attempts - places, results
    assert all("full" in " ".join(r.messages) or "已满" in " ".join(r.messages) for r in refused)
    for reg in Registration.objects.filter(stage=w.stage):
        services.registration_decide(registration=reg, approve=True, by=w.officer)
    assert Registration.objects.filter(stage=w.stage, status=Registration.Status.APPROVED).count() == places
    assert Quota.objects.get(stage=w.stage).used == places

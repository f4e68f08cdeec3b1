"""With Redis configured (REDIS_URL), each test gets its own key prefix (the counters' hashes
live under it) and its keys are deleted afterwards."""

import uuid

import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def _redis_keys():
    if not getattr(settings, "REDIS_URL", ""):
        yield
        return
    from django.test import override_settings

    from deltaunion.core.leaderboards import redis_client

    prefix = f"test-c-{uuid.uuid4().hex[:10]}"
    with override_settings(LEADERBOARD_KEY_PREFIX=prefix):
        yield
    keys = list(redis_client().scan_iter(f"{prefix}:*", count=1000))
    if keys:
        redis_client().delete(*keys)

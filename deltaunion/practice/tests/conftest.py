"""With Redis configured (REDIS_URL), each test gets its own key prefix and its keys are
deleted afterwards. Redis boards change only after a commit (transaction.on_commit), so a
test that reads a board after a write uses `django_db(transaction=True)`."""

import uuid

import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def _redis_key_prefix():
    if not getattr(settings, "REDIS_URL", ""):
        yield
        return
    from django.test import override_settings

    from deltaunion.core import leaderboards

    prefix = f"test-{uuid.uuid4().hex[:10]}"
    with override_settings(LEADERBOARD_KEY_PREFIX=prefix):
        yield
    r = leaderboards.redis_client()
    keys = list(r.scan_iter(f"{prefix}:*", count=1000))
    if keys:
        r.delete(*keys)


@pytest.fixture(autouse=True)
def _no_top_list_cache(settings):
    """Boards' top lists are kept half a second per process; tests read right after writing."""
    settings.LEADERBOARD_TOP_CACHE_SECONDS = 0

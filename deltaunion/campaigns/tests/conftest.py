"""Redis keys per test and no top-list cache: the same fixtures as the practice tests."""

from deltaunion.practice.tests.conftest import _no_top_list_cache, _redis_key_prefix  # noqa: F401

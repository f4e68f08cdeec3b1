import pytest
from django.utils import translation


@pytest.fixture
def english():
    """The domain tests match error messages by their English source text (the msgid);
    page tests check the Chinese a user sees."""
    with translation.override("en"):
        yield

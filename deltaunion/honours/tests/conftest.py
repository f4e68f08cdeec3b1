import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded photos and files go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"

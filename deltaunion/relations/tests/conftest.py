import pytest


@pytest.fixture(autouse=True)
def _evidence_dir(settings, tmp_path):
    """Evidence files go to a temporary folder."""
    settings.RELATIONS_EVIDENCE_DIR = tmp_path / "evidence"

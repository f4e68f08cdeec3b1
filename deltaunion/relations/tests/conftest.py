import pytest

from deltaunion.core.uploads import PrivateStorage
from deltaunion.relations.models import Evidence


@pytest.fixture(autouse=True)
def evidence_dir(monkeypatch, tmp_path):
    """Evidence files go to a temporary private folder."""
    folder = tmp_path / "private"
    monkeypatch.setattr(Evidence._meta.get_field("file"), "storage", PrivateStorage(location=str(folder)))
    return folder

"""Workers in the 404 matrix: a worker's record is for their union's officers and themselves."""

from types import SimpleNamespace

from deltaunion.core.excel import RowError
from deltaunion.core.testing import Obj
from deltaunion.core.views import import_report_store


def build(world):
    officer = SimpleNamespace(user=world.hz_officer)
    key = import_report_store(officer, [RowError(row=2, column="姓名", message="不能为空")])
    return {
        "worker_id": Obj(world.hz_a.pk, owner=world.hz_officer),
        "key": Obj(key, owner=world.hz_officer),
    }

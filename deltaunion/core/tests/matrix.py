"""The kernel's routes in the 404 matrix: an import job and its error report are their uploader's alone."""

from deltaunion.core.excel import RowError
from deltaunion.core.imports import ImportResult
from deltaunion.core.models import ImportJob
from deltaunion.core.testing import Obj

PUBLIC = {"core:import_template": "an empty template with its filling guide: no data"}


def build(world):
    job = ImportJob.objects.create(
        key="people.workers",
        user=world.hz_officer,
        filename="职工.xlsx",
        status=ImportJob.Status.FAILED,
        errors=[[e.row, e.column, e.message] for e in ImportResult(errors=[RowError(2, "姓名", "不能为空")]).errors],
    )
    return {"job_id": Obj(job.pk, owner=world.hz_officer), "key": Obj("people.workers", owner=None)}

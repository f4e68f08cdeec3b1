"""Work plans in the 404 matrix: key tasks are public; changing one is for its lead (403)."""

from deltaunion.core.testing import Obj
from deltaunion.workplans.tests.factories import KeyTaskFactory

PUBLIC = {
    "workplans:task": "published plans and their key tasks are public",
    "workplans:task_status": "the task is public; changing it is refused with 403 (see test_services)",
    "api:set_task_status": "the task is public; changing it is refused with 403 (see test_services)",
}


def build(world):
    task = KeyTaskFactory(lead_org=world.hz, title="杭州牵头的任务")
    return {"task_id": Obj(task.pk, owner=world.hz_officer)}

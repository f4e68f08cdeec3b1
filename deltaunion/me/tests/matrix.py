"""The worker's own space in the 404 matrix: a message is its recipient's alone."""

from __future__ import annotations

from typing import Any

from deltaunion.core.models import Notification
from deltaunion.core.testing import Obj


def build(world: Any) -> dict[str, Obj]:
    note = Notification.objects.create(recipient=world.hz_officer, kind="test", title="给杭州干部的消息")
    return {"message_id": Obj(note.pk, owner=world.hz_officer)}

"""Who has a space of their own: a signed-in user with a worker record."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from deltaunion.core.permissions import define, memo, predicate


@predicate
def has_worker_record(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    from deltaunion.people.models import Worker

    return memo(user, "me.worker", lambda: Worker.objects.filter(user=user).exists())


define("me.use_space", has_worker_record, refusal=_("This space is for workers with a record at a union"))

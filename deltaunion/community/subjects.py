"""What a post can be about: the models other apps register (see the `community` package).

A subject is named in URLs and the API as "<key>:<id>" ("contest:12").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.functional import Promise

from deltaunion.orgs.scoping import get_for_user_or_404


@dataclass(frozen=True)
class SubjectKind:
    key: str
    model: type[models.Model]
    label: str | Promise


_KINDS: dict[str, SubjectKind] = {}


def register(key: str, model: type[models.Model], label: str | Promise) -> SubjectKind:
    if not hasattr(model, "scope_org_field"):
        raise TypeError(f"{model.__name__} declares no scoping (scope_org_field): it cannot be a post's subject")
    kind = SubjectKind(key, model, label)
    if key in _KINDS and _KINDS[key].model is not model:
        raise KeyError(f"post subject {key} is registered twice")
    _KINDS[key] = kind
    return kind


def kinds() -> list[SubjectKind]:
    return list(_KINDS.values())


def kind_of(obj: Any) -> SubjectKind | None:
    return next((k for k in _KINDS.values() if isinstance(obj, k.model)), None)


def key_of(obj: Any) -> str:
    kind = kind_of(obj)
    return f"{kind.key}:{obj.pk}" if kind else ""


def key_for(content_type_id: int | None, object_id: int | None) -> str:
    """ "<key>:<id>" of a post's subject from its columns, without fetching the object."""
    if content_type_id is None or object_id is None:
        return ""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    kind = next((k for k in _KINDS.values() if k.model is model), None)
    return f"{kind.key}:{object_id}" if kind else ""


def resolve(value: str, user: Any) -> models.Model:
    """The object named by "<key>:<id>" if it is a registered subject the user may see; 404 otherwise."""
    key, _sep, pk = (value or "").partition(":")
    kind = _KINDS.get(key)
    if kind is None or not pk.isdigit():
        raise Http404("not found")
    return get_for_user_or_404(kind.model, user, pk=int(pk))


def q_about(objects: list[Any]) -> Q:
    """Posts about any of `objects`."""
    q = Q(pk__in=[])
    for obj in objects:
        q |= Q(subject_type=ContentType.objects.get_for_model(type(obj)), subject_id=obj.pk)
    return q


def subject_fields(obj: Any | None) -> dict[str, Any]:
    """The post's fields for `obj` as its subject (None: about nothing in particular)."""
    if obj is None:
        return {"subject_type": None, "subject_id": None}
    if kind_of(obj) is None:
        raise TypeError(f"{type(obj).__name__} is not registered as a post subject")
    return {"subject_type": ContentType.objects.get_for_model(type(obj)), "subject_id": obj.pk}

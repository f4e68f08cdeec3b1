from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (for paging and export links)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.simple_tag(takes_context=True)
def can(context, permission: str, obj=None) -> bool:
    """`{% can "contests.manage_contest" contest as may_manage %}`: the app's permission, never a
    condition re-written in the template."""
    from deltaunion.core.permissions import can as _can

    request = context.get("request")
    user = getattr(request, "user", None) if request is not None else context.get("user")
    return _can(user, permission, obj)


@register.filter
def cite(source):
    """A record's source as readers cite it (`core.citations.cite`): "工人日报 2021-04-06", never
    a seed file's path; "" when nothing is left to cite."""
    from deltaunion.core.citations import cite as _cite

    return _cite(source)


@register.filter
def without_paths(text):
    """Prose with seed file references replaced by the report they hold."""
    from deltaunion.core.citations import without_paths as _without_paths

    return _without_paths(text)


@register.filter
def duration(value, unit: str = "seconds"):
    """A length of time as people say it (`core.durations.duration_text`): `{{ s|duration }}`,
    `{{ m|duration:"minutes" }}`."""
    from deltaunion.core.durations import duration_text

    if value is None or value == "":
        return ""
    factor = {"seconds": 1, "minutes": 60, "hours": 3600, "ms": 0.001}.get(unit, 1)
    return duration_text(float(value) * factor)

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

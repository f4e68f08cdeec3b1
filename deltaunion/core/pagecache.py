"""Whole pages cached per viewer: the pages a worker opens most (issue 17) served from one cache
round trip.

A page is rendered once per viewer and change and kept (Redis) with the versions it was rendered
under (core.fragments): the viewer's own (`roles`: scope and menu; `inbox:<user>`: the unread
count) and the page's. A request for it then costs the session, the user and one `get_many`
(the page, the shared parts it embeds, all their versions), instead of every query and the
template. What differs between two requests of the same viewer is put in on each serve:

- the CSRF token: the page is rendered with a placeholder (secret, derived from SECRET_KEY, so
  no content can carry it) where `{% csrf_token %}` and `{{ csrf_token }}` go, replaced by this
  request's `get_token(request)`;
- the shared parts ("holes"): a part the same for many viewers (the home page's year report,
  the contest list's rows) is cached once for all of them (`fragments.Part`) and put into each
  viewer's page where its placeholder is, so a viewer's copy holds only what is theirs.

A page is served from the cache only to a signed-in viewer, for GET, without flash messages
waiting to be shown (those pages are rendered as usual) and with a query the view accepts. The
key holds the viewer (id, name, flags), the language and the full path. A page whose content
depends on the time (a quiz opening, a stage finishing, today's attempts) says until when it is
true (`until`, a timestamp): it is not served after that; `until=False` does not keep it at all.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping, Sequence
from functools import cache as _once
from typing import Any

from django.http import HttpResponse
from django.middleware import csrf
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from deltaunion.core import fragments

_CSRF_INDEX = {c: i for i, c in enumerate(csrf.CSRF_ALLOWED_CHARS)}
PAGE_TTL = 300  # bounds only writes that send no signal; see core.fragments

# What a page's `context()` returns: the template's context, and until when the page is true
# (None: until a version changes; False: do not keep it).
Context = tuple[dict[str, Any], float | None | bool]
# A key of the context `context()` returns: the shared parts this viewer's page holds when they
# are not the ones the view guessed (`holes`), {name: (Part, compute)}.
HOLES = "_du_holes"


@_once
def _secret() -> str:
    from django.utils.crypto import salted_hmac

    return salted_hmac("deltaunion.core.pagecache", "placeholder").hexdigest()[:24]


def csrf_placeholder() -> str:
    return "csrf" + _secret()


def hole(name: str) -> str:
    return f"<!--du-part:{_secret()}:{name}-->"


def next_midnight() -> float:
    """The timestamp of the next local midnight (a page that shows 'today')."""
    now = timezone.localtime()
    tomorrow = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(tomorrow, now.tzinfo).timestamp()


def earliest(*times: dt.datetime | float | None) -> float | None:
    """The earliest of the future `times` (datetimes or timestamps); None if none is future."""
    now = timezone.now().timestamp()
    stamps = [t.timestamp() if isinstance(t, dt.datetime) else t for t in times if t is not None]
    future = [t for t in stamps if t > now]
    return min(future) if future else None


def _pending_messages(request: Any) -> bool:
    storage = getattr(request, "_messages", None)
    if storage is None:
        return False
    return bool(len(storage))


def cacheable(request: Any) -> bool:
    """The request may be answered from (and its page kept in) the cache."""
    user = getattr(request, "user", None)
    return request.method == "GET" and user is not None and user.is_authenticated and not _pending_messages(request)


def page(
    request: Any,
    name: str,
    *,
    template: str,
    context: Callable[[], Context],
    versions: Sequence[str] = (),
    holes: Mapping[str, tuple[fragments.Part, Callable[[], str]]] | None = None,
    parts: Sequence[Any] = (),
    cache: bool = True,
    ttl: int = PAGE_TTL,
) -> HttpResponse:
    """The page `template` rendered with `context()`, cached per viewer under the versions
    `versions` (and the viewer's `roles` and `inbox:<user>`), with each of `holes` (a name in
    the template's context → the shared part and how to compute it) put in on every serve.
    `context()` runs only when the page is not cached: every check it makes (a 404, a
    permission) must depend only on data the versions cover, or it must return `until=False`.
    A part that depends on the viewer (the contest list's rows of an officer's scope) is guessed
    in `holes` (the common case, read in the same round trip) and named by `context()` under
    HOLES when it is another: the page kept records the parts it holds, and is rendered again if
    they are not the guessed ones. `cache=False` (a query the page does not cache, say) renders
    it as usual."""
    holes = dict(holes or {})
    if not (cache and cacheable(request)):
        ctx, _until = context()
        holes.update(ctx.pop(HOLES, {}))
        filled = {k: mark_safe(_part(spec, compute)) for k, (spec, compute) in holes.items()}
        return render(request, template, {**ctx, **filled})
    user = request.user
    viewer = (user.pk, str(user), bool(user.is_superuser), bool(user.is_staff), bool(user.is_active))
    frame_spec = fragments.Part(
        f"page:{name}",
        (viewer, get_language(), request.get_full_path(), tuple(parts)),
        ("roles", f"inbox:{user.pk}", *versions),
        ttl,
    )
    specs = [frame_spec, *(spec for spec, _compute in holes.values())]
    values, stamps = fragments.fetch(specs)
    fetched = {key: value for key, value in zip(holes, values[1:], strict=True)}
    kept, frame = values[0], None
    if isinstance(kept, tuple):
        # Parts other than the guessed ones (an officer's rows): read in a second round trip.
        other = {k: spec for k, spec in kept[1].items() if spec != holes.get(k, (None,))[0]}
        got = fragments.fetch(list(other.values()))[0] if other else []
        if fragments.MISS not in got:
            frame = kept[0]
            for (key, spec), value in zip(other.items(), got, strict=True):
                holes[key], fetched[key] = (spec, None), value
    if frame is None:
        # Not kept, or a part it holds is no longer cached: rendered again (the parts it holds
        # named by `context()`).
        ctx, until = context()
        actual = ctx.pop(HOLES, {})
        for key, (spec, compute) in actual.items():
            if spec != holes[key][0]:
                holes[key] = (spec, compute)
                fetched[key] = fragments.MISS
        marks = {k: mark_safe(hole(k)) for k in holes}
        response = render(request, template, {**ctx, **marks, "csrf_token": csrf_placeholder()})
        if response.status_code != 200:
            return response
        frame = response.content.decode(response.charset)
        if until is not False:
            used = {k: spec for k, (spec, _compute) in holes.items()}
            fragments.store(frame_spec, stamps[0], (frame, used), None if until is None else float(until))
    for key, (spec, compute) in holes.items():
        value = fetched[key]
        if value is fragments.MISS:
            value = _part(spec, compute)
        frame = frame.replace(hole(key), value, 1)
    if csrf_placeholder() in frame:
        frame = frame.replace(csrf_placeholder(), csrf_token(request))
    return HttpResponse(frame)


def csrf_token(request: Any) -> str:
    """`django.middleware.csrf.get_token(request)`: the request's CSRF secret (the cookie's, or a
    new one Django makes and sets) under a new random mask. The mask is drawn from one read of
    the system's random source instead of one a character (Django's `get_random_string`, a
    tenth of a cached page's CPU); same alphabet, uniform (rejection sampling), same cipher."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret or len(secret) != csrf.CSRF_SECRET_LENGTH or not set(secret) <= _CSRF_INDEX.keys():
        return csrf.get_token(request)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # as get_token: the cookie is sent again
    chars = csrf.CSRF_ALLOWED_CHARS
    n = len(chars)
    limit = 256 - 256 % n  # bytes at or above it would favour the first characters
    mask: list[int] = []
    while len(mask) < csrf.CSRF_SECRET_LENGTH:
        mask.extend(b % n for b in os.urandom(64) if b < limit)
    mask = mask[: csrf.CSRF_SECRET_LENGTH]
    cipher = "".join(chars[(_CSRF_INDEX[c] + m) % n] for c, m in zip(secret, mask, strict=True))
    return "".join(chars[m] for m in mask) + cipher


def _part(spec: fragments.Part, compute: Callable[[], str]) -> str:
    return fragments.cached(spec.name, spec.parts, spec.version_names, compute, ttl=spec.ttl)

"""System check: cross-province sharing needs the deployment's matching key in production."""

from __future__ import annotations

from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def match_key_configured(app_configs, **kwargs):
    from deltaunion.relations import matching

    key = matching.configured_key()
    if key and len(key) >= matching.MIN_KEY_LENGTH:
        return []
    if not key and matching.derived_key_allowed():
        return []
    return [
        Error(
            "RELATIONS_MATCH_KEY is not set (or shorter than 32 characters): labour-relations signals and cases "
            "cannot be shared between federations.",
            hint="Set RELATIONS_MATCH_KEY to a random secret of at least 32 characters, the same for the whole "
            "deployment (e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))').",
            id="relations.E001",
        )
    ]

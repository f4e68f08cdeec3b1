"""The bare-Django baseline the wrk benchmarks compare with: no middleware, no apps, no
database, one view returning `{"ok": true}` on every path. Served by the same gunicorn
settings as the project in the same run (`_wrk.serve_bare`); not a benchmark itself.

    .venv/bin/gunicorn --chdir benchmarks _bare_app:application
"""

from __future__ import annotations

import django
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="bare-baseline-only",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_I18N=False,
)
django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.urls import re_path  # noqa: E402


def ok(request):
    return JsonResponse({"ok": True})


urlpatterns = [re_path(r"", ok)]
application = get_wsgi_application()

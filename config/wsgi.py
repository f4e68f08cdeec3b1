import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_wsgi_application()

from deltaunion.accounts.services import api_token_authenticate  # noqa: E402 — after Django is set up
from deltaunion.core.hotwsgi import HotWSGI  # noqa: E402

# Django's handler, with the quiz day's hottest calls answered in front of it (core.hotwsgi).
application = HotWSGI(django_application, authenticate=api_token_authenticate)

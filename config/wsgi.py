import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from deltaunion.core.hotwsgi import HotWSGI

# Django's handler, with the quiz day's hottest call answered in front of it (core.hotwsgi).
application = HotWSGI(get_wsgi_application())

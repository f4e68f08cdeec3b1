"""URLs: the admin, the API, the language switch, then every app's pages from the app registry."""

from django.contrib import admin
from django.urls import include, path

from config.api import api
from deltaunion.core.api import hot_urls
from deltaunion.core.registry import url_includes

urlpatterns = [
    *hot_urls(api, "api/"),  # the hot API operations (core.api.hot), before everything
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    *[path(prefix, include(module)) for prefix, module in url_includes()],
]

handler500 = "deltaunion.core.errors.server_error"

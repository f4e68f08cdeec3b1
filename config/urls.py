from django.contrib import admin
from django.urls import include, path

from config.api import api
from deltaunion.workplans.urls import workplan_patterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("deltaunion.accounts.urls")),
    path("orgs/", include("deltaunion.orgs.urls")),
    path("people/", include("deltaunion.people.urls")),
    path("contests/", include("deltaunion.contests.urls")),
    path("practice/", include("deltaunion.practice.urls")),
    path("plans/", include((workplan_patterns, "workplans"))),
    path("", include("deltaunion.workplans.urls")),
    path("", include("deltaunion.core.urls")),
]

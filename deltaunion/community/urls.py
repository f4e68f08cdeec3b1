"""Community pages (namespace `community`): the feed and posts, then moderation."""

from django.urls import path

from deltaunion.community import views
from deltaunion.community import views_moderation as moderation

app_name = "community"
urlpatterns = [
    path("", views.post_list, name="posts"),
    path("new/", views.post_new, name="post_new"),
    path("<int:post_id>/", views.post_detail, name="post"),
    path("<int:post_id>/like/", views.post_like, name="post_like"),
    path("<int:post_id>/comment/", views.post_comment, name="post_comment"),
    path("<int:post_id>/report/", views.post_report, name="post_report"),
    path("moderation/", moderation.reports, name="reports"),
    path("moderation/export/", moderation.reports_export, name="reports_export"),
    path("moderation/<int:report_id>/decide/", moderation.report_decide, name="report_decide"),
    path("moderation/content/", moderation.content, name="content"),
    path("moderation/hidden/", moderation.hidden, name="hidden"),
    path("moderation/hide/", moderation.content_hide, name="content_hide"),
    path("moderation/restore/", moderation.content_restore, name="content_restore"),
]

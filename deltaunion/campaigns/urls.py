"""Campaign pages: the workers' pages, then the officers' under manage/ (namespace `campaigns`).
A campaign's boards are the practice board pages (practice:board "campaign" <id>)."""

from django.urls import path

from deltaunion.campaigns import views
from deltaunion.campaigns import views_officer as officer

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("<int:campaign_id>/", views.campaign_detail, name="detail"),
    path("<int:campaign_id>/join/", views.campaign_join, name="join"),
    path("<int:campaign_id>/log/", views.campaign_log, name="log"),
    path("manage/", officer.manage_campaigns, name="manage"),
    path("manage/export/", officer.manage_campaigns_export, name="manage_export"),
    path("manage/new/", officer.manage_campaign_create, name="manage_create"),
    path("manage/<int:campaign_id>/", officer.manage_campaign, name="manage_campaign"),
    path("manage/<int:campaign_id>/rules/", officer.manage_campaign_rule, name="manage_rule"),
    path("manage/<int:campaign_id>/teams/", officer.manage_campaign_team, name="manage_team"),
    path("manage/<int:campaign_id>/members/", officer.manage_campaign_members, name="manage_members"),
    path(
        "manage/<int:campaign_id>/members/export/",
        officer.manage_campaign_members_export,
        name="manage_members_export",
    ),
    path("manage/<int:campaign_id>/enrol/", officer.manage_campaign_enrol, name="manage_enrol"),
    path("manage/<int:campaign_id>/standings/", officer.manage_campaign_standings, name="manage_standings"),
    path(
        "manage/<int:campaign_id>/standings/export/",
        officer.manage_campaign_standings_export,
        name="manage_standings_export",
    ),
]

"""Officers' practice pages, under /practice/manage/ (namespace `practice`)."""

from django.urls import path

from deltaunion.practice import views_officer as views

urlpatterns = [
    path("manage/", views.manage_home, name="manage"),
    # question banks
    path("manage/banks/", views.manage_banks, name="manage_banks"),
    path("manage/banks/export/", views.manage_banks_export, name="manage_banks_export"),
    path("manage/banks/new/", views.manage_bank_create, name="manage_bank_create"),
    path("manage/banks/template/", views.manage_bank_import_template, name="manage_bank_import_template"),
    path("manage/banks/import-report/<str:key>/", views.manage_bank_import_report, name="manage_bank_import_report"),
    path("manage/banks/<int:bank_id>/", views.manage_bank, name="manage_bank"),
    path("manage/banks/<int:bank_id>/export/", views.manage_bank_export, name="manage_bank_export"),
    path("manage/banks/<int:bank_id>/add/", views.manage_question_add, name="manage_question_add"),
    path("manage/banks/<int:bank_id>/import/", views.manage_bank_import, name="manage_bank_import"),
    # quizzes
    path("manage/quizzes/", views.manage_quizzes, name="manage_quizzes"),
    path("manage/quizzes/export/", views.manage_quizzes_export, name="manage_quizzes_export"),
    path("manage/quizzes/new/", views.manage_quiz_create, name="manage_quiz_create"),
    path("manage/quizzes/<int:quiz_id>/", views.manage_quiz, name="manage_quiz"),
    path("manage/quizzes/<int:quiz_id>/feed/", views.manage_quiz_feed, name="manage_quiz_feed"),
    # points campaigns
    path("manage/campaigns/", views.manage_campaigns, name="manage_campaigns"),
    path("manage/campaigns/export/", views.manage_campaigns_export, name="manage_campaigns_export"),
    path("manage/campaigns/new/", views.manage_campaign_create, name="manage_campaign_create"),
    path("manage/campaigns/<int:campaign_id>/", views.manage_campaign, name="manage_campaign"),
    path("manage/campaigns/<int:campaign_id>/rules/", views.manage_campaign_rule, name="manage_campaign_rule"),
    path("manage/campaigns/<int:campaign_id>/teams/", views.manage_campaign_team, name="manage_campaign_team"),
    path("manage/campaigns/<int:campaign_id>/members/", views.manage_campaign_members, name="manage_campaign_members"),
    path(
        "manage/campaigns/<int:campaign_id>/members/export/",
        views.manage_campaign_members_export,
        name="manage_campaign_members_export",
    ),
    path("manage/campaigns/<int:campaign_id>/enrol/", views.manage_campaign_enrol, name="manage_campaign_enrol"),
    path(
        "manage/campaigns/<int:campaign_id>/standings/",
        views.manage_campaign_standings,
        name="manage_campaign_standings",
    ),
    path(
        "manage/campaigns/<int:campaign_id>/standings/export/",
        views.manage_campaign_standings_export,
        name="manage_campaign_standings_export",
    ),
    # moderation
    path("manage/moderation/", views.manage_reports, name="manage_reports"),
    path("manage/moderation/export/", views.manage_reports_export, name="manage_reports_export"),
    path("manage/moderation/<int:report_id>/decide/", views.manage_report_decide, name="manage_report_decide"),
    path("manage/moderation/content/", views.manage_content, name="manage_content"),
    path("manage/moderation/hidden/", views.manage_hidden, name="manage_hidden"),
    path("manage/moderation/hide/", views.manage_content_hide, name="manage_content_hide"),
    path("manage/moderation/restore/", views.manage_content_restore, name="manage_content_restore"),
    # statistics
    path("manage/stats/", views.manage_stats, name="manage_stats"),
    path("manage/stats/export/", views.manage_stats_export, name="manage_stats_export"),
]

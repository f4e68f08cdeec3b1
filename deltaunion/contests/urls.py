from django.urls import path

from deltaunion.contests import views, views_results

app_name = "contests"
urlpatterns = [
    path("", views.contest_list_view, name="list"),
    path("export.xlsx", views.contest_export, name="export"),
    path("<int:contest_id>/", views.contest_detail, name="detail"),
    path("<int:contest_id>/chain/", views.chain_verify, name="chain"),
    path("<int:contest_id>/rules/", views_results.rules_view, name="rules"),
    # A stage: the officers' hub and its actions.
    path("stages/<int:stage_id>/", views.stage_manage, name="stage"),
    path("stages/<int:stage_id>/action/", views.stage_action, name="stage_action"),
    path("stages/<int:stage_id>/signup/", views.stage_signup, name="signup"),
    path("stages/<int:stage_id>/registrations/", views.registrations_view, name="registrations"),
    path("stages/<int:stage_id>/registrations/add/", views.registration_add, name="registration_add"),
    path("stages/<int:stage_id>/registrations/approve/", views.registrations_approve, name="registrations_approve"),
    path("stages/<int:stage_id>/registrations.xlsx", views.registrations_export, name="registrations_export"),
    path("stages/<int:stage_id>/import/", views.registrations_import_view, name="import"),
    path("stages/<int:stage_id>/checkin.xlsx", views.checkin_export, name="checkin_export"),
    path("stages/<int:stage_id>/scheme/", views.scheme_view, name="scheme"),
    path("stages/<int:stage_id>/results.xlsx", views.results_export, name="results_export"),
    path("stages/<int:stage_id>/results.pdf", views_results.results_pdf_view, name="results_pdf"),
    path("modules/<int:module_id>/marks/", views_results.module_marks_view, name="module_marks"),
    path("modules/<int:module_id>/scores.xlsx", views.score_sheet_export, name="score_sheet"),
    path("registrations/<int:registration_id>/decide/", views.registration_decide, name="registration_decide"),
    path("registrations/<int:registration_id>/withdraw/", views.registration_withdraw, name="registration_withdraw"),
    path("registrations/<int:registration_id>/checkin/", views.registration_checkin, name="checkin"),
    # Public: results, objections, the live board, certificates.
    path("stages/<int:stage_id>/results/", views.stage_results_view, name="results"),
    path("results/<int:result_set_id>/objection/", views.objection_file, name="objection"),
    path("stages/<int:stage_id>/board/", views.board_big, name="board"),
    path("stages/<int:stage_id>/board/phone/", views.board_phone, name="board_phone"),
    path("stages/<int:stage_id>/board/partial/", views.board_partial, name="board_partial"),
    path("certificates/<str:code>/verify/", views.certificate_verify, name="certificate_verify"),
    path("certificates/<str:code>/certificate.pdf", views.certificate_download, name="certificate_pdf"),
    # Judges: secret numbers only.
    path("judge/", views.judge_home, name="judge_home"),
    path("judge/modules/<int:module_id>/", views.judge_mark, name="judge_mark"),
    path("judge/modules/<int:module_id>/queue/", views.judge_queue, name="judge_queue"),
    path("judge/modules/<int:module_id>/flagged/", views.judge_flagged, name="judge_flagged"),
]

# Setting a contest up; officers' and team leaders' stage tasks.
from deltaunion.contests import views_setup  # noqa: E402

urlpatterns += [
    path("new/", views_setup.contest_create, name="create"),
    path("<int:contest_id>/edit/", views_setup.contest_edit, name="edit"),
    path("<int:contest_id>/venues/add/", views_setup.venue_add, name="venue_add"),
    path("<int:contest_id>/stages/add/", views_setup.stage_add, name="stage_add"),
    path("<int:contest_id>/roles/", views_setup.roles_view, name="roles"),
    path("roles/<int:role_id>/revoke/", views_setup.role_revoke, name="role_revoke"),
    path("<int:contest_id>/awards/", views_setup.awards_view, name="awards"),
    path("stages/<int:stage_id>/scheme/modules/add/", views_setup.module_add, name="module_add"),
    path("modules/<int:module_id>/aspects/add/", views_setup.aspect_add, name="aspect_add"),
    path("stages/<int:stage_id>/judges/", views_setup.judges_view, name="judges"),
    path("assignments/<int:assignment_id>/unassign/", views_setup.judge_unassign, name="judge_unassign"),
    path("stages/<int:stage_id>/quotas/", views_setup.quotas_view, name="quotas"),
    path("stages/<int:stage_id>/qualify/", views_setup.qualify_view, name="qualify"),
    path("stages/<int:stage_id>/theory/", views_setup.theory_view, name="theory"),
    path("stages/<int:stage_id>/appeal/", views_setup.appeal_view, name="appeal"),
]

"""Honours pages (namespace `honours`)."""

from django.urls import path

from deltaunion.honours import views
from deltaunion.honours import views_innovation as innovation

app_name = "honours"
urlpatterns = [
    # Public: the roll of honour, certificates, public notices, exhibitions, the studio alliance.
    path("", views.roll, name="roll"),
    path("certificates/<str:code>/verify/", views.certificate_verify, name="certificate_verify"),
    path("certificates/<str:code>/certificate.pdf", views.certificate_download, name="certificate_pdf"),
    path("selections/<int:selection_id>/notice/", views.notice, name="notice"),
    path("nominations/<int:nomination_id>/objection/", views.objection_file, name="objection_file"),
    path("exhibitions/", innovation.exhibition_list, name="exhibitions"),
    path("exhibitions/<int:exhibition_id>/", innovation.exhibition_detail, name="exhibition"),
    path("studios/alliance/", innovation.alliance, name="alliance"),
    path("studios/<int:studio_id>/", innovation.studio_detail, name="studio"),
    path("results/<int:result_id>/", innovation.result_detail, name="result"),
    path("photos/<int:photo_id>/", innovation.photo, name="photo"),
    # The worker's own space.
    path("mine/", views.mine, name="mine"),
    # Selections.
    path("selections/", views.selection_list, name="selections"),
    path("selections/new/", views.selection_create, name="selection_create"),
    path("selections/<int:selection_id>/", views.selection_detail, name="selection"),
    path("selections/<int:selection_id>/edit/", views.selection_edit, name="selection_edit"),
    path("selections/<int:selection_id>/setup/", views.selection_setup, name="selection_setup"),
    path("selections/<int:selection_id>/action/", views.selection_action, name="selection_action"),
    path("selections/<int:selection_id>/nominate/", views.nomination_create, name="nominate"),
    path("nominations/<int:nomination_id>/", views.nomination_detail, name="nomination"),
    path("materials/<int:answer_id>/", views.material_file, name="material_file"),
    # The experts.
    path("review/", views.review_home, name="review_home"),
    path("review/nominations/<int:nomination_id>/", views.review_sheet, name="review_sheet"),
    path("panels/<int:panel_id>/", views.panel_detail, name="panel"),
    # Studios, results, exhibitions (officers).
    path("studios/", innovation.studio_list, name="studios"),
    path("studios/new/", innovation.studio_create, name="studio_create"),
    path("studios/import-reports/", innovation.report_import, name="report_import"),
    path("studios/<int:studio_id>/edit/", innovation.studio_edit, name="studio_edit"),
    path("results/", innovation.result_list, name="results"),
    path("results/new/", innovation.result_create, name="result_create"),
    path("results/<int:result_id>/edit/", innovation.result_edit, name="result_edit"),
    path("results/<int:result_id>/photos/", innovation.result_photo_add, name="result_photo_add"),
    path("exhibitions/new/", innovation.exhibition_create, name="exhibition_create"),
    path("exhibitions/<int:exhibition_id>/manage/", innovation.exhibition_manage, name="exhibition_manage"),
]

"""Recuperation pages (namespace `recuperation`)."""

from django.urls import path

from deltaunion.recuperation import views, views_officer

app_name = "recuperation"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("itineraries/<int:itinerary_id>/", views.itinerary_detail, name="itinerary"),
    path("itineraries/<int:itinerary_id>/edit/", views_officer.itinerary_edit, name="itinerary_edit"),
    path("itineraries/<int:itinerary_id>/status/", views_officer.itinerary_status, name="itinerary_status"),
    path("itineraries/<int:itinerary_id>/batches/new/", views_officer.batch_create, name="batch_create"),
    path("batches/<int:batch_id>/", views.batch_detail, name="batch"),
    path("batches/<int:batch_id>/apply/", views.batch_apply, name="batch_apply"),
    path("batches/<int:batch_id>/draw/", views.draw_page, name="draw"),
    path("batches/<int:batch_id>/draw.json", views.draw_json, name="draw_json"),
    path("batches/<int:batch_id>/edit/", views_officer.batch_edit, name="batch_edit"),
    path("batches/<int:batch_id>/step/", views_officer.batch_step, name="batch_step"),
    path("batches/<int:batch_id>/cancel/", views_officer.batch_cancel, name="batch_cancel"),
    path("batches/<int:batch_id>/applications.xlsx", views_officer.batch_export, name="batch_export"),
    path("bases/", views.base_list, name="bases"),
    path("bases/matrix/", views.base_matrix, name="base_matrix"),
    path("bases/matrix.xlsx", views_officer.base_matrix_export, name="base_matrix_export"),
    path("bases.xlsx", views_officer.base_export, name="base_export"),
    path("bases/<int:base_id>/", views.base_detail, name="base"),
    path("bases/<int:base_id>/edit/", views_officer.base_edit, name="base_edit"),
    path("bases/<int:base_id>/photos/", views_officer.base_photo_add, name="base_photo_add"),
    path("bases/<int:base_id>/recognise/", views_officer.base_recognise, name="base_recognise"),
    path("recognitions/<int:recognition_id>/end/", views_officer.recognition_end, name="recognition_end"),
    path("photos/<int:photo_id>/", views.photo, name="photo"),
    path("mine/", views.mine, name="mine"),
    path("applications/<int:application_id>/", views.application_detail, name="application"),
    path("applications/<int:application_id>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("applications/<int:application_id>/confirm/", views.application_confirm, name="application_confirm"),
    path("applications/<int:application_id>/cancel/", views.application_cancel, name="application_cancel"),
    path("applications/<int:application_id>/decide/", views.application_decide, name="application_decide"),
    path("applications/<int:application_id>/rate/", views.application_rate, name="application_rate"),
    path("manage/", views_officer.manage, name="manage"),
    path("manage/bases/new/", views_officer.base_create, name="base_create"),
    path("manage/bases/import/", views_officer.base_import, name="base_import"),
    path("manage/itineraries/new/", views_officer.itinerary_create, name="itinerary_create"),
    path("manage/approvals/", views_officer.approvals, name="approvals"),
    path("manage/targets/", views_officer.targets, name="targets"),
    path("manage/trips/", views_officer.group_trips, name="group_trips"),
    path("matrix/", views_officer.matrix, name="matrix"),
    path("matrix.xlsx", views_officer.matrix_export, name="matrix_export"),
]

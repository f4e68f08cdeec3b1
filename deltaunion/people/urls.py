from django.urls import path

from deltaunion.people import views

app_name = "people"
urlpatterns = [
    path("", views.worker_list_view, name="list"),
    path("export.xlsx", views.worker_export, name="export"),
    path("import/", views.worker_import_view, name="import"),
    path("<int:worker_id>/", views.worker_detail, name="detail"),
]

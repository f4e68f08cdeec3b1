from django.urls import path

from deltaunion.core import views

app_name = "core"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("imports/template/<str:key>.xlsx", views.import_template, name="import_template"),
    path("imports/jobs/<uuid:job_id>/", views.import_job, name="import_job"),
    path("imports/jobs/<uuid:job_id>/report.xlsx", views.import_report, name="import_report"),
]

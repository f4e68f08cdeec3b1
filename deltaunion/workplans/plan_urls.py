from django.urls import path

from deltaunion.workplans import views

app_name = "workplans"
urlpatterns = [
    path("tasks/<int:task_id>/", views.task_detail, name="task"),
    path("tasks/<int:task_id>/status/", views.task_set_status, name="task_status"),
    path("tasks/export.xlsx", views.export_tasks, name="export"),
    path("report.pdf", views.report_pdf, name="report_pdf"),
]

"""Labour-relations pages (namespace `relations`)."""

from django.urls import path

from deltaunion.relations import views

app_name = "relations"
urlpatterns = [
    path("", views.cases, name="cases"),
    path("cases.xlsx", views.cases_export, name="cases_export"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path("cases/<int:case_id>/assign/", views.case_assign, name="case_assign"),
    path("cases/<int:case_id>/refer/", views.case_refer, name="case_refer"),
    path("cases/<int:case_id>/answer/", views.case_answer, name="case_answer"),
    path("cases/<int:case_id>/withdraw/", views.case_withdraw, name="case_withdraw"),
    path("cases/<int:case_id>/step/", views.case_step, name="case_step"),
    path("cases/<int:case_id>/evidence/", views.case_evidence, name="case_evidence"),
    path("cases/<int:case_id>/workers/", views.case_party_add, name="case_party_add"),
    path("workers/<int:party_id>/amounts/", views.party_amounts, name="party_amounts"),
    path("evidence/<uuid:key>/", views.evidence, name="evidence"),
    path("help/", views.help_request, name="help"),
    path("mine/", views.mine, name="mine"),
    path("signals/", views.signals, name="signals"),
    path("signals.xlsx", views.signals_export, name="signals_export"),
    path("signals/new/", views.signal_create, name="signal_create"),
    path("signals/<int:signal_id>/", views.signal_detail, name="signal"),
    path("signals/<int:signal_id>/status/", views.signal_status, name="signal_status"),
    path("signals/<int:signal_id>/workers/", views.signal_worker_add, name="signal_worker_add"),
    path("projects/", views.projects, name="projects"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:project_id>/", views.project_detail, name="project"),
    path("projects/<int:project_id>/measures/", views.measure_add, name="measure_add"),
    path("report/", views.report, name="report"),
    path("report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("report.pdf", views.report_pdf, name="report_pdf"),
    path("report/record/", views.report_record, name="report_record"),
]

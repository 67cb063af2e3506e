from django.urls import include, path

from xiaoan.core.workflow_pages import action_urls
from xiaoan.reportcalls import views

app_name = "reportcalls"
urlpatterns = [
    path("", views.CallListView.as_view(), name="reportcall_list"),
    path("new/", views.CallCreateView.as_view(), name="reportcall_add"),
    path("<int:pk>/", views.CallDetailView.as_view(), name="reportcall_detail"),
    path("<int:pk>/export/", views.CallExportView.as_view(), name="reportcall_export"),
    path("reports/", views.ReportListView.as_view(), name="report_list"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("reports/<int:pk>/edit/", views.ReportEditView.as_view(), name="report_edit"),
    path("reports/<int:pk>/report.docx", views.ReportDocxView.as_view(), name="report_docx"),
    path("reports/<int:pk>/report.pdf", views.ReportPdfView.as_view(), name="report_pdf"),
    path("reports/", include(action_urls(views.ReportActionView))),
]

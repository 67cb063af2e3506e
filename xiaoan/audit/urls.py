from django.urls import path

from xiaoan.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.AuditEntryListView.as_view(), name="auditentry_list"),
    path("export.xlsx", views.AuditEntryExportView.as_view(), name="auditentry_export"),
]

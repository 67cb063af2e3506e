from django.urls import path

from xiaoan.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("export.xlsx", views.DashboardExportView.as_view(), name="dashboard_export"),
]

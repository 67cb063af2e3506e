from django.urls import path

from xiaoan.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("map.json", views.MapDataView.as_view(), name="map_data"),
    path("brief.pdf", views.DashboardBriefView.as_view(), name="dashboard_brief"),
    path("export.xlsx", views.DashboardExportView.as_view(), name="dashboard_export"),
]

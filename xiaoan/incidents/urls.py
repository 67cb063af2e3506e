from django.urls import include, path

from xiaoan.core.register_views import register_urls
from xiaoan.core.workflow_pages import action_urls
from xiaoan.incidents import views
from xiaoan.incidents.registers import ROSTER

app_name = "incidents"
urlpatterns = [
    path("", views.IncidentListView.as_view(), name="incident_list"),
    path("export.xlsx", views.IncidentExportView.as_view(), name="incident_export"),
    path("new/", views.IncidentCreateView.as_view(), name="incident_add"),
    path("<int:pk>/", views.IncidentDetailView.as_view(), name="incident_detail"),
    *action_urls(views.IncidentActionView),
    # The 值班 roster register (dutyshift_list, dutyshift_detail, …) and today's duty.
    path("duty/today/", views.DutyTodayView.as_view(), name="dutyshift_today"),
    path("duty/", include(register_urls(ROSTER))),
]

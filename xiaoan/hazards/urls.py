from django.urls import path

from xiaoan.core.workflow_pages import action_urls
from xiaoan.hazards import exports, views

app_name = "hazards"
urlpatterns = [
    path("", views.HazardListView.as_view(), name="hazard_list"),
    path("report/", views.HazardReportView.as_view(), name="hazard_report"),
    path("my/", views.MyTasksView.as_view(), name="my_tasks"),
    path("export/<str:kind>/", exports.export_view, name="hazard_export"),
    path("photos/<int:pk>/", views.HazardPhotoView.as_view(), name="hazard_photo"),
    path("<int:pk>/", views.HazardDetailView.as_view(), name="hazard_detail"),
]
urlpatterns += action_urls(views.HazardActionView)

from django.urls import path

from xiaoan.activities import views

app_name = "activities"
urlpatterns = [
    path("", views.ActivityListView.as_view(), name="activity_list"),
    path("export/", views.ActivityExportView.as_view(), name="activity_export"),
    path("new/", views.RecordView.as_view(), name="activity_record"),
    path("calendar/", views.CalendarView.as_view(), name="calendar"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("coverage/export/", views.CoverageExportView.as_view(), name="coverage_export"),
    path("photos/<int:pk>/", views.PhotoView.as_view(), name="activity_photo"),
    path("<int:pk>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path("<int:pk>/edit/", views.ActivityEditView.as_view(), name="activity_edit"),
]

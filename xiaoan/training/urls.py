from django.urls import path

from xiaoan.core.register_views import register_urls
from xiaoan.training import views
from xiaoan.training.registers import TRAININGS

app_name = "training"
detail = TRAININGS.model_name + "_detail"
urlpatterns = [
    path("<int:pk>/", views.TrainingDetailView.as_view(), name=detail)
    if pattern.name == detail
    else pattern
    for pattern in register_urls(TRAININGS)
] + [
    path("<int:pk>/attendance/", views.AttendancePageView.as_view(), name="attendance"),
    path("<int:pk>/attendance/outsider/", views.OutsiderAddView.as_view(), name="outsider_add"),
    path(
        "<int:pk>/attendance/<int:row>/remove/",
        views.AttendanceRemoveView.as_view(),
        name="attendance_remove",
    ),
    path("<int:pk>/attendance/sheet/", views.SheetImportView.as_view(), name="attendance_sheet"),
    path(
        "<int:pk>/attendance/export/",
        views.AttendanceExportView.as_view(),
        name="attendance_export",
    ),
    path("<int:pk>/checkin/open/", views.CheckinOpenView.as_view(), name="checkin_open"),
    path("<int:pk>/checkin/close/", views.CheckinCloseView.as_view(), name="checkin_close"),
    path("checkin/<str:token>/", views.CheckinView.as_view(), name="checkin"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("people/<int:pk>/", views.PersonRecordView.as_view(), name="person"),
    path("mine/", views.MyRecordView.as_view(), name="mine"),
]

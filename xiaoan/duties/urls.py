from django.urls import path

from xiaoan.duties import views

app_name = "duties"
urlpatterns = [
    path("", views.DutyListView.as_view(), name="duty_list"),
    path("new/", views.DutyCreateView.as_view(), name="duty_create"),
    path("builtin/", views.DutyBuiltinView.as_view(), name="duty_builtin"),
    path("<int:pk>/", views.DutyDetailView.as_view(), name="duty_detail"),
    path("<int:pk>/active/", views.DutyActiveView.as_view(), name="duty_active"),
    path("obligations/", views.ObligationListView.as_view(), name="obligation_list"),
    path("obligations/overview/", views.OverviewView.as_view(), name="overview"),
    path("obligations/<int:pk>/", views.ObligationDetailView.as_view(), name="obligation_detail"),
    path(
        "obligations/<int:pk>/record/",
        views.ObligationRecordView.as_view(),
        name="obligation_record",
    ),
    path("records/<int:pk>/file/", views.RecordFileView.as_view(), name="record_file"),
]

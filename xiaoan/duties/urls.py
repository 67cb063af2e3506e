from django.urls import include, path

from xiaoan.core.workflow_pages import action_urls
from xiaoan.duties import views

app_name = "duties"
urlpatterns = [
    path("", views.DutyListView.as_view(), name="duty_list"),
    path("new/", views.DutyCreateView.as_view(), name="duty_create"),
    path("builtin/", views.DutyBuiltinView.as_view(), name="duty_builtin"),
    path("<int:pk>/", views.DutyDetailView.as_view(), name="duty_detail"),
    # One POST per action of the duty workflow: <pk>/stop/, <pk>/resume/
    path("", include(action_urls(views.DutyActionView))),
    path("obligations/", views.ObligationListView.as_view(), name="obligation_list"),
    path("obligations/overview/", views.OverviewView.as_view(), name="overview"),
    path("obligations/<int:pk>/", views.ObligationDetailView.as_view(), name="obligation_detail"),
    # One POST per action of the obligation workflow: obligations/<pk>/record/ …
    path("obligations/", include(action_urls(views.ObligationActionView))),
    path("records/<int:pk>/file/", views.RecordFileView.as_view(), name="record_file"),
]

from django.urls import path

from xiaoan.alerts import views
from xiaoan.core.workflow_pages import action_urls

app_name = "alerts"
urlpatterns = [
    path("", views.AlertListView.as_view(), name="alert_list"),
    path("<int:pk>/", views.AlertDetailView.as_view(), name="alert_detail"),
    path("<int:pk>/photos/<int:photo_pk>/", views.AlertPhotoView.as_view(), name="alert_photo"),
    *action_urls(views.AlertActionView),
    path("silences/", views.SilenceListView.as_view(), name="silence_list"),
    path("silences/new/", views.SilenceCreateView.as_view(), name="silence_add"),
    path("silences/<int:pk>/end/", views.SilenceEndView.as_view(), name="silence_end"),
    path("rules/", views.RuleListView.as_view(), name="rule_list"),
    path("rules/new/", views.RuleCreateView.as_view(), name="rule_add"),
    path("rules/<int:pk>/edit/", views.RuleEditView.as_view(), name="rule_edit"),
    path("rules/<int:pk>/deactivate/", views.RuleDeactivateView.as_view(), name="rule_deactivate"),
    path("warnings/", views.WarningListView.as_view(), name="warning_list"),
    path("warnings/new/", views.WarningCreateView.as_view(), name="warning_add"),
    path("warnings/<int:pk>/", views.WarningDetailView.as_view(), name="warning_detail"),
    path("sources/", views.SourceListView.as_view(), name="source_list"),
    path("sources/new/", views.SourceCreateView.as_view(), name="source_add"),
    path("sources/<int:pk>/", views.SourceDetailView.as_view(), name="source_detail"),
    path("sources/<int:pk>/rotate/", views.SourceRotateView.as_view(), name="source_rotate"),
    path(
        "sources/<int:pk>/deactivate/",
        views.SourceActiveView.as_view(active=False),
        name="source_deactivate",
    ),
    path(
        "sources/<int:pk>/activate/",
        views.SourceActiveView.as_view(active=True),
        name="source_activate",
    ),
]

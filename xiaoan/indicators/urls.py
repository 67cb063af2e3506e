from django.urls import include, path

from xiaoan.core.workflow_pages import action_urls
from xiaoan.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.IndicatorListView.as_view(), name="indicator_list"),
    path("new/", views.IndicatorCreateView.as_view(), name="indicator_create"),
    path("<int:pk>/", views.IndicatorDetailView.as_view(), name="indicator_detail"),
    path("<int:pk>/report/", views.ReportView.as_view(), name="indicator_report"),
    path("<int:pk>/targets/", views.TargetView.as_view(), name="indicator_target"),
    path("values/", views.ValueListView.as_view(), name="indicatorvalue_list"),
    path("values/<int:pk>/", views.ValueDetailView.as_view(), name="indicatorvalue_detail"),
    path("values/<int:pk>/file/", views.ValueFileView.as_view(), name="indicatorvalue_file"),
    # One POST per action: values/<pk>/accept/, values/<pk>/send-back/, values/<pk>/resubmit/
    path("values/", include(action_urls(views.ValueActionView))),
    path("ranking-weights/", views.RankingWeightsView.as_view(), name="ranking_weights"),
]

from django.urls import path

from xiaoan.core.workflow_pages import action_urls
from xiaoan.risks import plan_views, views

app_name = "risks"
urlpatterns = [
    path("", views.RiskPointListView.as_view(), name="riskpoint_list"),
    path("export.xlsx", views.RiskPointExportView.as_view(), name="riskpoint_export"),
    path("export.docx", views.RiskPointWordView.as_view(), name="riskpoint_word"),
    path("new/", views.RiskPointCreateView.as_view(), name="riskpoint_add"),
    path("method/", views.MethodSettingView.as_view(), name="riskpoint_method"),
    path("library/", views.LibraryView.as_view(), name="riskpoint_library"),
    path("my-checks/", views.MyChecksView.as_view(), name="riskpoint_my_checks"),
    path("checks/<int:pk>/photo/", views.CheckPhotoView.as_view(), name="controlcheck_photo"),
    path("<int:pk>/", views.RiskPointDetailView.as_view(), name="riskpoint_detail"),
    path("<int:pk>/check/", views.CheckView.as_view(), name="riskpoint_check"),
    *action_urls(views.RiskPointActionView),
    # 四色图: plan images of a unit and the risk points placed on them.
    path("plans/", plan_views.PlanListView.as_view(), name="riskplan_list"),
    path("plans/new/", plan_views.PlanUploadView.as_view(), name="riskplan_add"),
    path("plans/<int:pk>/", plan_views.PlanDetailView.as_view(), name="riskplan_detail"),
    path("plans/<int:pk>/image/", plan_views.PlanImageView.as_view(), name="riskplan_image"),
    path("plans/<int:pk>/place/", plan_views.PlacePointView.as_view(), name="riskplan_place"),
]

from django.urls import path

from xiaoan.core.workflow_pages import action_urls
from xiaoan.drills import views

app_name = "drills"
urlpatterns = [
    path("", views.DrillListView.as_view(), name="drill_list"),
    path("export.xlsx", views.DrillExportView.as_view(), name="drill_export"),
    path("new/", views.DrillCreateView.as_view(), name="drill_add"),
    path("<int:pk>/", views.DrillDetailView.as_view(), name="drill_detail"),
    path("<int:pk>/edit/", views.DrillEditView.as_view(), name="drill_edit"),
    path("<int:pk>/record/", views.DrillRecordView.as_view(), name="drill_record"),
    path("<int:pk>/evaluate/", views.DrillEvaluateView.as_view(), name="drill_evaluate"),
    path("<int:pk>/print.pdf", views.DrillPrintView.as_view(), name="drill_print"),
    path("<int:pk>/photos/<int:photo_pk>/", views.DrillPhotoView.as_view(), name="drill_photo"),
    *action_urls(views.DrillActionView),
]

from django.urls import path

from xiaoan.core.workflow_pages import action_urls
from xiaoan.studentcases import views

app_name = "studentcases"
urlpatterns = [
    path("", views.CaseListView.as_view(), name="studentcase_list"),
    path("export.xlsx", views.CaseExportView.as_view(), name="studentcase_export"),
    path("counts/", views.CountsView.as_view(), name="studentcase_counts"),
    path("new/", views.CaseCreateView.as_view(), name="studentcase_add"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="studentcase_detail"),
    path("<int:pk>/follow-up/", views.CaseFollowUpView.as_view(), name="studentcase_followup"),
    path("<int:pk>/close/", views.CaseCloseView.as_view(), name="studentcase_close"),
    path("bullying/", views.BullyingListView.as_view(), name="bullyingcase_list"),
    path("bullying/new/", views.BullyingCreateView.as_view(), name="bullyingcase_add"),
    path("bullying/<int:pk>/", views.BullyingDetailView.as_view(), name="bullyingcase_detail"),
    path("screenings/", views.ScreeningListView.as_view(), name="conflictscreening_list"),
    path("screenings/new/", views.ScreeningCreateView.as_view(), name="conflictscreening_add"),
    path(
        "screenings/<int:pk>/",
        views.ScreeningDetailView.as_view(),
        name="conflictscreening_detail",
    ),
]
# The bullying steps: bullying/<pk>/<step>/.
urlpatterns += [
    path(f"bullying/{p.pattern}", p.callback, name=p.name)
    for p in action_urls(views.BullyingActionView)
]

from django.urls import path

from xiaoan.core.workflow_pages import action_urls
from xiaoan.inspections import print_views, schedule_views, views

app_name = "inspections"
urlpatterns = [
    path("", views.InspectionListView.as_view(), name="inspection_list"),
    path("new/", views.InspectionCreateView.as_view(), name="inspection_create"),
    path("export.xlsx", print_views.InspectionListExportView.as_view(), name="inspection_export"),
    path("<int:pk>/print.pdf", print_views.InspectionPrintView.as_view(), name="inspection_print"),
    path(
        "<int:pk>/results.xlsx",
        print_views.InspectionResultsExportView.as_view(),
        name="inspection_results_export",
    ),
    path("<int:pk>/", views.InspectionDetailView.as_view(), name="inspection_detail"),
    path("<int:pk>/run/", views.InspectionRunView.as_view(), name="inspection_run"),
    # invite, close: one POST view per action the workflow declares with a form.
    *action_urls(views.InspectionActionView),
    path(
        "<int:pk>/invite/<int:user_pk>/remove/",
        views.InspectionUninviteView.as_view(),
        name="inspection_uninvite",
    ),
    path(
        "<int:pk>/invite/candidates/",
        views.InviteCandidatesView.as_view(),
        name="invite_candidates",
    ),
    path("photos/<int:pk>/", views.ResultPhotoView.as_view(), name="result_photo"),
    path("checklists/", views.ChecklistListView.as_view(), name="checklist_list"),
    path("checklists/<int:pk>/", views.ChecklistDetailView.as_view(), name="checklist_detail"),
    path("checklists/<int:pk>/copy/", views.ChecklistCopyView.as_view(), name="checklist_copy"),
    path("checklists/<int:pk>/edit/", views.ChecklistEditView.as_view(), name="checklist_edit"),
    # Schedules, unannounced draws, coverage (xiaoan.inspections.schedule_views).
    path("schedules/", schedule_views.ScheduleListView.as_view(), name="schedule_list"),
    path("schedules/new/", schedule_views.ScheduleCreateView.as_view(), name="schedule_create"),
    path(
        "schedules/defaults/",
        schedule_views.ScheduleDefaultsView.as_view(),
        name="schedule_defaults",
    ),
    path(
        "schedules/<int:pk>/", schedule_views.ScheduleDetailView.as_view(), name="schedule_detail"
    ),
    path(
        "schedules/<int:pk>/generate/",
        schedule_views.ScheduleGenerateView.as_view(),
        name="schedule_generate",
    ),
    path(
        "schedules/<int:pk>/active/",
        schedule_views.ScheduleActiveView.as_view(),
        name="schedule_active",
    ),
    path("draws/", schedule_views.DrawListView.as_view(), name="draw_list"),
    path("draws/new/", schedule_views.DrawCreateView.as_view(), name="draw_create"),
    path("draws/<int:pk>/", schedule_views.DrawDetailView.as_view(), name="draw_detail"),
    path("coverage/", schedule_views.CoverageView.as_view(), name="coverage"),
]

from django.urls import include, path

from xiaoan.core.workflow_pages import action_urls
from xiaoan.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.PlanListView.as_view(), name="plan_list"),
    path("new/", views.PlanCreateView.as_view(), name="plan_create"),
    path("my/", views.MyTasksView.as_view(), name="my_tasks"),
    path("import/", views.ImportView.as_view(), name="plan_import"),
    path("import/<int:pk>/", views.ImportReviewView.as_view(), name="import_review"),
    path("<int:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("<int:pk>/edit/", views.PlanEditView.as_view(), name="plan_edit"),
    path(
        "<int:pk>/responsibilities.xlsx",
        views.ResponsibilityExportView.as_view(),
        {"fmt": "xlsx"},
        name="plan_responsibilities_xlsx",
    ),
    path(
        "<int:pk>/responsibilities.docx",
        views.ResponsibilityExportView.as_view(),
        {"fmt": "docx"},
        name="plan_responsibilities_docx",
    ),
    path("<int:plan_pk>/tasks/new/", views.TaskFormView.as_view(), name="task_create"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task_detail"),
    path("tasks/<int:pk>/edit/", views.TaskFormView.as_view(), name="task_edit"),
    # plan_activate, plan_close; assignment_report (also the assignment's page), _decompose
    *action_urls(views.PlanActionView),
    path("assignments/", include(action_urls(views.AssignmentActionView))),
    path("evidence/<int:pk>/", views.EvidenceView.as_view(), name="evidence"),
]

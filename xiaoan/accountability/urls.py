from django.urls import include, path

from xiaoan.accountability import views
from xiaoan.core.workflow_pages import action_urls

app_name = "accountability"
commitments = [
    path("<int:pk>/", views.CommitmentDetailView.as_view(), name="commitment_detail"),
    *action_urls(views.CommitmentActionView),
]
urlpatterns = [
    path("", views.DecisionListView.as_view(), name="decision_list"),
    path("new/", views.DecisionCreateView.as_view(), name="decision_add"),
    path("evidence/", views.EvidenceView.as_view(), name="decision_evidence"),
    path("<int:pk>/", views.DecisionDetailView.as_view(), name="decision_detail"),
    path("<int:pk>/edit/", views.DecisionEditView.as_view(), name="decision_edit"),
    path(
        "<int:pk>/decision.xlsx", views.DecisionFileView.as_view(ext="xlsx"), name="decision_xlsx"
    ),
    path(
        "<int:pk>/decision.docx", views.DecisionFileView.as_view(ext="docx"), name="decision_docx"
    ),
    path("<int:pk>/decision.pdf", views.DecisionFileView.as_view(ext="pdf"), name="decision_pdf"),
    *action_urls(views.DecisionActionView),
    path("commitments/", include(commitments)),
]

from django.urls import path

from xiaoan.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.UnitListView.as_view(), name="unit_list"),
    path("new/", views.UnitCreateView.as_view(), name="unit_add"),
    path("import/", views.UnitImportView.as_view(), name="unit_import"),
    path("import/template.xlsx", views.import_template, name="unit_import_template"),
    path("<int:pk>/", views.UnitDetailView.as_view(), name="unit_detail"),
    path("<int:pk>/edit/", views.UnitUpdateView.as_view(), name="unit_change"),
    path("<int:pk>/move/", views.UnitMoveView.as_view(), name="unit_move"),
]

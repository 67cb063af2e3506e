from django.urls import include, path

from xiaoan.chemicals import views
from xiaoan.core.workflow_pages import action_urls

app_name = "chemicals"
urlpatterns = [
    path("", views.ChemicalListView.as_view(), name="chemical_list"),
    path("new/", views.ChemicalCreateView.as_view(), name="chemical_add"),
    path("<int:pk>/", views.ChemicalDetailView.as_view(), name="chemical_detail"),
    path("<int:pk>/edit/", views.ChemicalUpdateView.as_view(), name="chemical_edit"),
    path("<int:pk>/retire/", views.ChemicalRetireView.as_view(), name="chemical_retire"),
    path("storages/", views.StorageListView.as_view(), name="storage_list"),
    path("storages/new/", views.StorageCreateView.as_view(), name="storage_add"),
    path("storages/<int:pk>/", views.StorageDetailView.as_view(), name="storage_detail"),
    path("storages/<int:pk>/edit/", views.StorageUpdateView.as_view(), name="storage_edit"),
    path("storages/<int:pk>/retire/", views.StorageRetireView.as_view(), name="storage_retire"),
    path("movements/", views.MovementListView.as_view(), name="stockmovement_list"),
    path("movements/new/", views.MovementCreateView.as_view(), name="stockmovement_add"),
    path("movements/<int:pk>/", views.MovementDetailView.as_view(), name="stockmovement_detail"),
    # One POST per action of the movement workflow: movements/<pk>/confirm/, …/reject/
    path("movements/", include(action_urls(views.MovementActionView))),
    path("stocktakes/", views.StocktakeListView.as_view(), name="stocktake_list"),
    path("stocktakes/new/", views.StocktakeCreateView.as_view(), name="stocktake_add"),
    path("stocktakes/<int:pk>/", views.StocktakeDetailView.as_view(), name="stocktake_detail"),
    path("ledger.xlsx", views.LedgerExportView.as_view(), name="ledger_export"),
]

from django.urls import include, path

from xiaoan.chemicals import views
from xiaoan.chemicals.registers import CHEMICALS, STORAGES
from xiaoan.core.register_views import register_urls
from xiaoan.core.workflow_pages import action_urls

app_name = "chemicals"
urlpatterns = [
    # The catalogue and the storages are registers: list, record, add, edit, retire, Excel
    # (chemical_list, chemical_detail, …; storage_list, storage_detail, …).
    *register_urls(CHEMICALS),
    path("storages/", include(register_urls(STORAGES))),
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

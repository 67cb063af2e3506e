from django.urls import path

from xiaoan.orgs import place_views, views

app_name = "orgs"
urlpatterns = [
    path("", views.UnitListView.as_view(), name="unit_list"),
    path("new/", views.UnitCreateView.as_view(), name="unit_add"),
    path("import/", views.UnitImportView.as_view(), name="unit_import"),
    path("import/template.xlsx", views.import_template, name="unit_import_template"),
    path("<int:pk>/", views.UnitDetailView.as_view(), name="unit_detail"),
    path("<int:pk>/edit/", views.UnitUpdateView.as_view(), name="unit_change"),
    path("<int:pk>/move/", views.UnitMoveView.as_view(), name="unit_move"),
    path("<int:pk>/map/", views.AreaMapView.as_view(), name="area_map"),
    path("<int:pk>/map/remove/", views.AreaMapRemoveView.as_view(), name="area_map_remove"),
    path("places/", place_views.PlaceListView.as_view(), name="place_list"),
    path("places/new/", place_views.PlaceCreateView.as_view(), name="place_add"),
    path("places/<int:pk>/edit/", place_views.PlaceUpdateView.as_view(), name="place_change"),
]

from django.urls import path

from xiaoan.hazards import views

app_name = "hazards"
urlpatterns = [
    path("", views.HazardListView.as_view(), name="hazard_list"),
    path("<int:pk>/", views.HazardDetailView.as_view(), name="hazard_detail"),
]

from django.urls import path

from xiaoan.core.register_views import register_urls
from xiaoan.vehicles import views
from xiaoan.vehicles.registers import CAMPUS_VEHICLES

app_name = "campus_vehicles"
urlpatterns = [
    path("gate/", views.GateView.as_view(), name="gate"),
    path("rule/", views.RuleView.as_view(), name="rule"),
    path("<int:pk>/lift/", views.LiftView.as_view(), name="campusvehicle_lift"),
    *register_urls(CAMPUS_VEHICLES),
]

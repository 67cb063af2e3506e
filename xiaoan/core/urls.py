from django.urls import path

from xiaoan.core import views
from xiaoan.core.register_views import RegisterIndexView

app_name = "core"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("switch-unit/", views.SwitchUnitView.as_view(), name="switch_unit"),
    path("registers/", RegisterIndexView.as_view(), name="registers"),
]

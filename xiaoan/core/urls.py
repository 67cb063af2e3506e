from django.urls import path

from xiaoan.core import views

app_name = "core"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("switch-unit/", views.SwitchUnitView.as_view(), name="switch_unit"),
]

from django.urls import path

from xiaoan.buses import views
from xiaoan.buses.registers import BUSES
from xiaoan.core.register_views import register_urls

app_name = "buses"
urlpatterns = [
    path("check/", views.CheckView.as_view(), name="check"),
    path("checks/<int:pk>/", views.CheckDoneView.as_view(), name="check_done"),
    path("check-photos/<int:pk>/", views.CheckPhotoView.as_view(), name="check_photo"),
    *register_urls(BUSES),
]

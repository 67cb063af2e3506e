from django.urls import path

from xiaoan.core.register_views import register_urls
from xiaoan.fireassets import views
from xiaoan.fireassets.registers import FIRE_ASSETS

app_name = "fireassets"
urlpatterns = [
    path("check/", views.CheckView.as_view(), name="check"),
    path("checks/<int:pk>/", views.BatchView.as_view(), name="check_batch"),
    path("check-photos/<int:pk>/", views.CheckPhotoView.as_view(), name="check_photo"),
    *register_urls(FIRE_ASSETS),
]

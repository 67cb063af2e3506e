from django.urls import path

from xiaoan.core.register_views import register_urls
from xiaoan.waters.registers import WATERS
from xiaoan.waters.views import PatrolView

app_name = "waters"
urlpatterns = [
    *register_urls(WATERS),
    path("<int:pk>/patrol/", PatrolView.as_view(), name="water_patrol"),
]

from django.urls import include, path

from xiaoan.cameras import views
from xiaoan.cameras.registers import ALARM_POINTS, CAMERAS
from xiaoan.core.register_views import register_urls

app_name = "cameras"
urlpatterns = [
    # camera_list, camera_detail, …; alarmpoint_list, alarmpoint_detail, …
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    *register_urls(CAMERAS),
    path("alarm-points/", include(register_urls(ALARM_POINTS))),
]

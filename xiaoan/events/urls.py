from django.urls import path

from xiaoan.core.register_views import register_urls
from xiaoan.events.registers import EVENTS
from xiaoan.events.views import SignOffView

app_name = "events"
urlpatterns = [
    *register_urls(EVENTS),
    path("<int:pk>/signoff/", SignOffView.as_view(), name="event_signoff"),
]

from django.urls import path

from xiaoan.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("read-all/", views.MarkAllReadView.as_view(), name="mark_all_read"),
    path("preferences/", views.PreferenceView.as_view(), name="preferences"),
    path("<int:pk>/", views.OpenView.as_view(), name="open"),
]

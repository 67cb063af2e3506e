from django.urls import path

from xiaoan.core.workflow_pages import action_urls
from xiaoan.publicreports import views

app_name = "publicreports"
urlpatterns = [
    path("", views.PublicReportListView.as_view(), name="publicreport_list"),
    path("<int:pk>/", views.PublicReportDetailView.as_view(), name="publicreport_detail"),
    path(
        "<int:pk>/photos/<int:photo>/",
        views.PublicReportPhotoView.as_view(),
        name="publicreport_photo",
    ),
    *action_urls(views.PublicReportActionView),
    path("channels/", views.ChannelListView.as_view(), name="channel_list"),
    path("channels/<int:unit>/", views.ChannelDetailView.as_view(), name="channel_detail"),
    path("channels/<int:unit>/poster/", views.ChannelPosterView.as_view(), name="channel_poster"),
    path(
        "channels/<int:unit>/poster.pdf",
        views.ChannelPosterPdfView.as_view(),
        name="channel_poster_pdf",
    ),
    path("channels/<int:unit>/rotate/", views.ChannelRotateView.as_view(), name="channel_rotate"),
    path("channels/<int:unit>/switch/", views.ChannelSwitchView.as_view(), name="channel_switch"),
]

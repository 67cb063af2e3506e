from django.urls import path

from xiaoan.channels import views

app_name = "channels"
urlpatterns = [
    path("", views.ChannelListView.as_view(), name="channel_list"),
    path("new/", views.ChannelCreateView.as_view(), name="channel_add"),
    path("deliveries/", views.DeliveryListView.as_view(), name="delivery_list"),
    path("<int:pk>/", views.ChannelDetailView.as_view(), name="channel_detail"),
    path("<int:pk>/edit/", views.ChannelEditView.as_view(), name="channel_edit"),
    path("<int:pk>/test/", views.ChannelTestView.as_view(), name="channel_test"),
    path("<int:pk>/deactivate/", views.ChannelDeactivateView.as_view(), name="channel_deactivate"),
    path("<int:pk>/activate/", views.ChannelActivateView.as_view(), name="channel_activate"),
]

from django.urls import path

from xiaoan.core.workflow_pages import action_urls
from xiaoan.hotwork import views

app_name = "hotwork"
urlpatterns = [
    path("", views.PermitListView.as_view(), name="hotworkpermit_list"),
    path("new/", views.PermitCreateView.as_view(), name="hotworkpermit_add"),
    path("mine/", views.MyPermitsView.as_view(), name="hotworkpermit_mine"),
    path("<int:pk>/", views.PermitDetailView.as_view(), name="hotworkpermit_detail"),
    path(
        "<int:pk>/photos/<int:photo_pk>/",
        views.PermitPhotoView.as_view(),
        name="hotworkpermit_photo",
    ),
    *action_urls(views.PermitActionView),
]

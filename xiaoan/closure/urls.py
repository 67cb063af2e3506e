from django.urls import path

from xiaoan.closure import views

app_name = "closure"
urlpatterns = [
    path("", views.SampleListView.as_view(), name="sample_list"),
    path("new/", views.SampleCreateView.as_view(), name="sample_add"),
    path("<int:pk>/", views.SampleDetailView.as_view(), name="sample_detail"),
    path("reviews/<int:pk>/", views.ReviewView.as_view(), name="review"),
    path("photos/<int:pk>/", views.ReviewPhotoView.as_view(), name="review_photo"),
]

from django.urls import path
from django.views.generic import RedirectView

app_name = "plans"
# The pages come next; the names are used by notifications already.
urlpatterns = [
    path("my/", RedirectView.as_view(url="/"), name="my_tasks"),
    path("tasks/<int:pk>/", RedirectView.as_view(url="/"), name="task_detail"),
]

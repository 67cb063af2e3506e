"""The three registers' pages under /lawsafety/ in one namespace: legal vice-principals at
the root (legalviceprincipal_list, …, and an activity's add/remove), police-rooms/ and
counsellors/."""

from django.urls import include, path

from xiaoan.core.register_views import register_urls
from xiaoan.lawsafety.registers import COUNSELLORS, LEGAL_VICE_PRINCIPALS, POLICE_ROOMS
from xiaoan.lawsafety.views import ActivityAddView, ActivityRemoveView

app_name = "lawsafety"


urlpatterns = [
    *register_urls(LEGAL_VICE_PRINCIPALS),
    path("<int:pk>/activities/add/", ActivityAddView.as_view(), name="legalviceprincipal_activity"),
    path(
        "<int:pk>/activities/<int:activity>/remove/",
        ActivityRemoveView.as_view(),
        name="legalactivity_remove",
    ),
    path("police-rooms/", include(register_urls(POLICE_ROOMS))),
    path("counsellors/", include(register_urls(COUNSELLORS))),
]

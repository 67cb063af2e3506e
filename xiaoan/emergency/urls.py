"""Both registers' pages under /emergency/: plans/ (namespace emergency_plans) and teams/
(emergency_teams, whose record page shows and edits the members)."""

from django.urls import include, path

from xiaoan.core.register_views import register_urls
from xiaoan.emergency.registers import PLANS, TEAMS
from xiaoan.emergency.views import MemberAddView, MemberRemoveView, TeamDetailView

detail = TEAMS.model_name + "_detail"
team_patterns = [
    path("<int:pk>/", TeamDetailView.as_view(register=TEAMS), name=detail)
    if pattern.name == detail
    else pattern
    for pattern in register_urls(TEAMS)
] + [
    path("<int:pk>/members/add/", MemberAddView.as_view(), name="member_add"),
    path(
        "<int:pk>/members/<int:member>/remove/",
        MemberRemoveView.as_view(),
        name="member_remove",
    ),
]

urlpatterns = [
    path("plans/", include((register_urls(PLANS), "emergency_plans"))),
    path("teams/", include((team_patterns, "emergency_teams"))),
]

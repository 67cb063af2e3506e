"""The team page with its members, and adding or removing one member (the rest of both
registers' pages come from xiaoan.core.register_views)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoan.core.register_views import ItemInUseMixin, RegisterDetailView
from xiaoan.core.views import ServiceActionView, ServiceFormView
from xiaoan.emergency import services
from xiaoan.emergency.forms import MemberForm
from xiaoan.emergency.models import EmergencyTeam, roster
from xiaoan.emergency.registers import TEAMS


class TeamDetailView(RegisterDetailView):
    register = TEAMS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        team = context["item"]
        context["members"] = roster(team)
        context["rule_text"] = team.rule_text
        if context["may_change"]:
            context["member_form"] = MemberForm(users=services.school_users(team))
            context["member_add_url"] = reverse("emergency_teams:member_add", args=[team.pk])
            for member in context["members"]:
                member.remove_url = reverse(
                    "emergency_teams:member_remove", args=[team.pk, member.pk]
                )
        return context


class MemberAddView(ItemInUseMixin, ServiceFormView):
    model = EmergencyTeam
    permission_action = "change"
    template_name = "emergency/member_form.html"
    success_message = _("已增加队员。")

    def get_form(self, form_class=None):
        return MemberForm(users=services.school_users(self.record), **self.get_form_kwargs())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["team"] = self.record
        context["team_url"] = self.get_success_url()
        return context

    def perform(self, form):
        return services.add_member(self.request.user, self.record.pk, form.cleaned_data)

    def get_success_url(self):
        return reverse(TEAMS.url_name("detail"), args=[self.record.pk])


class MemberRemoveView(ServiceActionView):
    model = EmergencyTeam
    permission_action = "change"
    success_message = _("已移除队员。")

    def perform(self):
        return services.remove_member(self.request.user, self.kwargs["pk"], self.kwargs["member"])

    def get_success_url(self):
        return reverse(TEAMS.url_name("detail"), args=[self.kwargs["pk"]])

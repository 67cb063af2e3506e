from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoan.core.forms import StyledFormMixin, date_input
from xiaoan.emergency.choices import MemberRole
from xiaoan.emergency.models import EmergencyPlan, EmergencyTeam

PLAN_FIELDS = [
    "unit",
    "name",
    "code",
    "kind",
    "topic",
    "version",
    "approved_by",
    "approved_on",
    "next_revision_on",
    "filed",
    "filed_on",
    "filed_with",
    "note",
]

TEAM_FIELDS = ["unit", "name", "code", "kind", "note"]


class PlanForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = EmergencyPlan
        fields = PLAN_FIELDS
        labels = {"name": _("预案名称"), "code": _("预案编号")}
        widgets = {
            "approved_on": date_input(),
            "next_revision_on": date_input(),
            "filed_on": date_input(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }


class TeamForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = EmergencyTeam
        fields = TEAM_FIELDS
        labels = {"name": _("队伍名称")}
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class MemberForm(StyledFormMixin, forms.Form):
    """One person added on the team's page: a user of the school, or a name."""

    user = forms.ModelChoiceField(
        label=_("本校用户"), queryset=None, required=False, empty_label=_("（不是平台用户）")
    )
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    post = forms.CharField(label=_("职务/岗位"), max_length=50, required=False)
    phone = forms.CharField(label=_("手机号码"), max_length=11, required=False)
    role = forms.ChoiceField(label=_("队内职务"), choices=MemberRole.choices, initial="member")

    def __init__(self, *args, users=None, **kwargs):
        from xiaoan.accounts.models import User

        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users if users is not None else User.objects.none()
        self.fields["user"].label_from_instance = lambda u: u.display_name

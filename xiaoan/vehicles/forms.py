from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoan.core.forms import StyledFormMixin, date_input
from xiaoan.vehicles.choices import ViolationKind
from xiaoan.vehicles.models import CampusVehicle

FIELDS = [
    "unit",
    "name",
    "vehicle_class",
    "owner",
    "code",
    "phone",
    "description",
    "employer",
    "allowed_gates",
    "allowed_hours",
    "valid_until",
    "status",
    "note",
]


class CampusVehicleForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = CampusVehicle
        fields = FIELDS
        widgets = {
            "valid_until": date_input(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty, a vehicle may pass (the model's default).
        self.fields["status"].required = False


class ViolationForm(StyledFormMixin, forms.Form):
    """The gate's form: the kind (one tap) and, when needed, a note."""

    kind = forms.ChoiceField(label=_("违规类型"), choices=ViolationKind.choices)
    occurred_on = forms.DateField(label=_("违规日期"), required=False, widget=date_input())
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class LiftForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("解除原因"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("如：已接受安全教育并书面承诺")}),
    )


class RuleForm(StyledFormMixin, forms.Form):
    unit = forms.ChoiceField(label=_("单位"))
    threshold = forms.IntegerField(label=_("违规次数"), min_value=1, max_value=50)
    window_days = forms.IntegerField(label=_("统计期间（天）"), min_value=1, max_value=730)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]

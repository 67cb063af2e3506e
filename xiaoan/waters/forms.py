from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoan.core.forms import StyledFormMixin, date_input
from xiaoan.waters.models import Water

FIELDS = [
    "unit",
    "name",
    "code",
    "kind",
    "location",
    "latitude",
    "longitude",
    "village",
    "contact_person",
    "contact_phone",
    "has_signs",
    "sign_count",
    "rescue_equipment",
    "schools",
    "note",
]


class WaterForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Water
        fields = FIELDS
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = self.fields["schools"].queryset.none()
        self.fields["schools"].required = False

    def scope_to(self, user, unit) -> None:
        """Schools to link: those within the chosen unit's subtree."""
        from xiaoan.waters.rules import schools_in_scope

        if unit is None:
            return
        self.fields["schools"].queryset = schools_in_scope(unit)
        self.fields["schools"].label_from_instance = lambda u: u.name


class PatrolForm(StyledFormMixin, forms.Form):
    patrolled_on = forms.DateField(label=_("巡查日期"), widget=date_input())
    patroller = forms.CharField(label=_("巡查人"), max_length=100)
    findings = forms.CharField(
        label=_("巡查情况"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    signs_ok = forms.BooleanField(label=_("警示标志完好"), required=False, initial=True)
    problem = forms.BooleanField(label=_("发现问题"), required=False)
    raise_hazard = forms.BooleanField(
        label=_("发现的问题登记为隐患"),
        required=False,
        help_text=_("勾选后在本单位隐患台账中登记一条一般隐患"),
    )

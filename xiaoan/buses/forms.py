from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoan.buses.models import Bus
from xiaoan.certificates.models import Certificate
from xiaoan.core.forms import StyledFormMixin, date_input

FIELDS = [
    "unit",
    "plate",
    "name",
    "seats",
    "operator",
    "route",
    "stops",
    "permit_number",
    "permit_valid_until",
    "has_monitoring",
    "has_face_recognition",
    "has_infrared",
    "drivers",
    "escorts",
    "note",
]


def _certificate_label(cert: Certificate) -> str:
    until = f"，有效期至 {cert.valid_until:%Y-%m-%d}" if cert.valid_until else ""
    return f"{cert.name}（{cert.code}{until}）"


class BusForm(StyledFormMixin, forms.ModelForm):
    drivers = forms.ModelMultipleChoiceField(
        label=_("驾驶人"),
        queryset=Certificate.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("本单位持证上岗台账中在用的机动车驾驶证。按住 Ctrl 多选"),
    )
    escorts = forms.ModelMultipleChoiceField(
        label=_("随车照管员"),
        queryset=Certificate.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("本单位持证上岗台账中在用的随车照管员培训合格证明。按住 Ctrl 多选"),
    )

    class Meta:
        model = Bus
        fields = FIELDS
        widgets = {
            "permit_valid_until": date_input(),
            "stops": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty, the name is the plate.
        self.fields["name"].required = False

    def scope_to(self, user, unit) -> None:
        """The chosen unit's certificates of each role (none before a unit is chosen)."""
        from xiaoan.buses.crew import DRIVERS, ESCORTS, candidates

        for role in (DRIVERS, ESCORTS):
            field = self.fields[role.field]
            field.queryset = candidates(unit, role)
            field.label_from_instance = _certificate_label

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoan.certificates.models import Certificate
from xiaoan.core.forms import StyledFormMixin, date_input
from xiaoan.equipment.models import Equipment

FIELDS = [
    "unit",
    "name",
    "kind",
    "code",
    "device_code",
    "place",
    "model_spec",
    "manufacturer",
    "maintainer",
    "maintainer_contact",
    "last_inspected_on",
    "conclusion",
    "next_inspection_on",
    "operators",
    "note",
]


class EquipmentForm(StyledFormMixin, forms.ModelForm):
    operators = forms.ModelMultipleChoiceField(
        label=_("作业人员"),
        queryset=Certificate.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("本单位在用的特种设备作业人员证书；锅炉须选锅炉作业证书。按住 Ctrl 多选"),
    )

    class Meta:
        model = Equipment
        fields = FIELDS
        widgets = {
            "last_inspected_on": date_input(),
            "next_inspection_on": date_input(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def scope_to(self, user, unit) -> None:
        """The chosen unit's operator certificates (called by the register layer once it
        knows the unit; none before one is chosen). Kind fit is the service's check."""
        from xiaoan.equipment.operators import candidates

        field = self.fields["operators"]
        field.queryset = candidates(unit)
        field.label_from_instance = lambda c: (
            f"{c.name}（{c.code}，{c.get_kind_display()}"
            + (f"，有效期至 {c.valid_until:%Y-%m-%d}" if c.valid_until else "")
            + "）"
        )

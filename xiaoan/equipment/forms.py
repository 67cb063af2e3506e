from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoan.core.forms import StyledFormMixin, date_input
from xiaoan.equipment.models import Equipment, operators_text, parse_operators

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


class OperatorsField(forms.CharField):
    """Operators written one per line as "姓名 证书编号" (kept as a list on the item)."""

    widget = forms.Textarea(attrs={"rows": 3, "placeholder": _("张三 T2024001\n李四 T2024002")})

    def prepare_value(self, value):
        return operators_text(value) if isinstance(value, list) else value

    def to_python(self, value):
        try:
            return parse_operators(super().to_python(value))
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class EquipmentForm(StyledFormMixin, forms.ModelForm):
    operators = OperatorsField(
        label=_("作业人员及证书编号"), required=False, help_text=_("每行一位：姓名 证书编号")
    )

    class Meta:
        model = Equipment
        fields = FIELDS
        widgets = {
            "last_inspected_on": date_input(),
            "next_inspection_on": date_input(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

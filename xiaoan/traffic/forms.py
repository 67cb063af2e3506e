from django import forms

from xiaoan.core.forms import StyledFormMixin, date_input
from xiaoan.traffic.models import TrafficAgreement

FIELDS = ["unit", "semester", "grade", "name", "pupils", "returned", "returned_by", "note"]


class TrafficAgreementForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = TrafficAgreement
        fields = FIELDS
        widgets = {
            "returned_by": date_input(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

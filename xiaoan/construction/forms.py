from django import forms

from xiaoan.construction.models import ConstructionProject
from xiaoan.core.forms import StyledFormMixin, date_input

FIELDS = [
    "unit",
    "name",
    "code",
    "place",
    "location",
    "contractor",
    "qualification",
    "qualification_number",
    "qualification_valid_until",
    "agreement_signed",
    "agreement_signed_on",
    "site_manager",
    "site_manager_phone",
    "starts_on",
    "ends_on",
    "segregated",
    "note",
]


class ConstructionProjectForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ConstructionProject
        fields = FIELDS
        widgets = {
            "qualification_valid_until": date_input(),
            "agreement_signed_on": date_input(),
            "starts_on": date_input(),
            "ends_on": date_input(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

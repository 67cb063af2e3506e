from django import forms

from xiaoan.buildings.models import BuildingFile
from xiaoan.core.forms import StyledFormMixin, date_input

FIELDS = [
    "unit",
    "name",
    "code",
    "place",
    "use",
    "floors_above",
    "floors_below",
    "height",
    "floor_area",
    "year_built",
    "structure",
    "appraisal_grade",
    "appraised_on",
    "next_appraisal_on",
    "fire_alarm",
    "sprinklers",
    "hydrants",
    "smoke_exhaust",
    "fire_acceptance",
    "fire_accepted_on",
    "exits",
    "evacuation_routes",
    "note",
]


class BuildingForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = BuildingFile
        fields = FIELDS
        widgets = {
            "appraised_on": date_input(),
            "next_appraisal_on": date_input(),
            "fire_accepted_on": date_input(),
            "evacuation_routes": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["floors_below"].required = False

    def clean_floors_below(self):
        return self.cleaned_data.get("floors_below") or 0

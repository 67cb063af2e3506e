from django import forms

from xiaoan.core.forms import StyledFormMixin, date_input
from xiaoan.fireassets.models import FireAsset

FIELDS = [
    "unit",
    "kind",
    "code",
    "name",
    "asset_type",
    "capacity",
    "place",
    "position",
    "produced_on",
    "expires_on",
    "last_serviced_on",
    "next_service_on",
    "note",
]


class FireAssetForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = FireAsset
        fields = FIELDS
        widgets = {
            "produced_on": date_input(),
            "expires_on": date_input(),
            "last_serviced_on": date_input(),
            "next_service_on": date_input(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty, the name is the kind and the code ("灭火器 MHQ-01").
        self.fields["name"].required = False

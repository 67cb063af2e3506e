from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoan.core.forms import StyledFormMixin, date_input
from xiaoan.events.models import Event

FIELDS = [
    "unit",
    "kind",
    "name",
    "code",
    "starts_on",
    "ends_on",
    "place",
    "destination",
    "participants",
    "organiser",
    "organiser_phone",
    "safety_plan",
    "note",
]


class EventForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Event
        fields = FIELDS
        widgets = {
            "starts_on": date_input(),
            "ends_on": date_input(),
            "safety_plan": forms.Textarea(attrs={"rows": 4}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }


class SignOffForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label=_("签批意见"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("如：同意按方案举办")}),
    )

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoan.core.fields import mask, unmask
from xiaoan.core.forms import StyledFormMixin, date_input
from xiaoan.lawsafety.choices import ActivityKind
from xiaoan.lawsafety.models import Counsellor, LegalVicePrincipal, PoliceRoom

LVP_FIELDS = [
    "unit",
    "name",
    "code",
    "employer_kind",
    "employer",
    "post",
    "phone",
    "appointed_on",
    "term_until",
    "note",
]
ROOM_FIELDS = [
    "unit",
    "name",
    "code",
    "place",
    "location",
    "police_station",
    "officers",
    "duty_hours",
    "phone",
    "set_up_on",
    "staffed_arrival",
    "staffed_dismissal",
    "note",
]
COUNSELLOR_FIELDS = [
    "unit",
    "name",
    "employment",
    "qualification",
    "code",
    "valid_until",
    "hours_per_week",
    "note",
]


class LegalVicePrincipalForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = LegalVicePrincipal
        fields = LVP_FIELDS
        labels = {"name": _("姓名"), "code": _("聘书编号")}
        widgets = {
            "appointed_on": date_input(),
            "term_until": date_input(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The stored phone is shown masked in the form too; the mask posted back keeps it.
        self.current_phone = self.instance.phone if self.instance.pk else None
        if self.current_phone and not self.is_bound:
            self.initial["phone"] = mask(self.current_phone)

    def clean_phone(self):
        return unmask(self.cleaned_data.get("phone") or "", self.current_phone) or None


class PoliceRoomForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = PoliceRoom
        fields = ROOM_FIELDS
        widgets = {"set_up_on": date_input(), "note": forms.Textarea(attrs={"rows": 2})}


class CounsellorForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Counsellor
        fields = COUNSELLOR_FIELDS
        labels = {"name": _("姓名"), "code": _("证书编号")}
        widgets = {"valid_until": date_input(), "note": forms.Textarea(attrs={"rows": 2})}


class ActivityForm(StyledFormMixin, forms.Form):
    held_on = forms.DateField(label=_("活动日期"), widget=date_input())
    kind = forms.ChoiceField(label=_("活动类型"), choices=ActivityKind.choices)
    topic = forms.CharField(label=_("主题"), max_length=100)
    audience = forms.IntegerField(label=_("参加人数"), required=False, min_value=0)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

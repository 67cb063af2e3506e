from django import forms

from xiaoan.cameras.models import AlarmPoint, Camera
from xiaoan.core.forms import StyledFormMixin, date_input

CAMERA_FIELDS = [
    "unit",
    "location",
    "direction",
    "name",
    "code",
    "key_area",
    "place",
    "platform_connected",
    "police_connected",
    "status",
    "last_checked_on",
    "last_check_result",
    "note",
]
ALARM_FIELDS = [
    "unit",
    "location",
    "name",
    "code",
    "place",
    "police_linked",
    "last_tested_on",
    "note",
]


class CameraForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Camera
        fields = CAMERA_FIELDS
        widgets = {"last_checked_on": date_input(), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False  # 学校名称-安装位置-朝向 when left empty


class AlarmPointForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = AlarmPoint
        fields = ALARM_FIELDS
        widgets = {"last_tested_on": date_input(), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False  # the location when left empty

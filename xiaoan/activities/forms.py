from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoan.activities import calendar
from xiaoan.activities.choices import ActivityKind
from xiaoan.activities.models import MAX_PARTICIPANTS
from xiaoan.core.forms import StyledFormMixin, date_input
from xiaoan.hazards.forms import PhotosField


def event_choices() -> list[tuple[str, object]]:
    return [("", _("学校自主活动（不属于教育日历）")), *calendar.choices()]


class ActivityForm(StyledFormMixin, forms.Form):
    """The phone record page and the edit page (without the unit and the key)."""

    unit = forms.ModelChoiceField(label=_("学校"), queryset=None, empty_label=None)
    event = forms.ChoiceField(label=_("教育日（月）"), choices=event_choices, required=False)
    kind = forms.ChoiceField(label=_("活动形式"), choices=ActivityKind.choices)
    title = forms.CharField(
        label=_("活动主题"),
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("如：119消防安全主题班会")}),
    )
    held_on = forms.DateField(label=_("活动日期"), widget=date_input())
    classes = forms.CharField(
        label=_("参加年级（班级）"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("如：全校、七年级、高一(1)班")}),
    )
    participants = forms.IntegerField(
        label=_("参加人数"),
        min_value=1,
        max_value=MAX_PARTICIPANTS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    summary = forms.CharField(
        label=_("活动简述"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("时间、地点、主要内容和效果")}),
    )
    photos = PhotosField(label=_("活动照片"), required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, units=None, editing: bool = False, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["unit"]
            del self.fields["idempotency_key"]
            self.fields["photos"].label = _("补充照片")
        else:
            del self.fields["version"]
            self.fields["unit"].queryset = units
            self.fields["unit"].label_from_instance = lambda u: u.name

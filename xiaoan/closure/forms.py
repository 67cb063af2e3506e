from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.core.forms import StyledFormMixin, date_input
from xiaoan.hazards.forms import PhotosField


class SampleForm(StyledFormMixin, forms.Form):
    organiser = forms.TypedChoiceField(label=_("组织单位"), coerce=int)
    month = forms.CharField(
        label=_("销号月份"), max_length=7, help_text=_("抽取该月销号的下级单位隐患，格式 YYYY-MM")
    )
    size = forms.IntegerField(label=_("抽取数量"), min_value=1, max_value=200, initial=5)
    reviewer = forms.TypedChoiceField(label=_("复核人"), coerce=int)
    due_on = forms.DateField(label=_("复核期限"), widget=date_input())
    seed = forms.IntegerField(
        label=_("随机种子"),
        required=False,
        min_value=0,
        max_value=2**63 - 1,
        help_text=_("不填则随机生成；记录在案，任何人可复现抽取结果"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from xiaoan.closure import services

        units = list(services.organiser_units(user).order_by("path")[:200])
        self.fields["organiser"].choices = [(u.pk, u.name) for u in units]
        people = {}
        for unit in units[:20]:
            for person in services.reviewers(unit):
                people[person.pk] = f"{person.display_name}（{person.unit.name}）"
        self.fields["reviewer"].choices = list(people.items())
        last = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
        self.fields["month"].initial = f"{last:%Y-%m}"


class ReviewForm(StyledFormMixin, forms.Form):
    passed = forms.TypedChoiceField(
        label=_("复核结果"),
        choices=[("1", _("整改属实，复核合格")), ("0", _("整改不实，复核不合格"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("复核意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    photos = PhotosField(label=_("现场照片"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoan.core.forms import StyledFormMixin
from xiaoan.core.workflow_pages import WorkflowForm
from xiaoan.indicators.choices import Direction, Rollup

EVIDENCE_HELP = _("可选：PDF、Word、Excel、图片或压缩包，不超过 20 MB")


class ReportForm(StyledFormMixin, forms.Form):
    unit = forms.TypedChoiceField(label=_("填报单位"), coerce=int)
    year = forms.IntegerField(label=_("年度"))
    value = forms.DecimalField(label=_("填报值"), max_digits=12, decimal_places=2, min_value=0)
    note = forms.CharField(label=_("佐证说明"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("佐证材料"), required=False, help_text=EVIDENCE_HELP)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]


class ResubmitForm(WorkflowForm):
    intro = _("修改后重新填报，等待上级单位审核。")
    value = forms.DecimalField(label=_("填报值"), max_digits=12, decimal_places=2, min_value=0)
    note = forms.CharField(label=_("佐证说明"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("佐证材料"), required=False, help_text=EVIDENCE_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None and not self.is_bound:
            self.initial.setdefault("value", self.obj.value)
            self.initial.setdefault("note", self.obj.note)


class AcceptForm(WorkflowForm):
    intro = _("审核通过后，该值计入指标完成情况。")
    note = forms.CharField(
        label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ReturnForm(WorkflowForm):
    intro = _("退回后学校须修改并重新填报。")
    note = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 2}))


class IndicatorForm(StyledFormMixin, forms.Form):
    owner = forms.TypedChoiceField(label=_("设立单位"), coerce=int)
    code = forms.SlugField(label=_("编码"), max_length=40, help_text=_("字母、数字、-、_"))
    name = forms.CharField(label=_("名称"), max_length=100)
    measure = forms.CharField(label=_("计量单位"), max_length=20, help_text=_("例如 %、元/生、人"))
    direction = forms.ChoiceField(label=_("方向"), choices=Direction.choices)
    rollup = forms.ChoiceField(label=_("汇总方式"), choices=Rollup.choices)
    description = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [(u.pk, u.name) for u in units]


class TargetForm(StyledFormMixin, forms.Form):
    owner = forms.TypedChoiceField(label=_("设定单位"), coerce=int)
    year = forms.IntegerField(label=_("年度"))
    value = forms.DecimalField(label=_("目标值"), max_digits=12, decimal_places=2, min_value=0)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [(u.pk, u.name) for u in units]

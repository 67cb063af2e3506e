from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoan.alerts.choices import Disposition, Severity, WarningKind
from xiaoan.core.forms import StyledFormMixin
from xiaoan.core.workflow_pages import WorkflowForm
from xiaoan.hazards.forms import PhotosField
from xiaoan.orgs.models import Unit


def _text(rows: int = 2) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class AcknowledgeForm(WorkflowForm):
    note = forms.CharField(label=_("说明"), required=False, max_length=2000, widget=_text())


class CloseForm(AcknowledgeForm):
    pass


class HandleForm(WorkflowForm):
    disposition = forms.ChoiceField(label=_("处置方式"), choices=Disposition.choices)
    note = forms.CharField(label=_("处置情况/措施"), max_length=5000, widget=_text(3))
    hazard_description = forms.CharField(
        label=_("隐患描述（转为隐患时）"), required=False, max_length=2000, widget=_text()
    )
    unit = forms.ModelChoiceField(
        label=_("转交单位（转交时）"), queryset=Unit.objects.none(), required=False
    )
    photos = PhotosField(label=_("现场照片"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.actor is not None:
            from xiaoan.alerts.services import transfer_units

            self.fields["unit"].queryset = transfer_units(self.actor, self.obj)


class _Local(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        return value.strftime("%Y-%m-%dT%H:%M") if hasattr(value, "strftime") else value


def _when(label, required=True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=_Local(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


class SilenceForm(StyledFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none())
    include_subtree = forms.BooleanField(label=_("含下级单位"), required=False, initial=True)
    place = forms.CharField(label=_("地点（包含此文字）"), required=False, max_length=200)
    kind = forms.CharField(label=_("预警类型"), required=False, max_length=40)
    matchers = forms.CharField(
        label=_("标签匹配"),
        required=False,
        max_length=2000,
        widget=_text(),
        help_text=_("每行一条“名称=值”，全部相符才静默"),
    )
    starts_at = _when(_("开始时间"), required=False)
    ends_at = _when(_("结束时间"))
    reason = forms.CharField(label=_("原因"), max_length=200)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from xiaoan.alerts.silences import silence_units

        self.fields["unit"].queryset = silence_units(user).order_by("path")

    def clean_matchers(self):
        out = {}
        for line in self.cleaned_data.get("matchers", "").splitlines():
            if not line.strip():
                continue
            name, sep, value = line.partition("=")
            if not sep or not name.strip():
                raise forms.ValidationError(_("每行须为“名称=值”。"))
            out[name.strip()] = value.strip()
        return out


class RuleForm(StyledFormMixin, forms.Form):
    owner = forms.ModelChoiceField(label=_("制定单位"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("规则名称"), max_length=100)
    condition = forms.ChoiceField(label=_("条件"))
    thresholds = forms.CharField(
        label=_("阈值"),
        required=False,
        max_length=1000,
        widget=_text(),
        help_text=_("每行一条“名称=整数”；不填用条件的默认值"),
    )
    severity = forms.ChoiceField(label=_("级别"), choices=Severity.choices, initial="warning")
    roles = forms.MultipleChoiceField(
        label=_("通知角色"), required=False, widget=forms.CheckboxSelectMultiple
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from xiaoan.alerts.conditions import conditions
        from xiaoan.alerts.rules import role_choices, rule_units

        self.fields["owner"].queryset = rule_units(user).order_by("path")
        self.fields["condition"].choices = [
            (c.code, c.label) for c in sorted(conditions().values(), key=lambda c: c.code)
        ]
        self.fields["roles"].choices = role_choices()

    def clean_thresholds(self):
        out = {}
        for line in self.cleaned_data.get("thresholds", "").splitlines():
            if not line.strip():
                continue
            name, sep, value = line.partition("=")
            if not sep or not name.strip():
                raise forms.ValidationError(_("每行须为“名称=整数”。"))
            out[name.strip()] = value.strip()
        return out


class WarningForm(StyledFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("发布单位"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("预警类型"), choices=WarningKind.choices)
    severity = forms.ChoiceField(label=_("级别"), choices=Severity.choices, initial="warning")
    title = forms.CharField(label=_("标题"), max_length=200)
    detail = forms.CharField(label=_("内容与要求"), required=False, widget=_text(4))
    valid_until = _when(_("有效期至"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from xiaoan.alerts.bulletins import posting_units

        self.fields["unit"].queryset = posting_units(user).order_by("path")


class SourceForm(StyledFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("所属单位"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("名称"), max_length=100, help_text=_("如：消防物联网平台"))
    default_kind = forms.CharField(
        label=_("默认预警类型"),
        required=False,
        max_length=40,
        help_text=_("上报内容未写 kind 时使用，如 smoke、electric、video、kitchen"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from xiaoan.alerts.intake import source_units

        self.fields["unit"].queryset = source_units(user).order_by("path")

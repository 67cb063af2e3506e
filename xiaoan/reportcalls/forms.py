from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoan.core.forms import StyledFormMixin
from xiaoan.core.workflow_pages import WorkflowForm
from xiaoan.reportcalls.choices import SECTIONS, CallTargets, ReportKind


class CallForm(StyledFormMixin, forms.Form):
    unit = forms.ModelChoiceField(queryset=None, label=_("发文单位"))
    kind = forms.ChoiceField(label=_("报告类型"), choices=ReportKind.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    topic = forms.CharField(
        label=_("专报主题"), max_length=100, required=False, help_text=_("安全专报须填写")
    )
    period_start = forms.DateField(
        label=_("报告期起"), widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("报告期止"), widget=forms.DateInput(attrs={"type": "date"})
    )
    due_on = forms.DateField(
        label=_("报送截止日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    targets = forms.ChoiceField(label=_("报送范围"), choices=CallTargets.choices)
    instructions = forms.CharField(
        label=_("报送要求"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ReportEditForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    number = forms.CharField(label=_("文号"), max_length=60, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, title in SECTIONS:
            self.fields[key] = forms.CharField(
                label=title, required=False, widget=forms.Textarea(attrs={"rows": 6})
            )


class NoteForm(WorkflowForm):
    note = forms.CharField(
        label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(WorkflowForm):
    note = forms.CharField(label=_("退回原因"), widget=forms.Textarea(attrs={"rows": 3}))

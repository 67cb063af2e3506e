from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoan.core.forms import StyledFormMixin
from xiaoan.core.workflow_pages import WorkflowForm
from xiaoan.security.choices import Measure
from xiaoan.security.models import SecurityPosture

FIELDS = [
    "unit",
    "year",
    "closed_management",
    "guards",
    "alarm_networked",
    "video_networked",
    "escort_morning",
    "escort_noon",
    "escort_afternoon",
    "measures",
    "note",
]


class SecurityPostureForm(StyledFormMixin, forms.ModelForm):
    measures = forms.MultipleChoiceField(
        label=_("七防措施"),
        choices=Measure.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("勾选已落实的措施"),
    )

    class Meta:
        model = SecurityPosture
        fields = FIELDS
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"guards": _("应配人数按学生数和是否寄宿计算，见申报页")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and not self.is_bound:
            from django.utils import timezone

            self.initial.setdefault("year", timezone.localdate().year)


class SubmitForm(WorkflowForm):
    intro = _("提交后由上级教育局核验；提交前请上传佐证材料。")
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class VerifyForm(WorkflowForm):
    note = forms.CharField(
        label=_("核验意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(WorkflowForm):
    note = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 2}))

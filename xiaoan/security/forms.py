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


class CheckboxList(forms.CheckboxSelectMultiple):
    """Bootstrap's inline checkboxes: the class on each box, none on the group (Django puts
    the widget's class on both)."""

    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        option["attrs"]["class"] = "form-check-input me-1"
        return option

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("class", None)
        return context


class SecurityPostureForm(StyledFormMixin, forms.ModelForm):
    measures = forms.MultipleChoiceField(
        label=_("七防措施"),
        choices=Measure.choices,
        required=False,
        widget=CheckboxList,
        help_text=_("勾选已落实的措施"),
    )

    class Meta:
        model = SecurityPosture
        fields = FIELDS
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "guards": _("应配人数按在校学生数和是否寄宿计算，保存后显示“应配 n 人 / 现有 m 人”")
        }

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

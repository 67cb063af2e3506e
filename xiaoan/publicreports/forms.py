from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoan.core.workflow_pages import WorkflowForm
from xiaoan.publicreports.choices import ReportCategory


def _text(rows: int = 3):
    return forms.Textarea(attrs={"rows": rows})


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Up to three photos; each is checked by the service (clean_photo)."""

    widget = MultiplePhotoInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [f for f in data if f]
        return [data] if data else []


class PublicReportForm(forms.Form):
    """The public page's form: plain HTML, no JavaScript needed. The service checks
    everything again (the JSON endpoint has the same rules)."""

    category = forms.ChoiceField(
        label=_("问题类别"), choices=[("", _("请选择")), *ReportCategory.choices]
    )
    description = forms.CharField(
        label=_("问题描述"),
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 1000}),
        help_text=_("请说明看到了什么安全问题。请不要填写他人的姓名、身份证号、电话等个人信息。"),
    )
    place = forms.CharField(
        label=_("地点"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 100, "placeholder": _("如：校门口东侧")}),
    )
    photos = MultiplePhotoField(
        label=_("照片（最多 3 张，可不传）"),
        required=False,
        widget=MultiplePhotoInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    phone = forms.CharField(
        label=_("您的联系电话（可不填）"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "maxlength": 20}),
        help_text=_(
            "只用于学校向您核实情况，加密保存，只有学校安全负责人能看到完整号码，不会公开。"
        ),
    )
    # A field people never see (hidden by CSS); bots fill in every field.
    website = forms.CharField(label=_("请勿填写"), required=False)
    form_token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = "form-select" if name == "category" else "form-control"
            field.widget.attrs.setdefault("class", css)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=_("回执码"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"class": "form-control", "autocomplete": "off", "autocapitalize": "characters"}
        ),
    )


class AcceptForm(WorkflowForm):
    intro = _("受理后登记为本校隐患台账中的“待确认”隐患（来源：群众举报），照片一并带入。")
    note = forms.CharField(label=_("受理意见（举报人可见，可不填）"), required=False,
                           widget=_text(2), max_length=500)  # fmt: skip


class RejectForm(WorkflowForm):
    reason = forms.CharField(label=_("不予受理的理由（举报人可见）"), widget=_text(2),
                             max_length=500)  # fmt: skip


class DuplicateForm(WorkflowForm):
    duplicate_of = forms.CharField(label=_("重复的举报编号"), required=False, max_length=40)
    hazard = forms.CharField(label=_("或重复的隐患编号"), required=False, max_length=40)
    note = forms.CharField(label=_("说明（举报人可见，可不填）"), required=False,
                           widget=_text(2), max_length=500)  # fmt: skip

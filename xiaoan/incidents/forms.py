from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoan.core.forms import StyledFormMixin, date_input
from xiaoan.core.workflow_pages import WorkflowForm
from xiaoan.incidents.choices import Classification, IncidentKind, Severity
from xiaoan.incidents.models import DutyShift

SHIFT_FIELDS = [
    "unit",
    "period",
    "duty_date",
    "starts_at",
    "ends_at",
    "name",
    "phone",
    "user",
    "leader",
    "leader_phone",
    "code",
    "note",
]


def _text(rows: int = 3):
    return forms.Textarea(attrs={"rows": rows})


def _moment():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class DutyShiftForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = DutyShift
        fields = [f for f in SHIFT_FIELDS if f != "user"]
        widgets = {
            "duty_date": date_input(),
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "note": _text(2),
        }


class ReportForm(StyledFormMixin, forms.Form):
    unit = forms.TypedChoiceField(label=_("单位"), coerce=int)
    kind = forms.ChoiceField(label=_("事件类型"), choices=IncidentKind.choices)
    severity = forms.ChoiceField(label=_("事件等级"), choices=Severity.choices)
    occurred_at = forms.DateTimeField(label=_("发生时间"), widget=_moment())
    first_reported_at = forms.DateTimeField(
        label=_("首报时间"),
        required=False,
        widget=_moment(),
        help_text=_("已先行电话报告的，填写当时的时间；不填为现在"),
    )
    place = forms.CharField(label=_("发生地点"), max_length=200)
    injured = forms.IntegerField(label=_("受伤人数"), min_value=0, max_value=100_000, initial=0)
    dead = forms.IntegerField(label=_("死亡人数"), min_value=0, max_value=100_000, initial=0)
    summary = forms.CharField(label=_("事件经过"), widget=_text(4))
    measures = forms.CharField(label=_("已采取的初步措施"), widget=_text(), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from xiaoan.incidents import services

        self.fields["unit"].choices = [
            (u.pk, u.name) for u in services.reporting_units(user).order_by("path")[:500]
        ]


class FollowUpForm(WorkflowForm):
    text = forms.CharField(label=_("续报内容"), widget=_text())
    at = forms.DateTimeField(label=_("续报时间"), required=False, widget=_moment())


class ClassifyForm(WorkflowForm):
    intro = _("上级单位对事件定性；可调整事件等级。")
    classification = forms.ChoiceField(label=_("事件定性"), choices=Classification.choices)
    severity = forms.ChoiceField(label=_("事件等级"), choices=Severity.choices)
    note = forms.CharField(label=_("定性意见"), widget=_text(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None and not self.is_bound:
            self.initial.setdefault("severity", self.obj.severity)


class ReviewForm(WorkflowForm):
    intro = _("每行一个存在的问题；勾选后这些问题登记到本单位隐患台账。")
    summary = forms.CharField(label=_("复盘结论"), widget=_text())
    findings = forms.CharField(
        label=_("存在的问题"), widget=_text(4), required=False, help_text=_("每行一个问题")
    )
    all_hazards = forms.BooleanField(label=_("问题登记为隐患"), required=False, initial=True)

    def clean_findings(self):
        lines = [line.strip() for line in (self.cleaned_data.get("findings") or "").splitlines()]
        return [{"text": t} for t in lines if t]


class ToHazardForm(WorkflowForm):
    finding = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class EditForm(WorkflowForm):
    intro = _("定性前可更正首报内容；首报时间不能更改，每次更正都留有记录。")
    kind = forms.ChoiceField(label=_("事件类型"), choices=IncidentKind.choices)
    severity = forms.ChoiceField(label=_("事件等级"), choices=Severity.choices)
    occurred_at = forms.DateTimeField(label=_("发生时间"), widget=_moment())
    place = forms.CharField(label=_("发生地点"), max_length=200)
    injured = forms.IntegerField(label=_("受伤人数"), min_value=0, max_value=100_000)
    dead = forms.IntegerField(label=_("死亡人数"), min_value=0, max_value=100_000)
    summary = forms.CharField(label=_("事件经过"), widget=_text(4))
    measures = forms.CharField(label=_("已采取的初步措施"), widget=_text(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None and not self.is_bound:
            for name in self.fields:
                if name != "version":
                    value = getattr(self.obj, name)
                    if name == "occurred_at":
                        from django.utils import timezone

                        value = timezone.localtime(value)
                    self.initial.setdefault(name, value)


class AssignFindingForm(WorkflowForm):
    intro = _("未登记为隐患的问题，交给本单位人员限期落实整改措施。")
    finding = forms.TypedChoiceField(label=_("问题"), coerce=int)
    owner = forms.TypedChoiceField(label=_("整改责任人"), coerce=int)
    due = forms.DateField(label=_("整改期限"), widget=date_input())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from xiaoan.incidents import services

        if self.obj is not None:
            self.fields["finding"].choices = [
                (f.pk, f"{f.seq}. {f.text[:60]}")
                for f in self.obj.findings.filter(hazard__isnull=True, done_at__isnull=True)
            ]
            self.fields["owner"].choices = [
                (p.pk, p.display_name) for p in services.task_owners(self.obj)[:500]
            ]


class FinishFindingForm(WorkflowForm):
    finding = forms.TypedChoiceField(label=_("问题"), coerce=int)
    note = forms.CharField(label=_("落实情况"), widget=_text(2))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None and self.actor is not None:
            from xiaoan.incidents import services

            rows = self.obj.findings.filter(owner__isnull=False, done_at__isnull=True)
            if not services.may_review(self.actor, self.obj):
                rows = rows.filter(owner=self.actor)
            self.fields["finding"].choices = [(f.pk, f"{f.seq}. {f.text[:60]}") for f in rows]


class CloseForm(WorkflowForm):
    note = forms.CharField(label=_("结案意见"), widget=_text(2), required=False)

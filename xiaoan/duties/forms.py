"""Forms of the duty pages. They only shape input; the rules are in `services`."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from xiaoan.core.forms import StyledFormMixin
from xiaoan.core.workflow_pages import WorkflowForm
from xiaoan.duties import proofs as proof_sources
from xiaoan.duties.choices import (
    DueRule,
    DutyRecurrence,
    DutyTarget,
    ObligationStatus,
    ProofKind,
    RecordKind,
)
from xiaoan.inspections.choices import InspectionKind
from xiaoan.orgs.choices import UnitKind

BLANK = [("", "---------")]


def _units(units) -> list[tuple[int | str, str]]:
    return BLANK + [(u.pk, getattr(u, "indent_label", u.name)) for u in units]


class DateInput(forms.DateInput):
    input_type = "date"


class DutyForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    description = forms.CharField(
        label=_("要求"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    issuer = forms.TypedChoiceField(label=_("发布单位"), coerce=int)
    target = forms.ChoiceField(label=_("适用单位"), choices=DutyTarget.choices)
    target_kind = forms.ChoiceField(
        label=_("单位类型"), choices=BLANK + list(UnitKind.choices), required=False,
        help_text=_("适用单位为“某一类型的全部单位”时选择"),
    )  # fmt: skip
    recurrence = forms.ChoiceField(label=_("周期"), choices=DutyRecurrence.choices)
    required_count = forms.IntegerField(
        label=_("每周期次数"), min_value=1, max_value=100, initial=1
    )
    due_rule = forms.ChoiceField(label=_("完成时限"), choices=DueRule.choices)
    due_days = forms.IntegerField(
        label=_("天数"), min_value=0, max_value=366, initial=0, required=False
    )
    due_dates = forms.CharField(
        label=_("固定日期"),
        max_length=100,
        required=False,
        help_text=_("月-日，逗号分隔，如 06-30,12-31"),
    )
    proof = forms.ChoiceField(label=_("完成依据"), choices=ProofKind.choices)
    inspection_kind = forms.ChoiceField(
        label=_("检查类型"), choices=BLANK + list(InspectionKind.choices), required=False
    )
    record_kind = forms.ChoiceField(
        label=_("记录类型"), choices=BLANK + list(RecordKind.choices), required=False
    )
    proof_code = forms.ChoiceField(
        label=_("要求的类型"), required=False,
        help_text=_("完成依据为演练或教育活动时选择；不选则任意一种均可"),
    )  # fmt: skip
    source_ref = forms.CharField(
        label=_("来源（方案、文号或任务）"), max_length=200, required=False
    )
    task = forms.TypedChoiceField(
        label=_("来源任务（方案中的任务）"), required=False, coerce=int, empty_value=None
    )
    starts_on = forms.DateField(label=_("起始日期"), required=False, widget=DateInput)
    ends_on = forms.DateField(
        label=_("截止日期"), required=False, widget=DateInput, help_text=_("一次性任务必填")
    )
    is_active = forms.BooleanField(
        label=_("发布后即启用"), required=False, initial=True,
        help_text=_("不勾选则发布为“已停用”，之后可在任务页恢复启用"),
    )  # fmt: skip
    requires_review = forms.TypedChoiceField(
        label=_("报送记录审核"),
        choices=[
            ("", _("按默认：发给下级单位的“上传记录”类任务须审核")),
            ("1", _("须经发布单位审核通过才算完成")),
            ("0", _("不需审核，报送即计入")),
        ],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, units=(), tasks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].choices = _units(units)
        self.fields["proof_code"].choices = BLANK + [
            (str(ProofKind(kind).label), [(code, label) for code, label in source.codes()])
            for kind, source in proof_sources.SOURCES.items()
        ]
        if "task" in self.fields:
            self.fields["task"].choices = BLANK + [
                (t.pk, f"{t.plan.title[:24]} · {t.seq}. {t.title[:30]}") for t in tasks
            ]


class BuiltinForm(StyledFormMixin, forms.Form):
    issuer = forms.TypedChoiceField(label=_("发布单位"), coerce=int)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].choices = _units(units)


class StopForm(WorkflowForm):
    """The stop action's form (xiaoan.duties.workflow)."""

    intro = _("停用后不再生成新的应办事项，已生成的保留。")
    note = forms.CharField(label=_("停用理由"), widget=forms.Textarea(attrs={"rows": 2}))


class ResumeForm(WorkflowForm):
    """The resume action's form (xiaoan.duties.workflow)."""

    intro = _("恢复后，下次日常处理起生成当期应办事项。")
    note = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class AcceptForm(WorkflowForm):
    """The accept action's form (xiaoan.duties.workflow)."""

    intro = _("审核通过后，记录计入完成。")
    note = forms.CharField(
        label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ReturnForm(WorkflowForm):
    """The return action's form (xiaoan.duties.workflow)."""

    intro = _("退回后记录保留，责任单位须重新报送。")
    note = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 2}))


class RecordForm(WorkflowForm):
    """The record action's form (xiaoan.duties.workflow)."""

    # The page always sends it; a post without one is taken as of now (as before).
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    kind = forms.ChoiceField(label=_("记录类型"), choices=RecordKind.choices)
    note = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    evidence = forms.FileField(
        label=_("佐证材料"), help_text=_("PDF、Word、Excel、图片或压缩包，不超过 20 MB")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None and not self.is_bound:
            self.initial.setdefault("kind", self.obj.duty.record_kind)


class PeriodField(forms.CharField):
    """A period key such as 2026, 2026-Q1, 2026-03 or 2026-spring (checked as the API does)."""

    def validate(self, value):
        from xiaoan.duties.overview import period_problem

        super().validate(value)
        problem = period_problem(value) if value else ""
        if problem:
            raise ValidationError(problem)


class ObligationFilterForm(StyledFormMixin, forms.Form):
    period = PeriodField(
        label=_("周期"), required=False, max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "2026 / 2026-Q1 / 2026-03"}),
    )  # fmt: skip
    status = forms.ChoiceField(
        label=_("状态"), choices=BLANK + list(ObligationStatus.choices), required=False
    )
    duty = forms.TypedChoiceField(label=_("任务"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, duties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duty"].choices = BLANK + [(d.pk, d.name) for d in duties]


class OverviewForm(forms.Form):
    """The overview's filter (the template draws its own fields)."""

    period = PeriodField(required=False, max_length=20)
    unit = forms.CharField(required=False)

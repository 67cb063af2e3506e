"""Forms of the schedule, draw and coverage pages. They only shape input; the rules are in
`xiaoan.inspections.schedules` and `xiaoan.inspections.coverage`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoan.core.forms import StyledFormMixin, date_input
from xiaoan.inspections.choices import InspectionKind, Recurrence, ScheduleTarget
from xiaoan.inspections.forms import _unit_choices
from xiaoan.orgs.choices import UnitKind

SCHEDULE_KINDS = [(v, label) for v, label in InspectionKind.choices if v != "unannounced"]


def _checklist_choices(checklists) -> list[tuple[int | str, str]]:
    return [("", _("请选择检查表"))] + [
        (t.pk, f"{t.name}（{t.owner_unit.name if t.owner_unit_id else _('内置')}）")
        for t in checklists
    ]


class ScheduleForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("检查类型"), choices=SCHEDULE_KINDS)
    checklist = forms.TypedChoiceField(label=_("检查表"), coerce=int)
    organiser = forms.TypedChoiceField(label=_("组织单位"), coerce=int)
    target = forms.ChoiceField(
        label=_("检查对象"), choices=ScheduleTarget.choices, initial=ScheduleTarget.SCHOOLS
    )
    target_kind = forms.ChoiceField(
        label=_("单位类型"),
        choices=[("", _("（不限）")), *UnitKind.choices],
        required=False,
        help_text=_("检查对象为“某一类型的全部单位”时填写"),
    )
    units = forms.TypedMultipleChoiceField(
        label=_("指定单位"),
        coerce=int,
        required=False,
        help_text=_("检查对象为“指定单位”时选择"),
    )
    recurrence = forms.ChoiceField(label=_("周期"), choices=Recurrence.choices)
    day = forms.IntegerField(label=_("周期内第几天"), min_value=1, max_value=184, initial=1)
    days_allowed = forms.IntegerField(
        label=_("完成期限（天）"), min_value=1, max_value=366, initial=20
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, units=(), checklists=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = _unit_choices(units)
        self.fields["organiser"].choices = [("", _("请选择组织单位")), *choices]
        self.fields["units"].choices = choices
        self.fields["checklist"].choices = _checklist_choices(checklists)


class DefaultSchedulesForm(StyledFormMixin, forms.Form):
    organiser = forms.TypedChoiceField(label=_("组织单位"), coerce=int)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].choices = _unit_choices(units)


class DrawForm(StyledFormMixin, forms.Form):
    title = forms.CharField(
        label=_("名称"), max_length=200, required=False, help_text=_("留空则自动生成")
    )
    organiser = forms.TypedChoiceField(label=_("组织单位"), coerce=int)
    unit_kind = forms.ChoiceField(
        label=_("抽取对象"), choices=UnitKind.choices, initial=UnitKind.SCHOOL
    )
    count = forms.IntegerField(label=_("抽取数量"), min_value=1, max_value=100000, initial=3)
    seed = forms.IntegerField(
        label=_("随机种子"),
        min_value=0,
        max_value=2**63 - 1,
        required=False,
        help_text=_("留空则随机生成；种子与候选单位一并记录，可复核抽取结果"),
    )
    checklist = forms.TypedChoiceField(label=_("检查表"), coerce=int)
    scheduled_on = forms.DateField(label=_("计划日期"), widget=date_input())
    due_on = forms.DateField(label=_("截止日期"), required=False, widget=date_input())

    def __init__(self, *args, units=(), checklists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].choices = _unit_choices(units)
        self.fields["checklist"].choices = _checklist_choices(checklists)

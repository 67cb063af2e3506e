"""Forms of the plan pages. They only shape input; the services check every rule."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from xiaoan.core.forms import StyledFormMixin, date_input
from xiaoan.core.workflow_pages import WorkflowForm
from xiaoan.orgs.models import Unit
from xiaoan.plans.choices import REPORT_STATUSES, DeadlineKind, Progress
from xiaoan.plans.deadlines import milestone_text, milestones_by_task, open_milestones

_DATE = re.compile(r"^(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?$")
IMMEDIATE_WORDS = {"立即", "立整立改", "立行立改"}
ONGOING_WORDS = {"长期", "长期坚持", "持续"}


def parse_deadline_lines(text: str) -> list[dict]:
    """One deadline a line: "2026-12-31", "上半年 2026-06-30", "立即", "长期坚持"."""
    out = []
    for raw in (text or "").splitlines():
        words = raw.replace("：", " ").replace(":", " ").split()
        if not words:
            continue
        date, kind, label = None, DeadlineKind.DATE, []
        for word in words:
            match = _DATE.match(word)
            if match:
                try:
                    date = dt.date(*(int(g) for g in match.groups()))
                except ValueError:
                    raise ValidationError(_("日期有误：%(d)s") % {"d": word}) from None
            elif word in IMMEDIATE_WORDS:
                kind = DeadlineKind.IMMEDIATE
            elif word in ONGOING_WORDS:
                kind = DeadlineKind.ONGOING
            else:
                label.append(word)
        if kind == DeadlineKind.DATE and date is None:
            raise ValidationError(_("无法识别的时限：%(d)s") % {"d": raw.strip()})
        out.append(
            {"date": date.isoformat() if date else None, "label": " ".join(label), "kind": kind}
        )
    return out


def deadline_lines(deadlines) -> str:
    lines = []
    for d in deadlines:
        get = d.get if isinstance(d, dict) else lambda k, d=d: getattr(d, k)
        kind = get("kind")
        date = get("date")
        if kind == DeadlineKind.IMMEDIATE:
            when = "立即"
        elif kind == DeadlineKind.ONGOING:
            when = "长期坚持"
        else:
            when = date.isoformat() if isinstance(date, dt.date) else (date or "")
        lines.append(" ".join(p for p in (get("label"), when) if p))
    return "\n".join(lines)


class DeadlineField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 2})

    def clean(self, value):
        return parse_deadline_lines(super().clean(value))


def parse_phase_lines(text: str) -> list[dict]:
    """One phase a line: "动员部署 2024-04-01 2024-04-30" (dates optional)."""
    out = []
    for raw in (text or "").splitlines():
        words = raw.split()
        if not words:
            continue
        dates, name = [], []
        for word in words:
            match = _DATE.match(word)
            if match:
                try:
                    dates.append(dt.date(*(int(g) for g in match.groups())))
                except ValueError:
                    raise ValidationError(_("日期有误：%(d)s") % {"d": word}) from None
            else:
                name.append(word)
        if not name or len(dates) > 2:
            raise ValidationError(_("无法识别的阶段：%(d)s") % {"d": raw.strip()})
        dates += [None] * (2 - len(dates))
        out.append({"name": " ".join(name)[:100], "start_date": dates[0], "end_date": dates[1]})
    return out


def phase_lines(phases) -> str:
    return "\n".join(
        " ".join(str(p) for p in (phase.name, phase.start_date, phase.end_date) if p)
        for phase in phases
    )


class PhaseField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 3})

    def clean(self, value):
        return parse_phase_lines(super().clean(value))


class PlanForm(StyledFormMixin, forms.Form):
    unit = forms.TypedChoiceField(label=_("发文单位"), coerce=int)
    title = forms.CharField(label=_("方案名称"), max_length=200)
    document_number = forms.CharField(label=_("文号"), max_length=60, required=False)
    start_date = forms.DateField(label=_("开始日期"), required=False, widget=date_input())
    end_date = forms.DateField(label=_("结束日期"), required=False, widget=date_input())
    phases = PhaseField(
        label=_("实施阶段"),
        required=False,
        help_text=_("每行一个：如 动员部署 2024-04-01 2024-04-30"),
    )

    def __init__(self, *args, units=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        if editing:
            del self.fields["unit"]


class UnitsField(forms.TypedMultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(coerce=int, required=False, **kwargs)


class TaskForm(StyledFormMixin, forms.Form):
    seq = forms.IntegerField(label=_("序号"), min_value=0, required=False)
    domain = forms.CharField(label=_("领域"), max_length=200, required=False)
    title = forms.CharField(label=_("工作任务"), max_length=300)
    content = forms.CharField(label=_("任务内容"), required=False, widget=forms.Textarea)
    deadlines = DeadlineField(
        label=_("完成时限"),
        required=False,
        help_text=_("每行一个：如 2026-12-31、上半年 2026-06-30、立即、长期坚持"),
    )
    lead_units = UnitsField(label=_("牵头单位"))
    responsible_units = UnitsField(label=_("责任单位"))
    cooperating_units = UnitsField(label=_("配合单位"))
    all_below = forms.BooleanField(label=_("下达至全部下级（各学校 / 学校各处室）"), required=False)
    collective_text = forms.CharField(label=_("泛指的单位写法"), max_length=300, required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(u.pk, u.name) for u in units]
        for name in ("lead_units", "responsible_units", "cooperating_units"):
            self.fields[name].choices = choices
            self.fields[name].widget.attrs["size"] = 6


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class PlanActionForm(WorkflowForm):
    """An action's form (declared in xiaoan.plans.workflow). The version is optional: a
    button posted without it (older pages, scripts) is not checked for staleness."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)


class ActivateForm(PlanActionForm):
    intro = _("下发后，各项任务即分解到承办单位，并通知各单位。")


class CloseForm(PlanActionForm):
    intro = _("结束后不能再修改任务或报送进展。")
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AcceptForm(PlanActionForm):
    intro = _("审核通过后，该任务计为已完成。")
    note = forms.CharField(
        label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(PlanActionForm):
    intro = _("退回后任务回到进行中，并通知报送人。")
    note = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 3}))


class ReportForm(PlanActionForm):
    status = forms.ChoiceField(
        label=_("状态"), choices=[(s.value, s.label) for s in REPORT_STATUSES]
    )
    progress = forms.IntegerField(label=_("完成进度（%）"), min_value=0, max_value=100)
    milestone = forms.ChoiceField(
        label=_("完成节点"),
        required=False,
        help_text=_("本次报送完成的时间节点（如上半年、防溺水）；未完成某个节点可不选"),
    )
    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label=_("佐证材料"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].initial = Progress.IN_PROGRESS
        if self.obj is not None:
            self.initial.setdefault("progress", self.obj.progress)
        # Only a task with several milestones asks which one a report fulfils.
        choices = open_milestones(self.obj) if self.obj is not None else []
        if len(milestones_by_task([self.obj.task_id])[self.obj.task_id] if self.obj else []) > 1:
            self.fields["milestone"].choices = [("", _("（不针对某个节点）"))] + [
                (str(m.pk), milestone_text(m)) for m in choices
            ]
        else:
            del self.fields["milestone"]


class ImportForm(StyledFormMixin, forms.Form):
    unit = forms.TypedChoiceField(label=_("发文单位"), coerce=int)
    file = forms.FileField(
        label=_("方案文件"),
        required=False,
        help_text=_("Word（.docx）、Excel（.xlsx）、.txt、.md、.csv、.html 或带文字层的 PDF"),
    )
    text = forms.CharField(
        label=_("或粘贴文字"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise ValidationError(_("请上传方案文件或粘贴文字。"))
        return data


class DecomposeForm(PlanActionForm):
    intro = _("不选处室时，分解到本校全部处室。")
    units = forms.TypedMultipleChoiceField(label=_("处室"), coerce=int, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None:
            unit = self.obj.unit
            below = (
                Unit.objects.filter(path__startswith=unit.path, is_active=True)
                .exclude(pk=unit.pk)
                .order_by("path")[:200]
            )
            self.fields["units"].choices = [(u.pk, u.name) for u in below]


class ImportReviewForm(forms.Form):
    """The review page's edits, read from its numbered inputs: `title-<i>`, `domain-<i>` and
    `deadlines-<i>` per task, `unit-<j>` per written unit name, `plan_title` and
    `document_number`. What was typed stays on the form (`tasks`, `mapping`) for a re-render."""

    def __init__(self, *args, draft: dict, suggestions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.draft, self.suggestions = draft, list(suggestions)
        self.tasks: list[dict] | None = None
        self.mapping: dict[str, str] | None = None
        self.title: str | None = None
        self.number = ""
        if self.is_bound:
            self._read(self.data)

    def _read(self, data) -> None:
        self.mapping = {
            s.written: data.get(f"unit-{index}", "") for index, s in enumerate(self.suggestions)
        }
        self.problems: list[str] = []
        self.tasks = []
        for index, task in enumerate(self.draft["tasks"]):
            edited = dict(task)
            edited["title"] = (data.get(f"title-{index}") or "").strip()
            if f"domain-{index}" in data:  # the reviewer's safety domain ("": none)
                edited["safety_domain"] = data.get(f"domain-{index}") or ""
            text = data.get(f"deadlines-{index}", "")
            try:
                edited["deadlines"] = parse_deadline_lines(text)
            except ValidationError as error:
                self.problems.append(
                    _("第 %(n)s 项：%(m)s") % {"n": task["seq"], "m": error.messages[0]}
                )
                edited["deadline_text"] = text
            if not edited["title"]:
                self.problems.append(_("第 %(n)s 项：请填写工作任务。") % {"n": task["seq"]})
            self.tasks.append(edited)
        self.title = (data.get("plan_title") or "").strip()
        self.number = (data.get("document_number") or "").strip()

    def clean(self):
        if self.problems:
            raise ValidationError(self.problems)
        return {
            "mapping": self.mapping,
            "tasks": self.tasks,
            "title": self.title,
            "document_number": self.number,
        }

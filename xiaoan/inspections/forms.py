"""Forms of the inspection pages. They only shape input; the services check every rule."""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from xiaoan.core.forms import StyledFormMixin, date_input
from xiaoan.core.workflow_pages import WorkflowForm
from xiaoan.inspections.choices import InspectionKind, InviteRole

YES = {"是", "y", "yes", "1", "true", "√", "须拍照"}


def _unit_choices(units) -> list[tuple[int, str]]:
    return [(u.pk, getattr(u, "indent_label", u.name)) for u in units]


def person_choices(people) -> list[tuple[int, str]]:
    """People as "name（unit）", the expert pool as 专家库."""
    return [
        (p.pk, f"{p.display_name}（{p.unit.name if p.unit_id else _('专家库')}）")
        for p in people.select_related("unit").order_by("unit__path", "username")
    ]


class TeamFields(forms.Form):
    """带队领导, 检查组成员, 校外成员: the choices are the people the organiser may call on."""

    leader = forms.TypedChoiceField(
        label=_("带队领导"), coerce=int, required=False, empty_value=None
    )
    members = forms.TypedMultipleChoiceField(
        label=_("检查组成员"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("按住 Ctrl（手机上直接点选）可选多人"),
    )
    outside_members = forms.CharField(
        label=_("校外成员"),
        max_length=500,
        required=False,
        help_text=_("没有账号的专家等，姓名及单位，用顿号分隔"),
    )

    def set_people(self, people) -> None:
        choices = person_choices(people)
        self.fields["leader"].choices = [("", _("（未指定）")), *choices]
        self.fields["members"].choices = choices


class InspectionForm(StyledFormMixin, TeamFields):
    kind = forms.ChoiceField(label=_("检查类型"), choices=InspectionKind.choices)
    unit = forms.TypedChoiceField(label=_("被检查单位"), coerce=int)
    checklist = forms.TypedChoiceField(label=_("检查表"), coerce=int)
    title = forms.CharField(
        label=_("标题"), max_length=200, required=False, help_text=_("留空则自动生成")
    )
    scheduled_on = forms.DateField(label=_("计划日期"), widget=date_input())
    due_on = forms.DateField(label=_("截止日期"), required=False, widget=date_input())
    organiser = forms.TypedChoiceField(
        label=_("组织单位"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("留空则为您在被检查单位之上（或本级）最近的单位"),
    )
    # The register item (台账) inspected, from its page's 检查 button.
    subject = forms.CharField(widget=forms.HiddenInput, max_length=80, required=False)

    field_order = ["kind", "unit", "checklist", "title", "scheduled_on", "due_on", "organiser"]

    def __init__(self, *args, units=(), checklists=(), people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.set_people(people)
        choices = _unit_choices(units)
        self.fields["unit"].choices = [("", _("请选择被检查单位")), *choices]
        self.fields["organiser"].choices = [("", _("（自动）")), *choices]
        self.fields["checklist"].choices = [("", _("请选择检查表"))] + [
            (t.pk, f"{t.name}（{t.owner_unit.name if t.owner_unit_id else _('内置')}）")
            for t in checklists
        ]


class PersonPicker(forms.TextInput):
    """A text box with a list of people below it that follows what is typed (htmx asks the
    scoped candidates page); the chosen option fills in the person's username."""

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**(attrs or {})}
        list_id = f"{attrs.get('id') or name}-people"
        box = super().render(name, value, {**attrs, "list": list_id}, renderer)
        return mark_safe(f'{box}<datalist id="{list_id}"></datalist>')


class InviteForm(WorkflowForm):
    # An invitation does not depend on what the record holds: no stale-page check.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    user = forms.CharField(
        label=_("受邀人"),
        max_length=150,
        help_text=_(
            "输入姓名搜索，从列表中选择（本单位及下级人员、专家库）；也可输入用户名或手机号"
        ),
        widget=PersonPicker,
    )
    role = forms.ChoiceField(label=_("身份"), choices=InviteRole.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None:
            widget = self.fields["user"].widget
            list_id = f"{self.auto_id % 'user'}-people"
            widget.attrs.update(
                {
                    "hx-get": reverse("inspections:invite_candidates", args=[self.obj.pk]),
                    "hx-trigger": "input changed delay:300ms, focus once",
                    "hx-target": f"#{list_id}",
                    "hx-swap": "innerHTML",
                }
            )


class TeamForm(WorkflowForm, TeamFields):
    # The team does not depend on what the record holds: no stale-page check.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None:
            from xiaoan.inspections.team import team_people

            self.set_people(team_people(self.actor, self.obj.organiser))
            if not self.is_bound:
                self.initial.update(
                    leader=self.obj.leader_id,
                    members=[p.pk for p in self.obj.members.all()],
                    outside_members=self.obj.outside_members,
                )


class CloseForm(WorkflowForm):
    intro = _("结束后不能再修改。")
    note = forms.CharField(
        label=_("结束说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RunForm(forms.Form):
    """The phone page's fixed fields; the per-item results are read from the request (their
    names follow the checklist: result-<id>, note-<id>, photos-<id>)."""

    action = forms.CharField(required=False)  # "submit"; anything else saves a draft
    version = forms.IntegerField(required=False, min_value=0)
    summary = forms.CharField(required=False, strip=False)
    idempotency_key = forms.CharField(required=False, max_length=64)


class CopyForm(StyledFormMixin, forms.Form):
    unit = forms.TypedChoiceField(label=_("所属单位"), coerce=int)
    name = forms.CharField(label=_("名称"), max_length=100, required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(units)


class ReviseForm(StyledFormMixin, forms.Form):
    """Items as lines: 代码 | 分类 | 检查内容 | 检查方法与判定 | 须拍照（是/否） | 判定标准."""

    name = forms.CharField(label=_("名称"), max_length=100)
    description = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_active = forms.BooleanField(label=_("启用"), required=False)
    items = forms.CharField(
        label=_("检查项"),
        widget=forms.Textarea(attrs={"rows": 16, "class": "font-monospace small"}),
        help_text=_(
            "每行一项：代码 | 分类 | 检查内容 | 检查方法与判定 | 须拍照（是/否） | 判定标准。"
            "代码留空则自动生成；修改检查项会生成新版本，已开展的检查不受影响。"
        ),
    )
    note = forms.CharField(label=_("修订说明"), max_length=200, required=False)

    @staticmethod
    def as_lines(items) -> str:
        return "\n".join(
            " | ".join(
                [
                    i.code,
                    i.section,
                    i.text,
                    i.guidance,
                    "是" if i.photo_required else "否",
                    i.criterion,
                ]
            )
            for i in items
        )

    def clean_items(self) -> list[dict]:
        rows = []
        for n, line in enumerate(self.cleaned_data["items"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) < 3:
                raise ValidationError(_("第 %(n)d 行至少要有：代码 | 分类 | 检查内容。") % {"n": n})
            parts += [""] * (6 - len(parts))
            code, section, text, guidance, photo, criterion = parts[:6]
            rows.append(
                {
                    "code": code,
                    "section": section,
                    "text": text,
                    "guidance": guidance,
                    "photo_required": photo.lower() in YES,
                    "criterion": criterion,
                }
            )
        return rows


def new_key() -> str:
    return uuid.uuid4().hex

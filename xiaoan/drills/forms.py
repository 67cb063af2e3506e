"""Forms of the drill pages: they shape input; every rule is the services'."""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from xiaoan.core.forms import StyledFormMixin
from xiaoan.core.workflow_pages import WorkflowForm
from xiaoan.drills import services
from xiaoan.drills.choices import DrillKind
from xiaoan.hazards.forms import PhotosField

LOCAL = "%Y-%m-%dT%H:%M"
ROLES_HELP = _("每行一项：职责 姓名，如“疏散引导组 王老师”")


def _text(rows: int = 2, placeholder: str = "") -> forms.Textarea:
    attrs = {"rows": rows, **({"placeholder": placeholder} if placeholder else {})}
    return forms.Textarea(attrs=attrs)


def _moment(label) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL),
        input_formats=[LOCAL, "%Y-%m-%d %H:%M"],
    )


def roles_text(roles: list[dict]) -> str:
    return "\n".join(f"{r.get('role', '')} {r.get('name', '')}" for r in roles or ())


def parse_roles(text: str) -> list[dict[str, str]]:
    rows = []
    for line in str(text or "").splitlines():
        parts = line.replace("：", " ").replace(":", " ").split()
        if not parts:
            continue
        if len(parts) < 2:
            raise ValidationError(_("“%(l)s”：请写成“职责 姓名”。") % {"l": line.strip()[:30]})
        rows.append({"role": " ".join(parts[:-1]), "name": parts[-1]})
    return rows


class PlanForm(StyledFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=None)
    kind = forms.ChoiceField(label=_("演练类型"), choices=DrillKind.choices)
    planned_on = forms.DateField(
        label=_("计划日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    title = forms.CharField(
        label=_("演练名称"), max_length=200, required=False, help_text=_("留空则按类型命名")
    )
    scenario = forms.CharField(
        label=_("演练情景"),
        required=False,
        widget=_text(3, _("如：三楼化学实验室起火，烟雾进入走廊")),
    )
    organiser = forms.CharField(label=_("总指挥/组织者"), max_length=50)
    roles = forms.CharField(label=_("分工"), required=False, widget=_text(4), help_text=ROLES_HELP)
    expected_participants = forms.IntegerField(
        label=_("应参加人数"),
        required=False,
        min_value=0,
        help_text=_("留空则为学校在校学生数与教职工数之和"),
    )
    target_seconds = forms.IntegerField(
        label=_("目标疏散用时（秒）"),
        required=False,
        min_value=1,
        help_text=_("留空则按类型取默认值（消防疏散 180 秒）"),
    )

    teams = forms.ModelMultipleChoiceField(
        label=_("参演队伍"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("本校的义务消防队、应急救援队参加演练的，勾选后计入队伍的战备情况"),
    )

    def __init__(self, *args, user=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = services.team_choices(user)
        self.fields["teams"].label_from_instance = lambda t: f"{t.unit.name} · {t.name}"
        if editing:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = services.planning_units(user).order_by("path")

    def clean_roles(self):
        return parse_roles(self.cleaned_data.get("roles"))


class RecordForm(StyledFormMixin, forms.Form):
    started_at = _moment(_("开始时间"))
    ended_at = _moment(_("结束时间"))
    participants = forms.IntegerField(label=_("实际参加人数"), min_value=0)
    evacuation_seconds = forms.IntegerField(label=_("疏散用时（秒）"), required=False, min_value=1)
    photos = PhotosField(label=_("现场照片"), required=False)
    video_links = forms.CharField(
        label=_("视频链接"),
        required=False,
        widget=_text(2, "https://"),
        help_text=_("每行一条"),
    )
    note = forms.CharField(label=_("实施情况"), required=False, widget=_text(3))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
        for name in ("participants", "evacuation_seconds"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"


class CancelForm(WorkflowForm):
    note = forms.CharField(label=_("取消原因"), widget=_text())


class InviteForm(WorkflowForm):
    intro = _("可邀请上级单位人员或专家库中的校外专家观摩；受邀人只能查看这一次演练。")
    user = forms.TypedChoiceField(label=_("观摩人"), coerce=int, required=False)
    # The list holds the nearest 200; anyone else invitable is found by mobile or username.
    who = forms.CharField(
        label=_("或输入手机号/用户名"), max_length=50, required=False,
        help_text=_("列表中没有的人（如专家库中的专家），输入其手机号或用户名"),
    )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("user") and not (cleaned.get("who") or "").strip():
            self.add_error("user", _("请选择观摩人，或输入其手机号、用户名。"))
        return cleaned

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = (
            services.observer_choices(self.actor, self.obj)
            if self.obj is not None and self.actor is not None
            else []
        )
        self.fields["user"].choices = [("", "---------")] + [
            (p.pk, f"{p.display_name}" + (f" · {p.unit.name}" if p.unit_id else _(" · 专家库")))
            for p in people
        ]


class UninviteForm(WorkflowForm):
    user = forms.IntegerField(widget=forms.HiddenInput)

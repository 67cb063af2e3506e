"""Forms of the hot-work pages: they shape input; every rule is the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoan.core.forms import StyledFormMixin
from xiaoan.core.workflow_pages import WorkflowForm
from xiaoan.hazards.forms import PhotosField
from xiaoan.hotwork import services
from xiaoan.hotwork.choices import WorkType

LOCAL = "%Y-%m-%dT%H:%M"


def _text(placeholder: str = "") -> forms.Textarea:
    attrs = {"rows": 2, **({"placeholder": placeholder} if placeholder else {})}
    return forms.Textarea(attrs=attrs)


def datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL)


class RequestForm(StyledFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=None)
    location = forms.CharField(label=_("动火地点"), max_length=200)
    work_type = forms.ChoiceField(label=_("动火类别"), choices=WorkType.choices)
    description = forms.CharField(label=_("作业内容"), widget=forms.Textarea(attrs={"rows": 2}))
    starts_at = forms.DateTimeField(
        label=_("动火开始时间"), widget=datetime_input(), input_formats=[LOCAL, "%Y-%m-%d %H:%M"]
    )
    ends_at = forms.DateTimeField(
        label=_("动火结束时间"), widget=datetime_input(), input_formats=[LOCAL, "%Y-%m-%d %H:%M"]
    )
    operator = forms.ModelChoiceField(
        label=_("动火作业人员（持证）"),
        queryset=None,
        help_text=_("须在持证上岗台账中登记焊工或电工证书，且证书在动火时段内有效"),
    )
    precautions = forms.CharField(
        label=_("防火措施"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": _("如：清除可燃物、配备灭火器 2 具")}
        ),
    )

    def __init__(self, *args, user=None, unit_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        from xiaoan.certificates.models import Certificate

        units = services.requesting_units(user).order_by("path")
        self.fields["unit"].queryset = units
        unit = units.filter(pk=unit_id).first() if str(unit_id or "").isdigit() else None
        if unit is None:
            # Not chosen yet: one's own unit (a department's certified welders are the
            # school's), else the first one; the school is what the choices depend on.
            own = getattr(user, "unit_id", None)
            unit = units.filter(pk=own).first() if own else None
            unit = unit or units.first()
            if unit is not None and not self.is_bound:
                self.initial.setdefault("unit", unit.pk)
        # Choices of the chosen unit's school; the service checks the choice again.
        self.fields["operator"].queryset = (
            services.operators_for(unit) if unit else Certificate.objects.none()
        )
        self.fields["operator"].label_from_instance = lambda c: (
            f"{c.name} · {c.get_kind_display()} · "
            + (f"{c.valid_until:%Y-%m-%d}" if c.valid_until else str(_("长期")))
        )


class PermitActionForm(WorkflowForm):
    pass


class ApproveForm(PermitActionForm):
    supervisor = forms.TypedChoiceField(label=_("现场监护人"), coerce=int)
    note = forms.CharField(
        label=_("审批意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = services.supervisors_for(self.obj) if self.obj is not None else []
        self.fields["supervisor"].choices = [("", "---------")] + [
            (u.pk, u.display_name) for u in people
        ]


class RejectForm(PermitActionForm):
    note = forms.CharField(label=_("驳回理由"), widget=forms.Textarea(attrs={"rows": 2}))


class CancelForm(PermitActionForm):
    note = forms.CharField(label=_("取消原因"), widget=forms.Textarea(attrs={"rows": 2}))


class StartForm(PermitActionForm):
    intro = _("请确认作业人员持证在场、可燃物已清除、灭火器材到位，拍摄作业前现场照片。")
    photos = PhotosField(label=_("作业前现场照片"))
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FinishForm(PermitActionForm):
    intro = _("请确认现场已清理、无遗留火种，拍摄作业后现场照片。")
    photos = PhotosField(label=_("作业后现场照片"))
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

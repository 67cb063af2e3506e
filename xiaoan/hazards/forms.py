"""Forms of the hazard pages. They only shape input; every rule is checked by the services."""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from xiaoan.core.choices import SafetyDomain
from xiaoan.core.forms import StyledFormMixin, date_input
from xiaoan.core.workflow_pages import WorkflowForm
from xiaoan.hazards import criteria, services
from xiaoan.hazards.choices import ExtensionStatus, HazardLevel
from xiaoan.orgs.models import Place

# ---------------------------------------------------------------- widgets and fields


class MultiplePhotoInput(forms.FileInput):
    """<input type=file accept="image/*" capture="environment" multiple>: the phone camera."""

    allow_multiple_selected = True

    def __init__(self, attrs=None):
        attrs = {"accept": "image/*", "capture": "environment", **(attrs or {})}
        super().__init__(attrs)


class PhotosField(forms.FileField):
    """Any number of photos (the service limits the count and checks each one's content)."""

    widget = MultiplePhotoInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [f for f in files if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        return [super(PhotosField, self).clean(f, initial) for f in files]


class OptionAttrsSelect(forms.Select):
    """A select whose options carry extra attributes (e.g. data-path for the page script)."""

    def __init__(self, attrs=None, choices=(), option_attrs=None):
        super().__init__(attrs, choices)
        self.option_attrs = option_attrs or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"].update(self.option_attrs.get(str(value), {}))
        return option


def _text(rows: int = 2) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def unit_label(unit, top_depth: int = 1) -> str:
    return f"{'　' * max(0, unit.depth - top_depth)}{unit.name}"


CRITERION_CHOICES = [("", _("（无）"))] + [
    (c.code, f"{c.code} {c.summary}") for c in criteria.CRITERIA
]
DOMAIN_CHOICES = [("", _("（不变）")), *SafetyDomain.choices]


# ---------------------------------------------------------------- 随手拍


class ReportForm(StyledFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("所属单位"), queryset=None, empty_label=None)
    place = forms.ModelChoiceField(
        label=_("场所"), queryset=None, required=False, empty_label=_("（不选）")
    )
    place_text = forms.CharField(
        label=_("具体位置"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("如：二号楼三楼东侧楼梯口")}),
    )
    description = forms.CharField(
        label=_("一句话说明隐患"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("如：宿舍楼道内有电动车充电")}),
    )
    photos = PhotosField(label=_("照片"), required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    # The register item (台账) the report is about, from its page's 报告隐患 button.
    subject = forms.CharField(widget=forms.HiddenInput, max_length=80, required=False)

    def __init__(self, *args, units=None, places=None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        top = min((u.depth for u in units), default=1)
        self.fields["unit"].label_from_instance = lambda u: unit_label(u, top)
        self.fields["unit"].widget.attrs["data-reload-param"] = "unit"
        self.fields["place"].queryset = places
        self.fields["place"].label_from_instance = lambda p: p.full_name


# ---------------------------------------------------------------- actions on a record


class HazardActionForm(WorkflowForm):
    """An action's form (declared in xiaoan.hazards.workflow); choices are scoped to the person."""

    @property
    def hazard(self):
        return self.obj


class ConfirmForm(HazardActionForm):
    level = forms.ChoiceField(label=_("隐患等级"), choices=HazardLevel.choices)
    domain = forms.ChoiceField(label=_("领域"), choices=DOMAIN_CHOICES, required=False)
    category = forms.CharField(label=_("类别"), max_length=60, required=False)
    place = forms.ModelChoiceField(
        label=_("场所"), queryset=None, required=False, empty_label=_("（不变）")
    )
    place_text = forms.CharField(label=_("具体位置"), max_length=200, required=False)
    criterion = forms.ChoiceField(
        label=_("重大隐患判定依据"), choices=CRITERION_CHOICES, required=False
    )
    note = forms.CharField(label=_("说明"), required=False, widget=_text())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        hazard = self.hazard
        places = Place.objects.none()
        if hazard is not None:
            places = (
                Place.objects.restrict(self.actor)
                .filter(unit__path__startswith=services.home_unit(hazard.unit).path, is_active=True)
                .select_related("parent__parent__parent")
                .order_by("unit__path", "name")
            )
        self.fields["place"].queryset = places
        self.fields["place"].label_from_instance = lambda p: p.full_name
        if hazard is not None and not self.is_bound:
            self.initial.update(
                level=hazard.level or hazard.suggested_level or HazardLevel.GENERAL,
                domain=hazard.domain,
                category=hazard.category,
                place=hazard.place_id,
                place_text=hazard.place_text,
                criterion=hazard.criterion,
            )


class DismissForm(HazardActionForm):
    note = forms.CharField(label=_("不构成隐患的理由"), widget=_text())


class AssignForm(HazardActionForm):
    owner_unit = forms.TypedChoiceField(label=_("整改单位"), coerce=int)
    owner = forms.TypedChoiceField(
        label=_("整改责任人"), coerce=int, empty_value=None, required=False
    )
    measures = forms.CharField(label=_("整改措施"), widget=_text(3))
    deadline = forms.DateField(label=_("整改期限"), widget=date_input())
    budget = forms.DecimalField(
        label=_("整改资金（元）"), max_digits=12, decimal_places=2, required=False, min_value=0
    )
    interim_controls = forms.CharField(
        label=_("临时管控措施"),
        required=False,
        widget=_text(),
        help_text=_("重大隐患或期限较长的隐患须落实临时管控措施。"),
    )
    note = forms.CharField(label=_("交办说明"), required=False, widget=_text())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        owner_units, owners = self.owner_choices()
        top = min((u.depth for u in owner_units), default=1)
        self.fields["owner_unit"].widget = OptionAttrsSelect(
            attrs={"class": "form-select", "data-owner-filter": f"{self.auto_id % 'owner'}"},
            option_attrs={str(u.pk): {"data-path": u.path} for u in owner_units},
        )
        self.fields["owner_unit"].choices = [(u.pk, unit_label(u, top)) for u in owner_units]
        paths = {u.pk: u for u in owner_units}
        choices: list[tuple] = [("", _("（由整改单位安排）"))]
        option_attrs = {}
        for person in owners:
            unit = paths.get(person.unit_id)
            label = f"{person.display_name}（{unit.name}）" if unit else person.display_name
            choices.append((person.pk, label))
            if unit:
                option_attrs[str(person.pk)] = {"data-path": unit.path}
        self.fields["owner"].widget = OptionAttrsSelect(
            attrs={"class": "form-select"}, option_attrs=option_attrs
        )
        self.fields["owner"].choices = choices
        hazard = self.hazard
        if hazard is not None and not self.is_bound:
            default_unit = hazard.owner_unit_id or hazard.unit_id
            if default_unit in paths:
                self.initial.setdefault("owner_unit", default_unit)
            self.initial.setdefault("measures", hazard.measures)
            self.initial.setdefault("interim_controls", hazard.interim_controls)

    def owner_choices(self) -> tuple[list, list]:
        """Units the person may assign to, those of the hazard's school first, and their staff."""
        if self.hazard is None:
            return [], []
        home = services.home_unit(self.hazard.unit)
        assignable = services.assignable_owner_units(self.actor)
        units = list(assignable.filter(path__startswith=home.path).order_by("path")[:500])
        if not units:
            units = list(assignable.order_by("path")[:500])
        return units, services.visible_owners(units)


class ConfirmAssignForm(AssignForm, ConfirmForm):
    """确认 and 交办 in one form: the level first, then the owner, measures and deadline."""

    field_order = [
        "level",
        "criterion",
        "domain",
        "category",
        "place",
        "place_text",
        "owner_unit",
        "owner",
        "measures",
        "deadline",
        "budget",
        "interim_controls",
        "note",
    ]
    note = forms.CharField(label=_("说明"), required=False, widget=_text())


class FixOnSpotForm(HazardActionForm):
    note = forms.CharField(label=_("整改情况"), widget=_text())
    photos = PhotosField(label=_("整改后照片"))
    level = forms.ChoiceField(
        label=_("隐患等级"), choices=[("", _("（一般隐患）")), *HazardLevel.choices], required=False
    )


class StartForm(HazardActionForm):
    interim_controls = forms.CharField(
        label=_("临时管控措施"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": _("如：设置警示标识、专人看管、停用该区域")}
        ),
    )
    note = forms.CharField(label=_("说明"), required=False, widget=_text())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        hazard = self.hazard
        if hazard is None:
            return
        field = self.fields["interim_controls"]
        if services.controls_required(hazard):
            # The service decides (its Chinese message lands on this field); the page says it.
            field.label = _("临时管控措施（必填）")
            field.help_text = _("重大隐患或整改期限较长的隐患，须先落实临时管控措施再开始整改。")
        else:
            field.help_text = _("整改期间如有风险，请填写临时管控措施。")
        if not self.is_bound:
            self.initial.setdefault("interim_controls", hazard.interim_controls)


class ProgressForm(HazardActionForm):
    note = forms.CharField(label=_("整改进展"), widget=_text())
    photos = PhotosField(label=_("照片"), required=False)


class ControlForm(HazardActionForm):
    measures = forms.CharField(
        label=_("临时管控措施"),
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": _("如：设置警示标识、专人看管、停用该区域")}
        ),
    )
    photos = PhotosField(label=_("照片"), required=False)


class SubmitForm(HazardActionForm):
    note = forms.CharField(label=_("整改完成情况"), widget=_text())
    photos = PhotosField(label=_("整改后照片"))


class VerifyForm(HazardActionForm):
    """Two buttons decide: passed (销号) or not (back to rectification)."""

    note = forms.CharField(label=_("验收意见"), widget=_text())
    photos = PhotosField(label=_("验收照片"), required=False)


class ExtensionRequestForm(HazardActionForm):
    new_deadline = forms.DateField(label=_("申请延至"), widget=date_input())
    reason = forms.CharField(label=_("延期理由"), widget=_text())


class ExtensionDecideForm(HazardActionForm):
    """The hazard's pending request; two buttons decide: approve or not."""

    request = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("审批意见"), widget=_text())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pending = None
        if self.hazard is not None:
            pending = (
                self.hazard.extensions.filter(status=ExtensionStatus.PENDING)
                .select_related("requested_by")
                .first()
            )
        if pending is not None:
            self.intro = _("%(who)s 申请将期限由 %(old)s 延至 %(new)s：%(reason)s") % {
                "who": pending.requested_by.display_name,
                "old": f"{pending.old_deadline:%Y-%m-%d}",
                "new": f"{pending.new_deadline:%Y-%m-%d}",
                "reason": pending.reason,
            }
            if not self.is_bound:
                self.initial["request"] = pending.pk


class SuperviseForm(HazardActionForm):
    reason = forms.CharField(label=_("督办原因"), widget=_text())
    answer_due = forms.DateField(
        label=_("答复期限"),
        required=False,  # empty: the default time (XIAOAN_SUPERVISION_ANSWER_DAYS)
        widget=date_input(),
        help_text=_("被督办单位须在此日期前报送整改方案或进展。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("answer_due", services.default_answer_due())


class SupervisionAnswerForm(HazardActionForm):
    note = forms.CharField(
        label=_("答复内容"),
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("整改方案、进展或完成时限")}),
    )
    photos = PhotosField(label=_("附件照片"), required=False)


class SupervisionAcceptForm(HazardActionForm):
    note = forms.CharField(label=_("认可意见"), widget=_text())

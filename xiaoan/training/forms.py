from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoan.core.forms import StyledFormMixin, date_input
from xiaoan.orgs.models import Unit
from xiaoan.training.choices import PERSON_KINDS, audience_role_choices
from xiaoan.training.models import TrainingSession

SESSION_FIELDS = [
    "unit",
    "name",
    "code",
    "domain",
    "held_on",
    "trainer",
    "hours",
    "audience_roles",
    "audience_kinds",
    "covers",
    "note",
]


def split_kinds(value) -> list[str]:
    """ "保安、宿管" (or a list) as a list of kinds, each once."""
    import re

    if isinstance(value, list | tuple):
        parts = [str(v) for v in value]
    else:
        parts = re.split(r"[、，,;；\s]+", str(value or ""))
    out: list[str] = []
    for part in (p.strip() for p in parts):
        if part and part not in out:
            out.append(part)
    return out


class KindsField(forms.CharField):
    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "、".join(value)
        return value

    def to_python(self, value):
        return split_kinds(super().to_python(value))


class TrainingForm(StyledFormMixin, forms.ModelForm):
    audience_roles = forms.MultipleChoiceField(
        label=_("参训角色"),
        choices=audience_role_choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    audience_kinds = KindsField(
        label=_("参训人员类别"),
        required=False,
        max_length=300,
        help_text=_("多项用“、”分隔，如：%(k)s") % {"k": "、".join(PERSON_KINDS[:4])},
    )

    class Meta:
        model = TrainingSession
        fields = SESSION_FIELDS
        labels = {"name": _("培训主题"), "code": _("编号"), "unit": _("组织单位")}
        widgets = {
            "held_on": date_input(),
            "note": forms.Textarea(attrs={"rows": 2}),
            "covers": forms.SelectMultiple(attrs={"size": 6}),
        }

    def scope_to(self, user, unit) -> None:
        """Covered units: the chosen organiser's subtree (as the service requires)."""
        units = Unit.objects.none()
        if unit is not None:
            units = Unit.objects.filter(path__startswith=unit.path, is_active=True).order_by("path")
        self.fields["covers"].queryset = units
        top = unit.depth if unit is not None else 1
        self.fields["covers"].label_from_instance = lambda u: f"{'　' * (u.depth - top)}{u.name}"


class OutsiderForm(StyledFormMixin, forms.Form):
    """An outside trainee added on the attendance page."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    employer = forms.CharField(label=_("工作单位"), max_length=100)
    kind = forms.CharField(label=_("人员类别"), max_length=30, required=False)
    certificate_no = forms.CharField(label=_("证书编号"), max_length=50, required=False)


class SheetForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("签到表（Excel）"),
        help_text=_("列：姓名、单位（重名时填写）；外来人员另填工作单位、人员类别、证书编号"),
    )
    dry_run = forms.BooleanField(label=_("只检查，不导入"), required=False)


class CoverageForm(StyledFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("角色"), required=False)
    kind = forms.CharField(label=_("人员类别（职务含）"), max_length=30, required=False)
    start = forms.DateField(label=_("起始日期"), required=False, widget=date_input())
    end = forms.DateField(label=_("截止日期"), required=False, widget=date_input())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            ("", _("全部角色")),
            ("leaders", _("主要负责人、分管负责人、安办主任")),
            *audience_role_choices(),
        ]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        return data

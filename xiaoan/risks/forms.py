from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoan.core.choices import SafetyDomain
from xiaoan.core.forms import StyledFormMixin
from xiaoan.core.workflow_pages import WorkflowForm
from xiaoan.risks.choices import CheckResult, ControlLevel, Frequency, MeasureKind, Method


def _text(rows: int = 3):
    return forms.Textarea(attrs={"rows": rows})


def _people_choices(unit):
    from xiaoan.risks import services

    return [("", "—")] + [(u.pk, u.display_name) for u in services.people_of(unit)[:500]]


def _place_choices(unit):
    from xiaoan.core.registers import home_unit
    from xiaoan.orgs.models import Place

    places = Place.objects.filter(unit__path__startswith=home_unit(unit).path).order_by("pk")
    return [("", "—")] + [(p.pk, str(p)) for p in places[:500]]


class PointFieldsMixin(forms.Form):
    name = forms.CharField(label=_("风险点名称"), max_length=100)
    domain = forms.ChoiceField(label=_("领域"), choices=SafetyDomain.choices)
    hazardous_event = forms.CharField(
        label=_("可能导致的事故类型/危险事件"), widget=_text(), max_length=1000
    )
    place = forms.TypedChoiceField(
        label=_("所在场所"), required=False, coerce=int, empty_value=None
    )
    location = forms.CharField(label=_("具体位置"), max_length=200, required=False)
    owner = forms.TypedChoiceField(
        label=_("风险点责任人"), required=False, coerce=int, empty_value=None
    )


class CreateForm(StyledFormMixin, PointFieldsMixin):
    unit = forms.TypedChoiceField(label=_("单位"), coerce=int)
    field_order = ["unit", "name", "domain", "hazardous_event", "place", "location", "owner"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from xiaoan.risks import services

        units = list(services.managed_units(user)[:500])
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        first = units[0] if units else None
        chosen = next((u for u in units if str(u.pk) == str(self["unit"].value())), first)
        if chosen is not None:
            self.fields["place"].choices = _place_choices(chosen)
            self.fields["owner"].choices = _people_choices(chosen)


class EditForm(WorkflowForm, PointFieldsMixin):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None:
            self.fields["place"].choices = _place_choices(self.obj.unit)
            self.fields["owner"].choices = _people_choices(self.obj.unit)
            if not self.is_bound:
                for name in ("name", "domain", "hazardous_event", "location"):
                    self.initial.setdefault(name, getattr(self.obj, name))
                self.initial.setdefault("place", self.obj.place_id)
                self.initial.setdefault("owner", self.obj.owner_id)


LS_CHOICES = [(str(v), str(v)) for v in (5, 4, 3, 2, 1)]
LEC_L = [(v, v) for v in ("10", "6", "3", "1", "0.5", "0.2", "0.1")]
LEC_E = [(v, v) for v in ("10", "6", "3", "2", "1", "0.5")]
LEC_C = [(v, v) for v in ("100", "40", "15", "7", "3", "1")]


class AssessForm(WorkflowForm):
    """The unit's method decides which factors are asked for."""

    likelihood = forms.ChoiceField(label=_("可能性 L"))
    severity = forms.ChoiceField(label=_("严重性 S"), required=False)
    exposure = forms.ChoiceField(label=_("暴露频繁程度 E"), required=False)
    consequence = forms.ChoiceField(label=_("后果 C"), required=False)
    note = forms.CharField(label=_("评估说明"), widget=_text(2), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from xiaoan.risks import services

        method = services.method_for(self.obj.unit) if self.obj is not None else Method.LS
        self.method = method
        if method == Method.LEC:
            self.intro = _("作业条件危险性分析法：D = L × E × C。")
            self.fields["likelihood"].choices = LEC_L
            self.fields["exposure"].choices = LEC_E
            self.fields["consequence"].choices = LEC_C
            del self.fields["severity"]
        else:
            self.intro = _("风险矩阵法：R = L × S（各 1–5）。")
            self.fields["likelihood"].choices = LS_CHOICES
            self.fields["severity"].choices = LS_CHOICES
            del self.fields["exposure"]
            del self.fields["consequence"]


class MeasureForm(WorkflowForm):
    kind = forms.ChoiceField(label=_("措施类型"), choices=MeasureKind.choices)
    text = forms.CharField(label=_("管控措施"), widget=_text(2), max_length=1000)
    level = forms.ChoiceField(label=_("管控层级"), choices=ControlLevel.choices)
    owner = forms.TypedChoiceField(label=_("责任人"), coerce=int)
    frequency = forms.ChoiceField(label=_("检查频次"), choices=Frequency.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None:
            self.fields["owner"].choices = _people_choices(self.obj.unit)[1:]


class ChangeMeasureForm(WorkflowForm):
    intro = _("将措施改交给其他责任人，或调整管控层级、检查频次。")
    measure = forms.TypedChoiceField(label=_("管控措施"), coerce=int)
    owner = forms.TypedChoiceField(label=_("责任人"), coerce=int)
    level = forms.ChoiceField(label=_("管控层级"), choices=ControlLevel.choices)
    frequency = forms.ChoiceField(label=_("检查频次"), choices=Frequency.choices)
    text = forms.CharField(
        label=_("措施内容"), widget=_text(2), required=False, max_length=1000,
        help_text=_("不填则不改"),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None:
            rows = self.obj.measures.filter(active=True).order_by("pk")
            self.fields["measure"].choices = [(m.pk, m.text[:60]) for m in rows]
            self.fields["owner"].choices = _people_choices(self.obj.unit)[1:]


class RemoveMeasureForm(WorkflowForm):
    measure = forms.TypedChoiceField(label=_("管控措施"), coerce=int)
    note = forms.CharField(label=_("停用原因"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None:
            rows = self.obj.measures.filter(active=True).order_by("pk")
            self.fields["measure"].choices = [(m.pk, m.text[:60]) for m in rows]


class CheckForm(WorkflowForm):
    """The phone's check: one measure, passed or failed, a note and a photo."""

    measure = forms.TypedChoiceField(label=_("管控措施"), coerce=int)
    result = forms.ChoiceField(
        label=_("检查结果"), choices=CheckResult.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("检查情况"),
        widget=_text(3),
        required=False,
        max_length=1000,
        help_text=_("未落实时必填：写明发现的问题"),
    )
    photos = forms.ImageField(
        label=_("照片"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None and self.actor is not None:
            from xiaoan.risks import services

            rows = services.checkable_measures(self.actor, self.obj).order_by("next_due", "pk")
            self.fields["measure"].choices = [
                (m.pk, f"{m.text[:60]}（{m.get_frequency_display()}）") for m in rows
            ]
        if not self.is_bound:
            import uuid

            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)

    def clean_photos(self):
        photo = self.cleaned_data.get("photos")
        return [photo] if photo else []


class RetireForm(WorkflowForm):
    note = forms.CharField(label=_("撤销原因"), widget=_text(2), max_length=500)


class RestoreForm(WorkflowForm):
    note = forms.CharField(label=_("说明"), widget=_text(2), required=False, max_length=500)


class MethodForm(StyledFormMixin, forms.Form):
    unit = forms.TypedChoiceField(label=_("单位"), coerce=int)
    method = forms.ChoiceField(label=_("评估方法"), choices=Method.choices)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from xiaoan.risks import services

        self.fields["unit"].choices = [
            (u.pk, u.name) for u in services.managed_units(user, services.CHANGE)[:500]
        ]


class LibraryForm(StyledFormMixin, forms.Form):
    unit = forms.TypedChoiceField(label=_("登记到单位"), coerce=int)
    code = forms.ChoiceField(label=_("风险清单模板"))
    owner = forms.TypedChoiceField(
        label=_("管控措施责任人"), coerce=int, help_text=_("复制后可逐条改交给具体岗位的人员")
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from xiaoan.risks import library, services

        units = list(services.managed_units(user)[:500])
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        self.fields["code"].choices = [(s.code, s.name) for s in library.starting_lists()]
        home = getattr(user, "unit", None) or (units[0] if units else None)
        people = list(services.people_of(home)[:500]) if home is not None else []
        self.fields["owner"].choices = [(p.pk, p.display_name) for p in people]
        if user is not None and not self.is_bound:
            self.initial.setdefault("owner", user.pk)

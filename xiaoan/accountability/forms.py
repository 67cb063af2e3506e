"""Forms of the accountability pages: they shape input; every rule is the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoan.accountability import services
from xiaoan.accountability.choices import DecisionKind
from xiaoan.core.forms import StyledFormMixin
from xiaoan.core.ids import IdFormField
from xiaoan.core.workflow_pages import WorkflowForm
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit

LOCAL = "%Y-%m-%dT%H:%M"


def _text(rows: int = 2) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _date(label) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class DecisionForm(StyledFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("决定单位"), queryset=None)
    kind = forms.ChoiceField(label=_("类型"), choices=DecisionKind.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    decided_on = _date(_("决定日期"))
    basis = forms.CharField(label=_("依据"), required=False, widget=_text(3))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = services.authority_units(user).order_by("path")


class DecisionEditForm(StyledFormMixin, forms.Form):
    """A draft's own fields (its unit stays: the entries are units below it)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    kind = forms.ChoiceField(label=_("类型"), choices=DecisionKind.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    decided_on = _date(_("决定日期"))
    basis = forms.CharField(label=_("依据"), required=False, widget=_text(3))


class AddEntryForm(WorkflowForm):
    intro = _("列入时保存该单位当日的数据（隐患、督办、履职等），此后不再变化。")
    target = forms.TypedChoiceField(label=_("对象单位"), coerce=int)
    reason = forms.CharField(label=_("事由"), widget=_text())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        below = []
        if self.obj is not None:
            below = (
                Unit.objects.filter(path__startswith=self.obj.unit.path, is_active=True)
                .exclude(pk=self.obj.unit_id)
                .exclude(kind=UnitKind.SECTION)
                .filter(kind__in=(UnitKind.AUTHORITY, UnitKind.SCHOOL))
                .order_by("path")
                .values_list("pk", "name")[:500]
            )
        self.fields["target"].choices = list(below)


class RemoveEntryForm(WorkflowForm):
    entry = IdFormField(widget=forms.HiddenInput)


class IssueForm(WorkflowForm):
    intro = _("印发后，名单中的单位可以看到本决定和本单位的条目。")


class MeetingForm(WorkflowForm):
    meeting_at = forms.DateTimeField(
        label=_("约谈时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL),
        input_formats=[LOCAL, "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label=_("约谈地点"), max_length=200)
    attendees = forms.CharField(label=_("参加人员"), required=False, widget=_text())
    minutes = forms.CharField(label=_("约谈纪要"), widget=_text(4))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Recorded already: the form corrects what was written, never starts it again blank.
        if self.obj is not None and not self.is_bound and self.obj.meeting_at:
            from django.utils import timezone

            self.intro = _("约谈已记录；修改后保存即更正记录。")
            self.initial.setdefault("meeting_at", timezone.localtime(self.obj.meeting_at))
            for name in ("place", "attendees", "minutes"):
                self.initial.setdefault(name, getattr(self.obj, name))


class CommitForm(WorkflowForm):
    entry = forms.TypedChoiceField(label=_("承诺单位"), coerce=int)
    text = forms.CharField(label=_("整改承诺"), widget=_text(3))
    due_on = _date(_("完成期限"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rows = []
        if self.obj is not None:
            rows = self.obj.entries.order_by("id").values_list("pk", "target__name")
        self.fields["entry"].choices = list(rows)


class CloseForm(WorkflowForm):
    note = forms.CharField(label=_("办结说明"), required=False, widget=_text())


class NoteForm(WorkflowForm):
    note = forms.CharField(label=_("原因"), widget=_text())


class ReportForm(WorkflowForm):
    note = forms.CharField(label=_("完成情况"), widget=_text(3))


class AcceptForm(WorkflowForm):
    note = forms.CharField(label=_("验收意见"), required=False, widget=_text())


class EvidenceForm(forms.Form):
    """The evidence page's choices (GET)."""

    kind = forms.ChoiceField(label=_("类型"), choices=DecisionKind.choices, required=False)
    rank = forms.ChoiceField(
        label=_("范围"),
        choices=[("children", _("下一级单位")), ("schools", _("全部学校"))],
        required=False,
    )

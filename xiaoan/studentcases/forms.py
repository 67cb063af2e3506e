from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoan.core.forms import StyledFormMixin
from xiaoan.core.workflow_pages import WorkflowForm
from xiaoan.studentcases import services
from xiaoan.studentcases.choices import CaseCategory

AREA = forms.Textarea(attrs={"rows": 4})
DATE = forms.DateInput(attrs={"type": "date"})


class _SchoolForm(StyledFormMixin, forms.Form):
    """The school is one where the person holds the role; the 包保 one of its people."""

    add_perm = services.ADD

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        schools = services.schools_for(user, self.add_perm)
        self.fields["unit"].queryset = schools
        school = schools.first() if schools.count() == 1 else None
        if school is not None:
            self.fields["unit"].initial = school.pk
        from xiaoan.accounts.models import User

        people = User.objects.none()
        for unit in schools:
            people |= services.school_people(unit)
        self.fields["responsible"].queryset = people.distinct().order_by("name")


class CaseForm(_SchoolForm):
    unit = forms.ModelChoiceField(label=_("学校"), queryset=None)
    category = forms.ChoiceField(label=_("类别"), choices=CaseCategory.choices)
    student_name = forms.CharField(label=_("学生姓名"), max_length=50)
    class_name = forms.CharField(label=_("班级"), max_length=50)
    guardian_contact = forms.CharField(label=_("监护人及联系方式"), max_length=100, required=False)
    situation = forms.CharField(label=_("情况说明"), max_length=2000, widget=AREA)
    responsible = forms.ModelChoiceField(label=_("包保责任人"), queryset=None)


class FollowUpForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("跟进情况"), max_length=2000, widget=AREA)


class CloseForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    note = forms.CharField(label=_("结案说明"), max_length=500, widget=AREA)


class BullyingForm(_SchoolForm):
    add_perm = services.ADD_BULLYING
    unit = forms.ModelChoiceField(label=_("学校"), queryset=None)
    reported_on = forms.DateField(label=_("报告日期"), widget=DATE)
    victim_name = forms.CharField(label=_("受害学生"), max_length=50)
    accused_names = forms.CharField(label=_("涉事学生"), max_length=200)
    description = forms.CharField(label=_("事件经过"), max_length=2000, widget=AREA)
    responsible = forms.ModelChoiceField(label=_("包保责任人"), queryset=None)


class ScreeningForm(_SchoolForm):
    add_perm = services.ADD_SCREENING
    unit = forms.ModelChoiceField(label=_("学校"), queryset=None)
    semester = forms.CharField(label=_("学期"), max_length=30)
    screened_on = forms.DateField(label=_("排查日期"), widget=DATE)
    summary = forms.CharField(label=_("排查情况"), max_length=2000, widget=AREA, required=False)
    cases = forms.ModelMultipleChoiceField(label=_("发现的个案"), queryset=None, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        del self.fields["responsible"]
        from xiaoan.studentcases.models import StudentCase

        self.fields["cases"].queryset = StudentCase.objects.filter(
            unit__in=services.schools_for(user, self.add_perm)
        ).order_by("-id")
        self.fields["cases"].label_from_instance = lambda c: f"{c.number} {c.student_name}"

    responsible = forms.ModelChoiceField(queryset=None, required=False)


# ---------------------------------------------------------------- bullying steps


class DetermineForm(WorkflowForm):
    determination = forms.CharField(label=_("认定意见"), max_length=2000, widget=AREA)
    on = forms.DateField(label=_("认定日期"), widget=DATE, required=False)


class RequestForm(WorkflowForm):
    on = forms.DateField(label=_("申请日期"), widget=DATE, required=False)


class ResultForm(WorkflowForm):
    result = forms.CharField(label=_("结论"), max_length=2000, widget=AREA)
    on = forms.DateField(label=_("日期"), widget=DATE, required=False)


class BullyingCloseForm(WorkflowForm):
    intro = _("无人在期限内申请复查（复核），或结论已作出：结案。")

"""The record page's side of a workflow (`xiaoan.core.workflow`): the action forms and buttons
the page shows, and one POST view per declared action.

An app gives the record page `action_panel(request, WORKFLOW, obj, bound=…)` as `actions` and
includes `includes/workflow_actions.html`; its urls.py adds `action_urls(ItsActionView)`,
where `ItsActionView(WorkflowActionView)` names the workflow, the record template and the
record page's context (shown again, with the form's errors, when a service refuses).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from xiaoan.core.errors import Conflict, ServiceError
from xiaoan.core.forms import StyledFormMixin
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.views import raise_for_service_error
from xiaoan.core.workflow import Action, Button, Workflow


class WorkflowForm(StyledFormMixin, forms.Form):
    """An action's form. It carries the version of the record the person was looking at;
    a form that needs choices scoped to the person builds them from `obj` and `actor`."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    intro = ""  # a sentence shown above the fields

    def __init__(
        self, *args, obj: Any = None, actor: Any = None, action: Action | None = None, **kwargs
    ):
        self.obj, self.actor, self.action = obj, actor, action
        self.action_name = action.name if action is not None else "action"
        kwargs.setdefault("auto_id", f"id_{self.action_name}_%s")
        super().__init__(*args, **kwargs)
        if obj is not None and not self.is_bound:
            self.initial.setdefault("version", obj.version)

    def clean(self):
        cleaned = super().clean()
        decision = self.action.decision if self.action is not None else ""
        if decision:
            # Two submit buttons (pass / refuse) carry the decision, not a field.
            value = self.data.get(decision)
            if value not in ("1", "0"):
                raise ValidationError(_("请选择通过或不通过。"))
            cleaned[decision] = value == "1"
        return cleaned


@dataclass
class PanelEntry:
    """One action on the record page: its form, where it posts, how its buttons look."""

    action: Action
    form: WorkflowForm
    url: str
    open: bool = False

    @property
    def key(self) -> str:
        return self.action.name

    @property
    def label(self) -> str:
        return str(self.action.label)

    @property
    def primary(self) -> bool:
        return self.action.style == "primary"

    @property
    def buttons(self) -> tuple[Button, ...]:
        if self.action.buttons:
            return self.action.buttons
        style = {"primary": "primary", "danger": "outline-danger"}.get(
            self.action.style, "outline-primary"
        )
        return (Button(self.label, style),)


def url_name(workflow: Workflow, action: Action) -> str:
    meta = workflow.model._meta
    return f"{meta.app_label}:{meta.model_name}_{action.name}"


def action_panel(
    request,
    workflow: Workflow,
    obj: Any,
    bound: WorkflowForm | None = None,
    allowed: list | None = None,
) -> list[PanelEntry]:
    """The page's actions: those `allowed_actions` offers (or `allowed`, when the page has
    asked already) that have a form, each with a fresh form, or `bound` (a refused
    submission, opened, with its errors and what was typed). Without one, the first primary
    action is opened."""
    entries = []
    if allowed is None:
        allowed = workflow.allowed_actions(request.user, obj)
    for action in allowed:
        if action.form is None:
            continue
        mine = bound is not None and bound.action_name == action.name
        form = bound if mine else action.form(obj=obj, actor=request.user, action=action)
        url = reverse(url_name(workflow, action), args=[obj.pk])
        entries.append(PanelEntry(action, form, url, open=mine))
    if bound is None:
        first = next((e for e in entries if e.primary), None)
        if first is not None:
            first.open = True
    return entries


class WorkflowActionView(LoginRequiredMixin, View):
    """POST one action's form; the declared service decides. A stale version or a state that
    changed meanwhile comes back as a message on the fresh record page; any other refusal
    re-renders the record page (400) with the form's errors and what was typed."""

    http_method_names = ["post"]
    workflow: Workflow
    action_name = ""
    template_name = ""
    done_message = gettext_lazy("已完成：%(action)s。")

    @property
    def action(self) -> Action:
        return self.workflow.actions[self.action_name]

    def dispatch(self, request, *args, **kwargs):
        # Who holds the action nowhere gets a 403 before any record is looked up. A page a
        # subclass shows on GET is scoped by its own view check, not by the action's right.
        if (
            request.method == "POST"
            and request.user.is_authenticated
            and not self.may_try(request.user)
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def may_try(self, user: Any) -> bool:
        """Whether `user` may take the action somewhere (override to widen, e.g. for the
        people a record names; the service still decides on the record)."""
        return has_permission_anywhere(user, self.action.permission)

    def get_queryset(self):
        return self.workflow.model._default_manager.restrict(self.request.user, "view")

    def record_context(self, obj: Any, bound: WorkflowForm) -> dict[str, Any]:
        """The record page's context, with `bound` among its actions."""
        raise NotImplementedError

    def success_url(self, obj: Any) -> str:
        meta = self.workflow.model._meta
        return reverse(f"{meta.app_label}:{meta.model_name}_detail", args=[obj.pk])

    def post(self, request, pk):
        obj = get_object_or_404(self.get_queryset(), pk=pk)
        action = self.action
        form = action.form(request.POST, request.FILES, obj=obj, actor=request.user, action=action)
        if form.is_valid():
            try:
                action.service(request.user, obj.pk, **form.cleaned_data)
            except Conflict as error:
                messages.error(request, str(error.message))
                return redirect(self.success_url(obj))
            except ServiceError as error:
                raise_for_service_error(error, form)
            else:
                messages.success(request, self.done_message % {"action": action.label})
                return redirect(self.success_url(obj))
        context = self.record_context(obj, bound=form)
        context["form_error_key"] = action.name
        return render(request, self.template_name, context, status=400)


def action_urls(view: type[WorkflowActionView]) -> list[URLPattern]:
    """`<pk>/<slug>/` for every action with a form, named `<model>_<action>`."""
    meta = view.workflow.model._meta
    return [
        path(
            f"<int:pk>/{action.slug}/",
            view.as_view(action_name=action.name),
            name=f"{meta.model_name}_{action.name}",
        )
        for action in view.workflow.actions.values()
        if action.form is not None
    ]

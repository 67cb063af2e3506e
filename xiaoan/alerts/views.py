"""The alert pages: the list (filters), an alert's page with its steps and history, the
silences, the rules, and a bureau's posted warnings with each school's progress."""

from __future__ import annotations

import uuid
from typing import Any

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import View

from xiaoan.alerts import bulletins, intake, rules, services, silences
from xiaoan.alerts.choices import AlertOrigin, AlertStatus, Severity
from xiaoan.alerts.filtersets import AlertFilter
from xiaoan.alerts.forms import RuleForm, SilenceForm, SourceForm, WarningForm
from xiaoan.alerts.models import Alert, AlertRule, AlertSource, Bulletin, Silence
from xiaoan.alerts.workflow import ALERT
from xiaoan.core.idempotency import request_fingerprint
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.views import (
    ScopedListView,
    ScopedMixin,
    ServiceActionView,
    ServiceFormView,
    photo_response,
)
from xiaoan.core.workflow_pages import WorkflowActionView, action_panel

DETAIL = "alerts/alert_detail.html"


def alert_context(request, alert: Alert, bound=None) -> dict[str, Any]:
    now = timezone.now()
    return {
        "alert": alert,
        "object": alert,
        "actions": action_panel(request, ALERT, alert, bound),
        "events": services.events_of(alert),
        "ack_overdue": alert.ack_overdue(now),
        "handle_overdue": alert.handle_overdue(now),
        "silenced": alert.silenced_by_id is not None,
        "photos": [
            reverse("alerts:alert_photo", args=[alert.pk, p.pk]) for p in alert.photos.all()
        ],
    }


class AlertListView(ScopedListView):
    model = Alert
    filterset_class = AlertFilter
    template_name = "alerts/alert_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("unit").order_by("-last_seen", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["statuses"] = AlertStatus.choices
        context["severities"] = Severity.choices
        context["origins"] = AlertOrigin.choices
        context["units"] = services.Unit.objects.restrict(user).order_by("path")[:300]
        context["now"] = timezone.now()
        context["can_silence"] = has_permission_anywhere(user, services.ADD_SILENCE)
        context["can_rules"] = has_permission_anywhere(user, "alerts.view_alertrule")
        context["can_warn"] = has_permission_anywhere(user, "alerts.view_bulletin")
        return context


class AlertDetailView(ScopedMixin, View):
    model = Alert

    def get(self, request, pk):
        alert = services.load(request.user, pk)
        return render(request, DETAIL, alert_context(request, alert))


class AlertPhotoView(ScopedMixin, View):
    model = Alert

    def get(self, request, pk, photo_pk):
        return photo_response(services.load_photo(request.user, pk, photo_pk))


class AlertActionView(WorkflowActionView):
    workflow = ALERT
    template_name = DETAIL

    def record_context(self, obj, bound):
        return alert_context(self.request, services.load(self.request.user, obj.pk), bound)


# ---------------------------------------------------------------- silences


class SilenceListView(ScopedListView):
    model = Silence
    template_name = "alerts/silence_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "created_by").order_by("-ends_at")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["now"] = timezone.now()
        context["can_add"] = has_permission_anywhere(user, services.ADD_SILENCE)
        context["can_end"] = has_permission_anywhere(user, services.CHANGE_SILENCE)
        return context


class SilenceCreateView(ServiceFormView):
    model = Silence
    permission_action = "add"
    form_class = SilenceForm
    template_name = "alerts/form.html"
    success_message = gettext_lazy("已设置静默。")
    extra_context = {"title": gettext_lazy("设置静默（维护窗口）")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        return silences.create_silence(self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("alerts:silence_list")


class SilenceEndView(ServiceActionView):
    model = Silence
    permission_action = "change"
    success_message = gettext_lazy("静默已结束。")

    def perform(self):
        return silences.end_silence(self.request.user, self.kwargs["pk"])

    def get_success_url(self):
        return reverse("alerts:silence_list")


# ---------------------------------------------------------------- rules


class RuleListView(ScopedListView):
    model = AlertRule
    template_name = "alerts/rule_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("owner").order_by("-is_active", "name")

    def get_context_data(self, **kwargs):
        from xiaoan.alerts.conditions import conditions

        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["labels"] = {c.code: c.label for c in conditions().values()}
        context["can_add"] = has_permission_anywhere(user, services.ADD_RULE)
        context["can_change"] = has_permission_anywhere(user, services.CHANGE_RULE)
        return context


class RuleCreateView(ServiceFormView):
    model = AlertRule
    permission_action = "add"
    form_class = RuleForm
    template_name = "alerts/form.html"
    success_message = gettext_lazy("已保存预警规则。")
    extra_context = {"title": gettext_lazy("新建预警规则")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        return rules.create_rule(self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("alerts:rule_list")


class RuleEditView(RuleCreateView):
    permission_action = "change"
    extra_context = {"title": gettext_lazy("修改预警规则")}

    record_action = "change"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # The owner stays; the form shows it but the service never moves a rule.
        return kwargs

    def get_initial(self):
        rule = self.record
        return {
            "owner": rule.owner_id,
            "name": rule.name,
            "condition": rule.condition,
            "thresholds": "\n".join(f"{k}={v}" for k, v in rule.thresholds.items()),
            "severity": rule.severity,
            "roles": rule.roles,
            "is_active": rule.is_active,
        }

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["owner"].required = False
        form.fields["owner"].disabled = True
        form.fields["owner"].queryset = services.Unit.objects.filter(pk=self.record.owner_id)
        return form

    def perform(self, form):
        data = dict(form.cleaned_data)
        data.pop("owner", None)
        return rules.update_rule(self.request.user, self.record.pk, **data)


class RuleDeactivateView(ServiceActionView):
    model = AlertRule
    permission_action = "change"
    success_message = gettext_lazy("规则已停用。")

    def perform(self):
        return rules.deactivate_rule(self.request.user, self.kwargs["pk"])

    def get_success_url(self):
        return reverse("alerts:rule_list")


# ---------------------------------------------------------------- posted warnings


class WarningListView(ScopedListView):
    model = Bulletin
    template_name = "alerts/warning_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("unit").order_by("-created_at", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = has_permission_anywhere(self.request.user, services.ADD_BULLETIN)
        return context


class WarningCreateView(ServiceFormView):
    model = Bulletin
    permission_action = "add"
    form_class = WarningForm
    template_name = "alerts/form.html"
    success_message = gettext_lazy("预警已发布到下级学校。")
    extra_context = {"title": gettext_lazy("发布预警")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # A double tap posts once (xiaoan.core.idempotency).
        context["idempotency_key"] = self.request.POST.get("idempotency_key") or uuid.uuid4().hex
        return context

    def perform(self, form):
        return bulletins.post_warning(
            self.request.user,
            idempotency_key=self.request.POST.get("idempotency_key"),
            fingerprint=request_fingerprint(self.request),
            **form.cleaned_data,
        )

    def get_success_url(self):
        return reverse("alerts:warning_detail", args=[self.result.pk])


class WarningDetailView(ScopedMixin, View):
    model = Bulletin

    def get(self, request, pk):
        bulletin = bulletins.load_bulletin(request.user, pk)
        context = {"bulletin": bulletin, **bulletins.progress_of(bulletin)}
        return render(request, "alerts/warning_detail.html", context)


# ---------------------------------------------------------------- outside sources


def _secret_page(request, source, secret: str):
    """The secret, shown this once: never stored where a page could show it again."""
    response = render(request, "alerts/source_secret.html", {"source": source, "secret": secret})
    response["Cache-Control"] = "no-store"
    return response


class SourceListView(ScopedListView):
    model = AlertSource
    template_name = "alerts/source_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("unit").order_by("unit__path", "name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = has_permission_anywhere(self.request.user, intake.ADD)
        return context


class SourceCreateView(ServiceFormView):
    model = AlertSource
    permission_action = "add"
    form_class = SourceForm
    template_name = "alerts/form.html"
    extra_context = {"title": gettext_lazy("登记外部预警来源")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        self.made = intake.create_source(self.request.user, **form.cleaned_data)
        return self.made[0]

    def success_response(self):
        return _secret_page(self.request, *self.made)


class SourceDetailView(ScopedMixin, View):
    model = AlertSource

    def get(self, request, pk):
        source = intake.load_source(request.user, pk)
        may_change = AlertSource.objects.restrict(request.user, "change").filter(pk=source.pk)
        context = {
            "source": source,
            "may_change": may_change.exists(),
            "rejections": source.rejections.order_by("-received_at", "-id")[:20],
            "alerts": Alert.objects.filter(source=source).order_by("-last_seen", "-id")[:10],
            "intake_url": request.build_absolute_uri(reverse("api:alert-intake")),
            "alertmanager_url": request.build_absolute_uri(reverse("api:alert-alertmanager")),
        }
        return render(request, "alerts/source_detail.html", context)


class SourceRotateView(ScopedMixin, View):
    model = AlertSource
    permission_action = "change"
    http_method_names = ["post"]

    def post(self, request, pk):
        source, secret = intake.rotate_secret(request.user, pk)
        return _secret_page(request, source, secret)


class SourceActiveView(ServiceActionView):
    model = AlertSource
    permission_action = "change"
    active = True

    def get_success_message(self):
        return gettext_lazy("来源已启用。") if self.active else gettext_lazy("来源已停用。")

    def perform(self):
        self.success_message = self.get_success_message()
        return intake.set_active(self.request.user, self.kwargs["pk"], self.active)

    def get_success_url(self):
        return reverse("alerts:source_detail", args=[self.kwargs["pk"]])

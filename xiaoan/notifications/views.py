"""The in-app inbox: one's own messages only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from xiaoan.notifications import services
from xiaoan.notifications.models import Notification, Preference


class InboxView(LoginRequiredMixin, ListView):
    template_name = "notifications/inbox.html"
    paginate_by = 30

    def get_queryset(self):
        queryset = Notification.objects.filter(recipient=self.request.user)
        if self.request.GET.get("unread"):
            queryset = queryset.filter(read_at__isnull=True)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["unread"] = services.unread_count(self.request.user)
        context["only_unread"] = bool(self.request.GET.get("unread"))
        context["query_string"] = "unread=1" if context["only_unread"] else ""
        context["email_choice"] = services.email_choice(self.request.user)
        context["email_choices"] = Preference.Email.choices
        return context


class MarkAllReadView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        count = services.mark_read(request.user)
        if count:
            messages.success(request, _("已将 %(n)d 条消息标为已读。") % {"n": count})
        return redirect("notifications:inbox")


class PreferenceView(LoginRequiredMixin, View):
    """One's own email choice: each notice, a daily digest, or none."""

    http_method_names = ["post"]

    def post(self, request):
        choice = request.POST.get("email", "")
        if choice in Preference.Email.values:
            services.set_email_choice(request.user, choice)
            messages.success(request, _("邮件提醒设置已保存。"))
        else:
            messages.error(request, _("请选择邮件提醒方式。"))
        return redirect(reverse("notifications:inbox") + "#email-preference")


class OpenView(LoginRequiredMixin, View):
    """Mark one message read and go where it points (a page of this site only); `?item=`
    follows one entry of a grouped message."""

    def get(self, request, pk):
        notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
        services.mark_read(request.user, [notification.pk])
        target = notification.url
        item = request.GET.get("item", "")
        if item.isdigit() and int(item) < len(notification.items):
            target = notification.items[int(item)].get("url") or ""
        if not target or not url_has_allowed_host_and_scheme(
            target, {request.get_host()}, require_https=request.is_secure()
        ):
            return redirect("notifications:inbox")
        return redirect(target)

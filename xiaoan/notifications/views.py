"""The in-app inbox: one's own messages only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from xiaoan.notifications import services
from xiaoan.notifications.models import Notification


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
        return context


class MarkAllReadView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        count = services.mark_read(request.user)
        if count:
            messages.success(request, _("已将 %(n)d 条消息标为已读。") % {"n": count})
        return redirect("notifications:inbox")


class OpenView(LoginRequiredMixin, View):
    """Mark one message read and go where it points (a page of this site only)."""

    def get(self, request, pk):
        notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
        services.mark_read(request.user, [notification.pk])
        target = notification.url
        if not target or not url_has_allowed_host_and_scheme(
            target, {request.get_host()}, require_https=request.is_secure()
        ):
            return redirect("notifications:inbox")
        return redirect(target)

"""The channel pages: a unit's robots and SMS lists, their form, a page per channel with its
test button and latest deliveries, and the delivery log."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from xiaoan.channels import services
from xiaoan.channels.choices import Category, ChannelKind, DeliveryStatus
from xiaoan.channels.filtersets import ChannelFilter, DeliveryFilter
from xiaoan.channels.forms import ChannelForm
from xiaoan.channels.models import Channel, Delivery
from xiaoan.core.errors import Forbidden, NotFound, ServiceError
from xiaoan.core.ids import record_id
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.views import ScopedListView, ScopedMixin, ServiceFormView

RECENT = 20


class ChannelListView(ScopedListView):
    model = Channel
    filterset_class = ChannelFilter
    template_name = "channels/channel_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("unit").order_by("unit__path", "name", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [(c, services.masked_target(c)) for c in context["object_list"]]
        context["can_add"] = has_permission_anywhere(self.request.user, services.ADD)
        context["kinds"] = ChannelKind.choices
        return context


class ChannelCreateView(ServiceFormView):
    model = Channel
    permission_action = "add"
    form_class = ChannelForm
    template_name = "channels/channel_form.html"
    success_message = gettext_lazy("已添加消息推送渠道。")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        initial = super().get_initial()
        unit = self.request.GET.get("unit") or getattr(self.request.current_unit, "pk", None)
        if unit:
            initial["unit"] = unit
        return initial

    def perform(self, form):
        data = dict(form.cleaned_data)
        data.pop("clear_secret", None)
        return services.create_channel(self.request.user, **data)

    def get_success_url(self):
        return reverse("channels:channel_detail", args=[self.result.pk])


class ChannelEditView(ServiceFormView):
    model = Channel
    permission_action = "change"
    form_class = ChannelForm
    template_name = "channels/channel_form.html"
    success_message = gettext_lazy("已保存。")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_access(request.user):
            self.record = self.get_record(record_id(kwargs["pk"]), "change")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "record": self.record}

    def get_initial(self):
        r = self.record
        return {
            "name": r.name,
            "min_severity": r.min_severity,
            "categories": r.categories,
            "include_subtree": r.include_subtree,
        }

    def perform(self, form):
        return services.update_channel(self.request.user, self.record.pk, **form.cleaned_data)

    def get_success_url(self):
        return reverse("channels:channel_detail", args=[self.record.pk])


class ChannelDetailView(ScopedMixin, TemplateView):
    model = Channel
    template_name = "channels/channel_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        channel = self.get_record(record_id(kwargs["pk"]))
        user = self.request.user
        can_see_log = has_permission_anywhere(user, "channels.view_delivery")
        recent = channel.deliveries.order_by("-created_at", "-id")[:RECENT] if can_see_log else []
        context.update(
            channel=channel,
            object=channel,
            target=services.masked_target(channel),
            can_change=Channel.objects.restrict(self.request.user, "change")
            .filter(pk=channel.pk)
            .exists(),
            can_see_log=can_see_log,
            deliveries=list(recent),
            categories=[Category(c).label for c in channel.categories if c in Category.values],
        )
        return context


class ChannelPostView(ScopedMixin, View):
    """A button on the channel's page (POST): the result is a message on that page."""

    model = Channel
    permission_action = "change"
    http_method_names = ["post"]

    def act(self, request, pk) -> None:
        raise NotImplementedError

    def post(self, request, pk):
        try:
            self.act(request, pk)
        except (NotFound, Forbidden):
            raise
        except ServiceError as error:
            messages.error(request, str(error.message))
        return HttpResponseRedirect(reverse("channels:channel_detail", args=[pk]))


class ChannelTestView(ChannelPostView):
    def act(self, request, pk) -> None:
        delivery = services.send_test(request.user, pk)
        if delivery.status == DeliveryStatus.SENT:
            messages.success(request, _("测试消息已发送成功。"))
        else:
            messages.error(
                request,
                _("测试消息发送失败：%(e)s") % {"e": delivery.last_error or _("未知错误")},
            )


class ChannelDeactivateView(ChannelPostView):
    def act(self, request, pk) -> None:
        services.set_active(request.user, pk, False)
        messages.success(request, _("已停用该渠道，不再向其发送消息。"))


class ChannelActivateView(ChannelPostView):
    def act(self, request, pk) -> None:
        services.set_active(request.user, pk, True)
        messages.success(request, _("已启用该渠道。"))


class DeliveryListView(ScopedListView):
    model = Delivery
    filterset_class = DeliveryFilter
    template_name = "channels/delivery_list.html"

    def get_queryset(self):
        return (
            super().get_queryset().select_related("channel", "unit").order_by("-created_at", "-id")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["statuses"] = DeliveryStatus.choices
        context["channels"] = (
            Channel.objects.restrict(self.request.user, "view")
            .select_related("unit")
            .order_by("unit__path", "name")[:200]
        )
        return context

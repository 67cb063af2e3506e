"""The staff pages: the reports of one's scope (filters), a report (its photos, the phone
number as the person may read it, the action panel and history; each read audited), each
photo (checked), and per school the public page's address, QR code and printable poster,
with rotating its address and switching it off."""

from __future__ import annotations

from typing import Any

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.views import ScopedListView, ScopedMixin, ServiceActionView, photo_response
from xiaoan.core.workflow_pages import WorkflowActionView, action_panel
from xiaoan.publicreports import services
from xiaoan.publicreports.choices import ReportCategory, ReportStatus
from xiaoan.publicreports.filtersets import PublicReportFilter
from xiaoan.publicreports.models import PublicChannel, PublicReport
from xiaoan.publicreports.workflow import PUBLIC_REPORT

DETAIL = "publicreports/publicreport_detail.html"


def report_context(request, report: PublicReport, bound=None) -> dict[str, Any]:
    photos = list(report.photos.all())
    return {
        "report": report,
        "object": report,
        "phone": services.phone_for(request.user, report),
        "photos": photos,
        "flagged_photos": [p for p in photos if p.flags],
        "actions": action_panel(request, PUBLIC_REPORT, report, bound),
        "events": list(report.events.select_related("actor")),
    }


class PublicReportListView(ScopedListView):
    model = PublicReport
    filterset_class = PublicReportFilter
    template_name = "publicreports/publicreport_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("unit").order_by("-created_at", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["statuses"] = ReportStatus.choices
        context["categories"] = ReportCategory.choices
        context["can_channel"] = has_permission_anywhere(self.request.user, services.CHANNEL_VIEW)
        services.audit_list(self.request.user, list(context["object_list"]), "page")
        return context


class PublicReportDetailView(ScopedMixin, View):
    model = PublicReport

    def get(self, request, pk):
        report = services.load(request.user, pk)
        services.audit_read(request.user, report, "page")
        return render(request, DETAIL, report_context(request, report))


class PublicReportActionView(WorkflowActionView):
    workflow = PUBLIC_REPORT
    template_name = DETAIL

    def record_context(self, obj, bound):
        return report_context(self.request, services.load(self.request.user, obj.pk), bound)


class PublicReportPhotoView(ScopedMixin, View):
    model = PublicReport

    def get(self, request, pk, photo):
        return photo_response(services.photo_of(request.user, pk, photo))


# ---------------------------------------------------------------- the public page's channel


class ChannelListView(ScopedMixin, View):
    model = PublicChannel

    def get(self, request):
        schools = services.channel_units(request.user).order_by("path")[:500]
        return render(request, "publicreports/channel_list.html", {"schools": schools})


def channel_context(request, channel: PublicChannel) -> dict[str, Any]:
    from xiaoan.training.views import qr_data_uri

    url = request.build_absolute_uri(reverse("public:report", args=[channel.token]))
    return {
        "channel": channel,
        "school": channel.unit,
        "public_url": url,
        "qr": qr_data_uri(url),
        "receipt_url": request.build_absolute_uri(reverse("public:receipt")),
    }


class ChannelDetailView(ScopedMixin, View):
    model = PublicChannel

    def get(self, request, unit):
        channel = services.channel_for(request.user, unit)
        context = channel_context(request, channel)
        context["may_change"] = channel.unit_id in services.own_units(
            request.user, services.CHANNEL_CHANGE
        )
        return render(request, "publicreports/channel_detail.html", context)


class ChannelPosterView(ScopedMixin, View):
    """An A4 page to print (print CSS): the school, the QR code, what happens next."""

    model = PublicChannel

    def get(self, request, unit):
        channel = services.channel_for(request.user, unit)
        return render(request, "publicreports/poster.html", channel_context(request, channel))


class ChannelPosterPdfView(ScopedMixin, View):
    model = PublicChannel

    def get(self, request, unit):
        from django.contrib import messages
        from django.http import HttpResponseRedirect

        from xiaoan.core.officialdoc import file_name
        from xiaoan.core.pdf import PDF, PdfUnavailable
        from xiaoan.core.views import attachment
        from xiaoan.publicreports.documents import poster_pdf

        channel = services.channel_for(request.user, unit)
        context = channel_context(request, channel)
        try:
            data = poster_pdf(channel.unit.name, context["public_url"])
        except PdfUnavailable as error:
            messages.error(request, str(error.message))
            return HttpResponseRedirect(reverse("publicreports:channel_detail", args=[unit]))
        name = file_name(_("%(s)s-群众举报海报") % {"s": channel.unit.name}, "pdf")
        return attachment(data, PDF, name)


class ChannelRotateView(ServiceActionView):
    model = PublicChannel
    permission_action = "change"
    success_message = gettext_lazy("已更换公开地址，旧地址和旧海报不再可用，请重新打印海报。")

    def perform(self):
        return services.rotate(self.request.user, self.kwargs["unit"])

    def get_success_url(self):
        return reverse("publicreports:channel_detail", args=[self.kwargs["unit"]])


class ChannelSwitchView(ServiceActionView):
    model = PublicChannel
    permission_action = "change"

    def perform(self):
        enabled = self.request.POST.get("enabled") == "1"
        channel = services.set_enabled(self.request.user, self.kwargs["unit"], enabled=enabled)
        self.success_message = (
            gettext_lazy("已开放群众举报。")
            if channel.enabled
            else gettext_lazy("已关闭群众举报。")
        )
        return channel

    def get_success_url(self):
        return reverse("publicreports:channel_detail", args=[self.kwargs["unit"]])

"""The public side (no account, no login): a school's report page (a plain form post that
works without JavaScript, phone first), the page after it with the receipt code, and the
reporter's status page by receipt code. An unknown, rotated or closed address and a wrong
receipt code answer the same 404 page; past a limit the answer is 429 with its message."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from xiaoan.accounts.throttling import TooManyRequests
from xiaoan.audit.services import client_ip
from xiaoan.core.errors import NotFound, ServiceError
from xiaoan.core.views import raise_for_service_error
from xiaoan.publicreports import services
from xiaoan.publicreports.forms import PublicReportForm, ReceiptForm

FIELDS = ("category", "description", "place", "phone", "photos", "website", "form_token")


def not_found(request):
    return render(request, "publicreports/public_404.html", status=404)


def _answer(response):
    # The pages hold a one-time code or a signed form: kept by no cache.
    response["Cache-Control"] = "no-store"
    return response


@method_decorator(never_cache, name="dispatch")
class PublicReportView(View):
    template_name = "publicreports/public_form.html"

    def page(self, request, channel, form, status=200):
        context = {
            "channel": channel,
            "form": form,
            "max_photos": services.MAX_PHOTOS,
        }
        return _answer(render(request, self.template_name, context, status=status))

    def get(self, request, token):
        try:
            channel = services.open_channel(token)
        except NotFound:
            return not_found(request)
        form = PublicReportForm(initial={"form_token": services.form_token(channel)})
        return self.page(request, channel, form)

    def post(self, request, token):
        try:
            channel = services.open_channel(token)
        except NotFound:
            return not_found(request)
        form = PublicReportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(request, channel, form, status=400)
        data = {name: form.cleaned_data.get(name) for name in FIELDS}
        try:
            done = services.submit(token, address=client_ip(request) or "", **data)
        except NotFound:
            return not_found(request)
        except TooManyRequests as error:
            form.add_error(None, str(error.message))
            return self.page(request, channel, form, status=429)
        except ServiceError as error:
            raise_for_service_error(error, form)
            return self.page(request, channel, form, status=400)
        context = {"channel": channel, "receipt": done.receipt, "report": done.report}
        return _answer(render(request, "publicreports/public_done.html", context))


@method_decorator(never_cache, name="dispatch")
class ReceiptView(View):
    """By POST, so the code stays out of addresses and logs."""

    template_name = "publicreports/public_receipt.html"

    def get(self, request):
        return _answer(render(request, self.template_name, {"form": ReceiptForm()}))

    def post(self, request):
        form = ReceiptForm(request.POST)
        if not form.is_valid():
            return _answer(render(request, self.template_name, {"form": form}, status=400))
        try:
            view = services.receipt(form.cleaned_data["code"], address=client_ip(request) or "")
        except TooManyRequests as error:
            form.add_error(None, str(error.message))
            return _answer(render(request, self.template_name, {"form": form}, status=429))
        except NotFound:
            form.add_error("code", _("未找到该回执码，请核对后重试。"))
            return _answer(render(request, self.template_name, {"form": form}, status=404))
        return _answer(render(request, self.template_name, {"form": form, "view": view}))

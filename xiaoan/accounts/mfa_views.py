"""Second-factor pages: the code step of the login, enrolment, recovery codes, disabling,
and an account manager's reset."""

from __future__ import annotations

import django_otp
from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from django_otp.plugins.otp_static.models import StaticDevice

from xiaoan.accounts import mfa
from xiaoan.accounts.authority import check_may_manage
from xiaoan.accounts.models import User
from xiaoan.core.errors import ServiceError
from xiaoan.core.forms import StyledFormMixin
from xiaoan.core.services import get_scoped
from xiaoan.core.views import ServiceFormView

FAILURES = "xiaoan_mfa_failures"


class CodeForm(StyledFormMixin, forms.Form):
    code = forms.CharField(
        label=gettext_lazy("动态验证码"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class LoginCodeForm(CodeForm):
    code = forms.CharField(
        label=gettext_lazy("动态验证码或恢复码"),
        max_length=32,
        help_text=gettext_lazy("输入验证器应用显示的6位数字；手机不在身边时可输入一个恢复码。"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


def _next_url(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("core:home")


def _verified(request: HttpRequest, device) -> None:
    """Mark the session as having passed the second factor, under a new session key."""
    request.session.cycle_key()
    django_otp.login(request, device)
    request.session.pop(FAILURES, None)


class MfaVerifyView(LoginRequiredMixin, View):
    """The second step of the login: the code from the authenticator (or a recovery code)."""

    template_name = "accounts/mfa_verify.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if request.user.is_verified():
                return redirect(_next_url(request))
            if not mfa.is_enrolled(request.user):
                return redirect(f"{reverse('accounts:mfa_setup')}?next={_next_url(request)}")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._page(request, LoginCodeForm())

    def post(self, request):
        form = LoginCodeForm(request.POST)
        if form.is_valid():
            try:
                device = mfa.verify_code(request.user, form.cleaned_data["code"], request)
            except ServiceError as error:
                failures = request.session.get(FAILURES, 0) + 1
                request.session[FAILURES] = failures
                if failures >= mfa.SESSION_FAILURE_LIMIT:
                    logout(request)
                    messages.error(request, _("验证码错误次数过多，请重新登录。"))
                    return redirect("accounts:login")
                form.add_error("code", str(error.message))
            else:
                _verified(request, device)
                if isinstance(device, StaticDevice):
                    messages.warning(
                        request,
                        _("已使用一个恢复码，还剩 %(n)d 个。")
                        % {"n": mfa.recovery_codes_left(request.user)},
                    )
                return redirect(_next_url(request))
        return self._page(request, form)

    def _page(self, request, form) -> HttpResponse:
        return render(request, self.template_name, {"form": form, "next": _next_url(request)})


class MfaSetupView(ServiceFormView):
    """Enrolment: a QR code drawn here (no outside service), the secret for typing in, a
    first code to confirm; then the recovery codes, shown this once."""

    model = User
    form_class = CodeForm
    template_name = "accounts/mfa_setup.html"

    def has_access(self, user) -> bool:
        return True  # one's own second factor

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and mfa.is_enrolled(request.user):
            # Enrolling a second device must not be a way around the code step.
            if request.user.is_verified():
                return redirect("accounts:mfa_manage")
            return redirect(f"{reverse('accounts:mfa_verify')}?next={_next_url(request)}")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        device = mfa.pending_device(self.request.user)
        return {
            **super().get_context_data(**kwargs),
            "qr": mfa.qr_data_uri(device),
            "secret": mfa.secret_of(device),
            "required": mfa.mfa_required(self.request.user),
            "next": _next_url(self.request),
        }

    def perform(self, form):
        return mfa.confirm_enrolment(self.request.user, form.cleaned_data["code"])

    def success_response(self):
        device, codes = self.result
        _verified(self.request, device)
        context = {"codes": codes, "next": _next_url(self.request), "enrolled": True}
        return render(self.request, "accounts/mfa_recovery_codes.html", context)


class MfaManageView(LoginRequiredMixin, View):
    """The person's own second factor: status, new recovery codes, switching it off."""

    template_name = "accounts/mfa_manage.html"

    def get(self, request):
        return self._page(request)

    def post(self, request):
        action = request.POST.get("action")
        form = CodeForm(request.POST)
        if form.is_valid():
            code = form.cleaned_data["code"]
            try:
                if action == "disable":
                    mfa.disable(request.user, code, request)
                    messages.success(request, _("已停用双因素认证。"))
                    return redirect("accounts:mfa_manage")
                codes = mfa.regenerate_recovery_codes(request.user, code, request)
            except ServiceError as error:
                form.add_error("code", str(error.message))
                return self._page(request, form, action, error=str(error.message), status=400)
            return render(
                request,
                "accounts/mfa_recovery_codes.html",
                {"codes": codes, "next": reverse("accounts:mfa_manage")},
            )
        return self._page(request, form, action, status=400)

    def _page(
        self, request, form=None, action: str = "", error: str = "", status: int = 200
    ) -> HttpResponse:
        user = request.user
        enrolled = mfa.is_enrolled(user)
        context = {
            "enrolled": enrolled,
            "required": mfa.mfa_required(user),
            "codes_left": mfa.recovery_codes_left(user) if enrolled else 0,
            "recovery_form": form if form is not None and action != "disable" else CodeForm(),
            "disable_form": form if form is not None and action == "disable" else CodeForm(),
            "error": error,
        }
        return render(request, self.template_name, context, status=status)


class MfaResetView(LoginRequiredMixin, TemplateView):
    """An account manager removes someone's second factor (e.g. a lost phone)."""

    template_name = "accounts/mfa_reset.html"

    def get_context_data(self, **kwargs):
        user, pk = self.request.user, self.kwargs["pk"]
        if pk == user.pk:
            target = user  # the reset itself is refused by the service
        else:
            target = get_scoped(user, User, pk, "change")
            check_may_manage(user, target, "reset")
        return {
            **super().get_context_data(**kwargs),
            "object": target,
            "enrolled": mfa.is_enrolled(target),
        }

    def post(self, request, pk: int):
        target = mfa.reset_mfa(request.user, pk)
        messages.success(
            request, _("已重置“%(name)s”的双因素认证，并已通知本人。") % {"name": target}
        )
        return redirect("accounts:user_detail", pk=target.pk)

"""我的令牌: a person's own API tokens — list, create (the key is shown once), revoke."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from xiaoan.accounts import tokens
from xiaoan.core.errors import ServiceError
from xiaoan.core.forms import StyledFormMixin
from xiaoan.core.views import raise_for_service_error


class TokenForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=gettext_lazy("令牌名称"),
        max_length=100,
        help_text=gettext_lazy("例如用途或所在的系统，便于以后辨认和撤销"),
    )


class TokenListView(LoginRequiredMixin, View):
    template_name = "accounts/token_list.html"

    def get(self, request):
        return self._page(request, TokenForm())

    def post(self, request):
        form = TokenForm(request.POST)
        if not form.is_valid():
            return self._page(request, form, status=400)
        token, key = tokens.create_token(request.user, form.cleaned_data["name"])
        # The key is in this response only: it is stored as a hash.
        return self._page(request, TokenForm(), new_token=token, new_key=key)

    def _page(self, request, form, status: int = 200, **extra):
        context = {
            "form": form,
            "tokens": tokens.own_tokens(request.user),
            "days": settings.XIAOAN_API_TOKEN_DAYS,
            **extra,
        }
        return render(request, self.template_name, context, status=status)


class TokenRevokeView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        try:
            token = tokens.revoke(request.user, pk)
        except ServiceError as error:
            raise_for_service_error(error)
        messages.success(request, _("已撤销令牌“%(name)s”。") % {"name": token})
        return redirect("accounts:token_list")

"""我的令牌: a person's own API tokens — list, create (the key is shown once), revoke."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoan.accounts import tokens
from xiaoan.accounts.models import ApiToken
from xiaoan.core.forms import StyledFormMixin
from xiaoan.core.views import ServiceActionView, ServiceFormView


class TokenForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=gettext_lazy("令牌名称"),
        max_length=100,
        help_text=gettext_lazy("例如用途或所在的系统，便于以后辨认和撤销"),
    )


class _OwnTokens:
    """Everyone manages their own tokens: no permission needed, nobody else's reachable."""

    def has_access(self, user) -> bool:
        return True


class TokenListView(_OwnTokens, ServiceFormView):
    model = ApiToken
    form_class = TokenForm
    template_name = "accounts/token_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tokens"] = tokens.own_tokens(self.request.user)
        context["days"] = settings.XIAOAN_API_TOKEN_DAYS
        return context

    def perform(self, form):
        return tokens.create_token(self.request.user, form.cleaned_data["name"])

    def success_response(self):
        token, key = self.result
        # The key is in this response only: it is stored as a hash.
        context = self.get_context_data(form=TokenForm(), new_token=token, new_key=key)
        return self.render_to_response(context)


class TokenRevokeView(_OwnTokens, ServiceActionView):
    model = ApiToken

    def perform(self):
        token = tokens.revoke(self.request.user, self.kwargs["pk"])
        self.success_message = _("已撤销令牌“%(name)s”。") % {"name": token}
        return token

    def get_success_url(self) -> str:
        return reverse("accounts:token_list")

"""Custom roles: the system administrator composes permission sets; built-ins stay read-only."""

from __future__ import annotations

from django import forms
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoan.accounts import services
from xiaoan.accounts.models import Role
from xiaoan.core.forms import StyledFormMixin
from xiaoan.core.views import ServiceActionView, ServiceFormView


class RoleForm(StyledFormMixin, forms.Form):
    code = forms.SlugField(label=gettext_lazy("代码"), max_length=40)
    name = forms.CharField(label=gettext_lazy("名称"), max_length=50)
    description = forms.CharField(
        label=gettext_lazy("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_active = forms.BooleanField(label=gettext_lazy("启用"), required=False, initial=True)
    require_mfa = forms.BooleanField(
        label=gettext_lazy("要求双因素认证"),
        required=False,
        help_text=gettext_lazy("持有此角色的人登录时须输入动态验证码"),
    )
    permissions = forms.MultipleChoiceField(
        label=gettext_lazy("权限"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["permissions"].choices = services.permission_catalogue()
        self.fields["permissions"].widget.attrs["class"] = "form-check-input"


class RoleEditView(ServiceFormView):
    model = Role
    form_class = RoleForm
    template_name = "accounts/role_form.html"
    success_url = reverse_lazy("accounts:role_list")

    @property
    def permission_action(self) -> str:
        return "change" if "pk" in self.kwargs else "add"

    @cached_property
    def record(self):
        return get_object_or_404(Role, pk=self.kwargs["pk"]) if "pk" in self.kwargs else None

    def get_initial(self):
        role = self.record
        if role is None:
            return {}
        fields = ("code", "name", "description", "is_active", "require_mfa", "permissions")
        return {key: getattr(role, key) for key in fields}

    def perform(self, form):
        return services.save_role(self.request.user, self.record, form.cleaned_data)

    def get_success_message(self) -> str:
        return _("已保存角色“%(name)s”。") % {"name": self.result.name}


class RoleMfaView(ServiceActionView):
    """Switch a role's second-factor requirement (also for the built-in roles)."""

    model = Role
    permission_action = "change"

    def perform(self):
        required = self.request.POST.get("require_mfa") == "on"
        role = services.set_role_mfa(self.request.user, self.kwargs["pk"], required)
        text = (
            _("“%(name)s”的持有人登录时须使用双因素认证。")
            if role.require_mfa
            else _("“%(name)s”不再要求双因素认证。")
        )
        self.success_message = text % {"name": role.name}
        return role

    def get_success_url(self) -> str:
        return reverse("accounts:role_list")

"""Custom roles: the system administrator composes permission sets; built-ins stay read-only."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from xiaoan.accounts import services
from xiaoan.accounts.models import Role
from xiaoan.core.errors import ServiceError
from xiaoan.core.forms import StyledFormMixin
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.views import raise_for_service_error


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


class RoleEditView(LoginRequiredMixin, View):
    template_name = "accounts/role_form.html"

    def _role(self, pk):
        action = "change" if pk else "add"
        if not has_permission_anywhere(self.request.user, f"accounts.{action}_role"):
            raise PermissionDenied
        if pk is None:
            return None
        role = Role.objects.filter(pk=pk).first()
        if role is None:
            raise Http404
        return role

    def get(self, request, pk=None):
        role = self._role(pk)
        initial = {}
        if role is not None:
            initial = {
                "code": role.code,
                "name": role.name,
                "description": role.description,
                "is_active": role.is_active,
                "require_mfa": role.require_mfa,
                "permissions": role.permissions,
            }
        return render(
            request, self.template_name, {"form": RoleForm(initial=initial), "object": role}
        )

    def post(self, request, pk=None):
        role = self._role(pk)
        form = RoleForm(request.POST)
        if form.is_valid():
            try:
                saved = services.save_role(request.user, role, form.cleaned_data)
            except ServiceError as error:
                raise_for_service_error(error, form)
            else:
                messages.success(request, _("已保存角色“%(name)s”。") % {"name": saved.name})
                return redirect("accounts:role_list")
        return render(request, self.template_name, {"form": form, "object": role}, status=400)


class RoleMfaView(LoginRequiredMixin, View):
    """Switch a role's second-factor requirement (also for the built-in roles)."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        required = request.POST.get("require_mfa") == "on"
        try:
            role = services.set_role_mfa(request.user, pk, required)
        except ServiceError as error:
            raise_for_service_error(error)
        text = (
            _("“%(name)s”的持有人登录时须使用双因素认证。")
            if role.require_mfa
            else _("“%(name)s”不再要求双因素认证。")
        )
        messages.success(request, text % {"name": role.name})
        return redirect("accounts:role_list")

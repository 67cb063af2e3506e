from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from xiaoan.accounts.backends import login_name
from xiaoan.accounts.models import Role, User
from xiaoan.core.forms import StyledFormMixin
from xiaoan.orgs.models import Unit


def _unit_label(unit: Unit) -> str:
    return f"{'　' * (unit.depth - 1)}{unit.name}"


class LoginForm(StyledFormMixin, AuthenticationForm):
    username = forms.CharField(
        label=_("用户名或手机号"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _("用户名/手机号或密码错误。"),
        "inactive": _("该账号已停用。"),
    }

    def clean_username(self) -> str:
        # Mobile number and username lock the same account (see backends.login_name).
        return login_name(self.cleaned_data["username"])


class UserForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["username", "name", "mobile", "email", "unit", "position", "is_active"]

    def __init__(self, *args, unit_queryset=None, unit_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_queryset
        self.fields["unit"].required = unit_required
        self.fields["unit"].label_from_instance = _unit_label
        self.fields["name"].required = True

    def _post_clean(self) -> None:
        # Uniqueness and scope are checked by the service inside its transaction.
        pass


class UserCreateForm(UserForm):
    """No password field: the account gets a one-time password its owner replaces."""


class UserUpdateForm(UserForm):
    class Meta(UserForm.Meta):
        fields = ["name", "mobile", "email", "unit", "position", "is_active"]


class PasswordForm(StyledFormMixin, forms.Form):
    """The owner's own change: the current password, then the new one twice."""

    old_password = forms.CharField(
        label=_("当前密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    password = forms.CharField(
        label=_("新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    confirm = forms.CharField(
        label=_("再次输入新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth.password_validation import get_default_password_validators

        # Our rules, one sentence: Django's own validators repeat them in other words.
        rules = [
            str(v.get_help_text()).rstrip("。")
            for v in get_default_password_validators()
            if type(v).__module__.startswith("xiaoan.")
        ]
        self.fields["password"].help_text = "；".join(rules) + "。"

    def clean(self):
        data = super().clean()
        if data.get("password") != data.get("confirm"):
            raise forms.ValidationError(_("两次输入的密码不一致。"))
        return data


class AssignmentForm(StyledFormMixin, forms.Form):
    role = forms.ModelChoiceField(label=_("角色"), queryset=Role.objects.none())
    unit = forms.ModelChoiceField(
        label=_("授权单位"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("平台角色不选单位"),
    )
    include_descendants = forms.BooleanField(label=_("含下级单位"), required=False, initial=True)

    def __init__(self, *args, role_queryset=None, unit_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = role_queryset
        self.fields["unit"].queryset = unit_queryset
        self.fields["unit"].label_from_instance = _unit_label

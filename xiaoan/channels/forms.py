"""Forms of the channel pages: they shape input; every rule is the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoan.channels import services
from xiaoan.channels.choices import Category, ChannelKind, Severity
from xiaoan.core.forms import StyledFormMixin

TARGET_HELP = _(
    "群机器人填写 Webhook 地址（http:// 或 https://）；短信填写手机号，多个用逗号分隔。"
    "保存后不再完整显示。"
)


class ChannelForm(StyledFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("所属单位"), queryset=None)
    kind = forms.ChoiceField(label=_("渠道类型"), choices=ChannelKind.choices)
    name = forms.CharField(label=_("名称"), max_length=60)
    target = forms.CharField(
        label=_("Webhook 地址或手机号"),
        max_length=1000,
        help_text=TARGET_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    secret = forms.CharField(
        label=_("加签密钥"),
        max_length=200,
        required=False,
        help_text=_("钉钉“加签”的 SEC 开头密钥，或飞书“签名校验”的密钥；企业微信和短信不填。"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    clear_secret = forms.BooleanField(label=_("清除已保存的加签密钥"), required=False)
    min_severity = forms.ChoiceField(
        label=_("最低级别"), choices=Severity.choices, initial=Severity.WARNING
    )
    categories = forms.MultipleChoiceField(
        label=_("接收类别"),
        choices=Category.choices,
        required=False,
        help_text=_("不选表示接收全部类别。"),
    )
    include_subtree = forms.BooleanField(label=_("同时接收下级单位的消息"), required=False)

    def __init__(self, *args, user, record=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.record = record
        if record is None:
            self.fields["unit"].queryset = services.managing_units(user).order_by("path")
            del self.fields["clear_secret"]
        else:
            del self.fields["unit"], self.fields["kind"]
            self.fields["target"].required = False
            self.fields["target"].help_text = _("当前：%(t)s。留空表示不修改。") % {
                "t": services.masked_target(record)
            }
            self.fields["secret"].help_text = (
                _("已设置；留空表示不修改。") if record.secret else _("未设置。")
            )

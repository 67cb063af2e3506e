from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    name = "xiaoan.channels"
    label = "channels"
    verbose_name = _("消息推送渠道")

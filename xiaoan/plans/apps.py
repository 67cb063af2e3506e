from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "xiaoan.plans"
    label = "plans"
    verbose_name = _("方案与责任清单")

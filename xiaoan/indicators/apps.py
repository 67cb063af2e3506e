from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "xiaoan.indicators"
    label = "indicators"
    verbose_name = _("指标")

    def ready(self) -> None:
        # Registers the reported-value workflow (checked at start-up).
        from xiaoan.indicators import workflow  # noqa: F401

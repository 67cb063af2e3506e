from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LawSafetyConfig(AppConfig):
    name = "xiaoan.lawsafety"
    label = "lawsafety"
    verbose_name = _("法治与心理健康")

    def ready(self) -> None:
        # The three registers declare themselves (xiaoan.core.registers.registry).
        import xiaoan.lawsafety.registers  # noqa: F401

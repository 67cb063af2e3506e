from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WatersConfig(AppConfig):
    name = "xiaoan.waters"
    label = "waters"
    verbose_name = _("重点水域")

    def ready(self) -> None:
        # The register declares itself (xiaoan.core.registers.registry).
        import xiaoan.waters.registers  # noqa: F401

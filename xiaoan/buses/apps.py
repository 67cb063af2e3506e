from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BusesConfig(AppConfig):
    name = "xiaoan.buses"
    label = "buses"
    verbose_name = _("校车")

    def ready(self) -> None:
        # The register declares itself (xiaoan.core.registers.registry).
        import xiaoan.buses.registers  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VehiclesConfig(AppConfig):
    name = "xiaoan.vehicles"
    label = "vehicles"
    verbose_name = _("校园车辆管理")

    def ready(self) -> None:
        # The register declares itself (xiaoan.core.registers.registry).
        import xiaoan.vehicles.registers  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrafficConfig(AppConfig):
    name = "xiaoan.traffic"
    label = "traffic"
    verbose_name = _("家校交通安全责任书")

    def ready(self) -> None:
        # The register declares itself (xiaoan.core.registers.registry).
        import xiaoan.traffic.registers  # noqa: F401

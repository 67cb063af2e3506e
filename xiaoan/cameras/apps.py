from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CamerasConfig(AppConfig):
    name = "xiaoan.cameras"
    label = "cameras"
    verbose_name = _("技防设施")

    def ready(self) -> None:
        # The two registers declare themselves (xiaoan.core.registers.registry).
        import xiaoan.cameras.registers  # noqa: F401

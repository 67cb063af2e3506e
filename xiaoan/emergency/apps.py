from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmergencyConfig(AppConfig):
    name = "xiaoan.emergency"
    label = "emergency"
    verbose_name = _("应急预案与应急队伍")

    def ready(self) -> None:
        # The registers declare themselves (xiaoan.core.registers.registry) for the 台账
        # menu and the hazards' and inspections' subject links.
        import xiaoan.emergency.registers  # noqa: F401

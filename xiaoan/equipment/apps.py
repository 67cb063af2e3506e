from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EquipmentConfig(AppConfig):
    name = "xiaoan.equipment"
    label = "equipment"
    verbose_name = _("一台一档")

    def ready(self) -> None:
        # The register declares itself (xiaoan.core.registers.registry) for the 台账 menu
        # and the hazards' and inspections' subject links.
        import xiaoan.equipment.registers  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BuildingsConfig(AppConfig):
    name = "xiaoan.buildings"
    label = "buildings"
    verbose_name = _("一楼一档")

    def ready(self) -> None:
        # The register declares itself (xiaoan.core.registers.registry) for the 台账 menu
        # and the hazards' and inspections' subject links.
        import xiaoan.buildings.registers  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChemicalsConfig(AppConfig):
    name = "xiaoan.chemicals"
    label = "chemicals"
    verbose_name = _("危险化学品")

    def ready(self) -> None:
        # Registers the movement workflow (second signature; checked at start-up).
        # The catalogue and the storages declare themselves as registers (the 台账 menu,
        # the hazards' and inspections' subject links).
        import xiaoan.chemicals.registers  # noqa: F401
        from xiaoan.chemicals import workflow  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HazardsConfig(AppConfig):
    name = "xiaoan.hazards"
    label = "hazards"
    verbose_name = _("隐患台账")

    def ready(self) -> None:
        # Declare (and check) the hazard workflow at start-up.
        from xiaoan.hazards import workflow  # noqa: F401

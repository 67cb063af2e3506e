from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "xiaoan.incidents"
    label = "incidents"
    verbose_name = _("事件与值班")

    def ready(self) -> None:
        # The workflow and the roster register declare themselves at start-up.
        import xiaoan.incidents.registers
        import xiaoan.incidents.todos
        import xiaoan.incidents.workflow  # noqa: F401
        from xiaoan.hazards import origins
        from xiaoan.hazards.choices import HazardSource
        from xiaoan.incidents.services import hazard_origin

        origins.register(HazardSource.INCIDENT, hazard_origin)

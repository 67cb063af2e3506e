from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "xiaoan.events"
    label = "events"
    verbose_name = _("大型活动")

    def ready(self) -> None:
        # The register declares itself (xiaoan.core.registers.registry).
        import xiaoan.events.registers  # noqa: F401

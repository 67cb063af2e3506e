from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "xiaoan.alerts"
    label = "alerts"
    verbose_name = _("预警处置")

    def ready(self) -> None:
        # The workflow declares itself (xiaoan.core.workflow); the home page's to-dos; hazards
        # made from an alert show it (xiaoan.hazards.origins).
        import xiaoan.alerts.todos
        import xiaoan.alerts.workflow  # noqa: F401
        from xiaoan.alerts import services

        services.register_origin()

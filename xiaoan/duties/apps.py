from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutiesConfig(AppConfig):
    name = "xiaoan.duties"
    label = "duties"
    verbose_name = _("常态化任务")

    def ready(self) -> None:
        # Registers the duty and obligation workflows (checked at start-up).
        from xiaoan.duties import workflow  # noqa: F401

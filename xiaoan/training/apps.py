from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "xiaoan.training"
    label = "training"
    verbose_name = _("安全培训")

    def ready(self) -> None:
        # The sessions are a register (xiaoan.core.registers): pages, sheets, API, files.
        import xiaoan.training.registers  # noqa: F401

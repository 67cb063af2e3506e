from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "xiaoan.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        # Register the jobs in every process, the huey consumer included: it only
        # autodiscovers `tasks` modules.
        import xiaoan.jobs  # noqa: F401

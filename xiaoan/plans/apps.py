from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "xiaoan.plans"
    label = "plans"
    verbose_name = _("方案与责任清单")

    def ready(self) -> None:
        # Declares and checks the plan and assignment workflows at start-up.
        from xiaoan.plans import workflow  # noqa: F401

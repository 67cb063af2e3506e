from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotworkConfig(AppConfig):
    name = "xiaoan.hotwork"
    label = "hotwork"
    verbose_name = _("动火作业审批")

    def ready(self) -> None:
        # The workflow declares itself (xiaoan.core.workflow) and is checked at start-up.
        import xiaoan.hotwork.workflow  # noqa: F401

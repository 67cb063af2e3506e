from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClosureConfig(AppConfig):
    name = "xiaoan.closure"
    label = "closure"
    verbose_name = _("销号复核")

    def ready(self) -> None:
        # The home page's to-dos and the dashboard's section declare themselves.
        import xiaoan.closure.figures
        import xiaoan.closure.todos  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "xiaoan.accountability"
    label = "accountability"
    verbose_name = _("约谈问责")

    def ready(self) -> None:
        # The workflows declare themselves (xiaoan.core.workflow); the to-dos register.
        import xiaoan.accountability.todos
        import xiaoan.accountability.workflow  # noqa: F401

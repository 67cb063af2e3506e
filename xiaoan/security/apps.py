from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "xiaoan.security"
    label = "security"
    verbose_name = _("安防建设")

    def ready(self) -> None:
        # The register and its workflow declare themselves (xiaoan.core.registers,
        # xiaoan.core.workflow) and are checked at start-up.
        import xiaoan.security.registers
        import xiaoan.security.workflow  # noqa: F401

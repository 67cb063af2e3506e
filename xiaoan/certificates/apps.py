from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "xiaoan.certificates"
    label = "certificates"
    verbose_name = _("持证上岗")

    def ready(self) -> None:
        # The register declares itself (xiaoan.core.registers.registry).
        import xiaoan.certificates.registers  # noqa: F401

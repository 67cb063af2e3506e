from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConstructionConfig(AppConfig):
    name = "xiaoan.construction"
    label = "construction"
    verbose_name = _("校园施工项目")

    def ready(self) -> None:
        # The register declares itself (xiaoan.core.registers.registry).
        import xiaoan.construction.registers  # noqa: F401

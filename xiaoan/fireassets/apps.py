from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FireAssetsConfig(AppConfig):
    name = "xiaoan.fireassets"
    label = "fireassets"
    verbose_name = _("消防器材")

    def ready(self) -> None:
        # The register declares itself (xiaoan.core.registers.registry) for the 台账 menu
        # and the hazards' and inspections' subject links.
        import xiaoan.fireassets.registers  # noqa: F401

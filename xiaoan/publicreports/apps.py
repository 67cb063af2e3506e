from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicReportsConfig(AppConfig):
    name = "xiaoan.publicreports"
    label = "publicreports"
    verbose_name = _("群众举报")

    def ready(self) -> None:
        # The workflow declares themselves at start-up.
        import xiaoan.publicreports.workflow  # noqa: F401
        from xiaoan.hazards import origins
        from xiaoan.hazards.choices import HazardSource
        from xiaoan.publicreports.services import hazard_origin

        origins.register(HazardSource.PUBLIC, hazard_origin)

from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ConstructionConfig(AppConfig):
    name = "xiaoan.construction"
    label = "construction"
    verbose_name = _("校园施工项目")

    def ready(self) -> None:
        # The register declares itself (xiaoan.core.registers.registry).
        import xiaoan.construction.registers  # noqa: F401
        from xiaoan.construction.services import recount_on_inspection
        from xiaoan.inspections.models import Inspection

        # "Not inspected in 30 days" reads inspections naming a project: their writes
        # recount the project's unit (the register's own writes already do).
        post_save.connect(recount_on_inspection, sender=Inspection, dispatch_uid="construction")

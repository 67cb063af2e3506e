from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "xiaoan.inspections"
    label = "inspections"
    verbose_name = _("检查排查")

    def ready(self) -> None:
        # Declare (and check) the inspection workflow at start-up.
        from xiaoan.inspections import workflow  # noqa: F401
        from xiaoan.inspections.loader import load_after_migrate

        # The built-in checklist library is reference data: a fresh database has it after
        # its first migrate, and a changed JSON file reaches the database on the next one.
        post_migrate.connect(load_after_migrate, sender=self)

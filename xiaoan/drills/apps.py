from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DrillsConfig(AppConfig):
    name = "xiaoan.drills"
    label = "drills"
    verbose_name = _("应急演练")

    def ready(self) -> None:
        # The workflow declares itself (xiaoan.core.workflow); the drill proves the semester
        # drill duty (xiaoan.duties.proofs); hazards show the drill they came from.
        import xiaoan.drills.todos
        import xiaoan.drills.workflow  # noqa: F401
        from xiaoan.drills import proof

        proof.register()

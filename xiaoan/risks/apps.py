from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "xiaoan.risks"
    label = "risks"
    verbose_name = _("风险分级管控")

    def ready(self) -> None:
        # The workflow and the to-dos declare themselves at start-up; the hazard page learns
        # where a hazard from a failed control check came from.
        import xiaoan.risks.todos
        import xiaoan.risks.workflow  # noqa: F401
        from xiaoan.hazards import origins
        from xiaoan.hazards.choices import HazardSource
        from xiaoan.risks.services import hazard_origin

        origins.register(HazardSource.RISK_CHECK, hazard_origin)
        # Control checks prove a unit duty such as 每月风险管控检查 (xiaoan.duties.proofs).
        from xiaoan.risks import proof

        proof.register()

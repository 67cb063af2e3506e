from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportCallsConfig(AppConfig):
    name = "xiaoan.reportcalls"
    label = "reportcalls"
    verbose_name = _("工作报告报送")

    def ready(self) -> None:
        # The workflow declares itself (xiaoan.core.workflow); overdue reports are to-dos.
        import xiaoan.reportcalls.todos
        import xiaoan.reportcalls.workflow  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudentCasesConfig(AppConfig):
    name = "xiaoan.studentcases"
    label = "studentcases"
    verbose_name = _("学生安全个案")

    def ready(self) -> None:
        # The bullying workflow declares itself (xiaoan.core.workflow); the to-dos register
        # their provider (xiaoan.core.todos).
        import xiaoan.studentcases.todos
        import xiaoan.studentcases.workflow  # noqa: F401
